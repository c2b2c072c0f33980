// Wycheproof ECDSA (DER and P1363), RSA PKCS#1 v1.5 and RSA-PSS signature vectors through the descriptors, on both the WebCrypto and the pure-JavaScript path.
import { withSubtle } from '@eds/core/_webcrypto';
import { ecdsaP1363ToDer, findAlgorithm } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { der } from '@eds/core/asn1';
import { hexDecode } from '@eds/core/encoding';
import { UnsupportedAlgorithmError } from '@eds/core/errors';
import { parsePublicKey } from '@eds/core/keys';
import type { AlgorithmIdentifier, PublicKey, SignatureAlgorithm } from '@eds/core/types';
import { readFixture, readVectorText } from '@eds/test-support/vectors';
import { describe, expect, it } from 'vitest';

interface WycheproofTest {
  tcId: number;
  comment: string;
  flags: string[];
  msg: string;
  sig: string;
  result: 'valid' | 'invalid' | 'acceptable';
}
interface WycheproofGroup {
  type: string;
  publicKeyDer: string;
  sha: string;
  mgfSha?: string;
  sLen?: number;
  tests: WycheproofTest[];
}
interface WycheproofFile {
  algorithm: string;
  numberOfTests: number;
  testGroups: WycheproofGroup[];
}
interface Exception {
  file: string;
  tcId: number;
  reason: string;
}

const ECDSA_DER = [
  'ecdsa_secp256r1_sha256_test.json',
  'ecdsa_secp256r1_sha512_test.json',
  'ecdsa_secp384r1_sha256_test.json',
  'ecdsa_secp384r1_sha384_test.json',
  'ecdsa_secp384r1_sha512_test.json',
  'ecdsa_secp521r1_sha512_test.json',
];
const ECDSA_P1363 = [
  'ecdsa_secp256r1_sha256_p1363_test.json',
  'ecdsa_secp256r1_sha512_p1363_test.json',
  'ecdsa_secp384r1_sha384_p1363_test.json',
  'ecdsa_secp384r1_sha512_p1363_test.json',
  'ecdsa_secp521r1_sha512_p1363_test.json',
];
const RSA_PKCS1 = ['2048', '3072', '4096'].flatMap((bits) =>
  ['256', '384', '512'].map((sha) => `rsa_signature_${bits}_sha${sha}_test.json`),
);
const RSA_PSS = [
  'rsa_pss_2048_sha256_mgf1_0_params_test.json',
  'rsa_pss_2048_sha256_mgf1_0_test.json',
  'rsa_pss_2048_sha256_mgf1_32_params_test.json',
  'rsa_pss_2048_sha256_mgf1_32_test.json',
  'rsa_pss_2048_sha384_mgf1_48_test.json',
  'rsa_pss_2048_sha512_mgf1sha256_32_params_test.json',
  'rsa_pss_3072_sha256_mgf1_32_params_test.json',
  'rsa_pss_3072_sha256_mgf1_32_test.json',
  'rsa_pss_4096_sha256_mgf1_32_test.json',
  'rsa_pss_4096_sha384_mgf1_48_test.json',
  'rsa_pss_4096_sha512_mgf1_32_params_test.json',
  'rsa_pss_4096_sha512_mgf1_32_test.json',
  'rsa_pss_4096_sha512_mgf1_64_params_test.json',
  'rsa_pss_4096_sha512_mgf1_64_test.json',
  'rsa_pss_misc_params_test.json',
  'rsa_pss_misc_test.json',
];

/** Hash OIDs (RFC 5754 §2, RFC 3279 §2.2.1) by Wycheproof name, written here independently of the SDK. */
const HASH_OIDS: Record<string, string> = {
  'SHA-1': '1.3.14.3.2.26',
  'SHA-224': '2.16.840.1.101.3.4.2.4',
  'SHA-256': '2.16.840.1.101.3.4.2.1',
  'SHA-384': '2.16.840.1.101.3.4.2.2',
  'SHA-512': '2.16.840.1.101.3.4.2.3',
};
const ECDSA_OIDS: Record<string, string> = {
  'SHA-256': '1.2.840.10045.4.3.2',
  'SHA-384': '1.2.840.10045.4.3.3',
  'SHA-512': '1.2.840.10045.4.3.4',
};
const PKCS1_OIDS: Record<string, string> = {
  'SHA-256': '1.2.840.113549.1.1.11',
  'SHA-384': '1.2.840.113549.1.1.12',
  'SHA-512': '1.2.840.113549.1.1.13',
};
const EC_SIZES: Record<string, number> = { '1.2.840.10045.3.1.7': 32, '1.3.132.0.34': 48, '1.3.132.0.35': 66 };

const hashId = (sha: string) => der.seq(der.oid(HASH_OIDS[sha] as string), der.null());

/** The signature AlgorithmIdentifier a certificate or CMS signer would carry for this group (RFC 4055 §3.1 for PSS). */
function algorithmOf(group: WycheproofGroup): AlgorithmIdentifier {
  if (group.type.startsWith('Ecdsa')) return { oid: ECDSA_OIDS[group.sha] as string };
  if (group.type === 'RsassaPkcs1Verify') return { oid: PKCS1_OIDS[group.sha] as string, params: der.null() };
  const mgf = group.mgfSha as string;
  const params = der.seq(
    der.explicit(0, hashId(group.sha)),
    der.explicit(1, der.seq(der.oid('1.2.840.113549.1.1.8'), hashId(mgf))),
    der.explicit(2, der.int(group.sLen as number)),
  );
  return { oid: '1.2.840.113549.1.1.10', params };
}

type Verdict = boolean | 'unsupported';

async function verdict(
  alg: SignatureAlgorithm,
  key: PublicKey,
  group: WycheproofGroup,
  t: WycheproofTest,
): Promise<Verdict> {
  let sig = hexDecode(t.sig);
  if (group.type === 'EcdsaP1363Verify') {
    // IEEE P1363: exactly two halves of the curve's size.
    if (sig.length !== 2 * (EC_SIZES[key.curveOid as string] as number)) return false;
    sig = ecdsaP1363ToDer(sig);
  }
  return alg.verify(key, hexDecode(t.msg), sig);
}

interface Tally {
  tests: number;
  passed: number;
  acceptedAcceptable: number;
  rejectedAcceptable: number;
  excepted: number;
  failures: string[];
  seenExceptions: Set<number>;
}

async function runFile(
  file: string,
  exceptions: Map<string, Exception>,
  subtle: SubtleCrypto | undefined,
): Promise<Tally> {
  const data = JSON.parse(await readVectorText(`wycheproof/testvectors_v1/${file}`)) as WycheproofFile;
  const tally: Tally = {
    tests: 0,
    passed: 0,
    acceptedAcceptable: 0,
    rejectedAcceptable: 0,
    excepted: 0,
    failures: [],
    seenExceptions: new Set(),
  };
  for (const group of data.testGroups) {
    const key = parsePublicKey(hexDecode(group.publicKeyDer));
    let alg: SignatureAlgorithm | undefined;
    try {
      alg = withSubtle(findAlgorithm(allAlgorithms, algorithmOf(group), { key }), subtle);
    } catch (e) {
      if (!(e instanceof UnsupportedAlgorithmError)) throw e;
    }
    for (const t of group.tests) {
      tally.tests++;
      const got: Verdict = alg ? await verdict(alg, key, group, t) : 'unsupported';
      const exception = exceptions.get(`${file}#${t.tcId}`);
      if (exception) {
        tally.excepted++;
        tally.seenExceptions.add(t.tcId);
        // An out-of-scope case must still give the right kind of answer: never a false pass.
        if (got === true && t.result !== 'valid') tally.failures.push(`${t.tcId} (excepted) verified`);
        continue;
      }
      if (t.result === 'acceptable') {
        if (got === true) tally.acceptedAcceptable++;
        else tally.rejectedAcceptable++;
        tally.passed++;
      } else if (got === (t.result === 'valid')) tally.passed++;
      else tally.failures.push(`${t.tcId} ${t.result} got ${got}: ${t.comment} [${t.flags.join(',')}]`);
    }
  }
  expect(tally.tests).toBe(data.numberOfTests);
  return tally;
}

const exceptionsPromise = readFixture('packages/core/test/vectors/wycheproof-exceptions.json').then((bytes) => {
  const list = JSON.parse(new TextDecoder().decode(bytes)) as Exception[];
  return new Map(list.map((e) => [`${e.file}#${e.tcId}`, e]));
});

const PATHS: [string, () => SubtleCrypto | undefined][] = [
  ['webcrypto', () => globalThis.crypto?.subtle],
  ['fallback', () => undefined],
];

const GROUPS: [string, string[]][] = [
  ['ECDSA DER', ECDSA_DER],
  ['ECDSA P1363', ECDSA_P1363],
  ['RSA PKCS#1 v1.5', RSA_PKCS1],
  ['RSA-PSS', RSA_PSS],
];

describe('Wycheproof signature vectors through the descriptors', () => {
  it('has a WebCrypto in this runtime (so the webcrypto runs below mean something)', () => {
    expect(globalThis.crypto?.subtle).toBeDefined();
  });

  for (const [groupName, files] of GROUPS) {
    for (const [path, subtle] of PATHS) {
      it(`${groupName} (${path})`, { timeout: 600_000 }, async () => {
        const exceptions = await exceptionsPromise;
        const total = { tests: 0, passed: 0, accepted: 0, rejected: 0, excepted: 0 };
        const failures: string[] = [];
        for (const file of files) {
          const t = await runFile(file, exceptions, subtle());
          total.tests += t.tests;
          total.passed += t.passed;
          total.accepted += t.acceptedAcceptable;
          total.rejected += t.rejectedAcceptable;
          total.excepted += t.excepted;
          failures.push(...t.failures.map((f) => `${file} #${f}`));
          const listed = [...exceptions.values()].filter((e) => e.file === file).map((e) => e.tcId);
          // Every listed exception must still occur: a stale entry hides nothing.
          expect(listed.filter((id) => !t.seenExceptions.has(id))).toEqual([]);
        }
        console.info(
          `wycheproof ${groupName} [${path}]: ${files.length} files, ${total.tests} tests, ${total.passed} passed, ` +
            `${failures.length} failed, ${total.excepted} excepted (out of scope), acceptable: ${total.accepted} accepted / ${total.rejected} rejected`,
        );
        expect(failures).toEqual([]);
        expect(total.passed + total.excepted).toBe(total.tests);
      });
    }
  }
});
