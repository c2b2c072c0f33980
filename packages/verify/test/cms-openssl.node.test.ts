// Interop of verify() with OpenSSL 3 (+ GOST engine): CAdES-BES made by `openssl cms -sign -cades` (GOST-256, GOST-512, ECDSA P-256, RSA-2048; attached, detached, co-signed) and CAdES-T time-stamped by `openssl ts -reply` (RFC 5652 §5; ETSI EN 319 122-1; RFC 3161); Node only.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { addSignatureTimestamp } from '@eds/core/cades';
import { encodePem } from '@eds/core/encoding';
import { createFetcher } from '@eds/core/fetcher';
import { exportPrivateKey } from '@eds/core/keys';
import type { KeySpec } from '@eds/core/testing';
import { openssl } from '@eds/test-support/openssl';
import { type OpensslTsa, startOpensslTsa } from '@eds/test-support/tsa';
import type { VerificationReport } from '@eds/verify/report';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type SigningPki, signingPki } from './_signing-pki';

const DOCUMENT = 'Протокол разногласий к договору № 5\n';
const doc = new TextEncoder().encode(DOCUMENT);
const other = new TextEncoder().encode('Другой документ\n');
const verdict = (r: { indication: string; subIndication?: string | undefined }) => [r.indication, r.subIndication];
const why = (r: VerificationReport) => JSON.stringify(r.signatures.map((s) => s.checks));

interface Spec {
  readonly name: string;
  readonly keySpec: KeySpec;
  /** openssl digest name of the signer and of the TSA. */
  readonly md: string;
  readonly signatureAlgorithm: string;
  readonly digestAlgorithm: string;
}

const SPECS: readonly Spec[] = [
  {
    name: 'GOST-256',
    keySpec: { type: 'gost2012-256' },
    md: 'md_gost12_256',
    signatureAlgorithm: 'gost2012-256',
    digestAlgorithm: 'streebog256',
  },
  {
    name: 'GOST-512',
    keySpec: { type: 'gost2012-512' },
    md: 'md_gost12_512',
    signatureAlgorithm: 'gost2012-512',
    digestAlgorithm: 'streebog512',
  },
  {
    name: 'ECDSA P-256',
    keySpec: { type: 'ecdsa', curve: 'P-256' },
    md: 'sha256',
    signatureAlgorithm: 'ecdsa-sha256',
    digestAlgorithm: 'sha256',
  },
  {
    name: 'RSA-2048',
    keySpec: { type: 'rsa', bits: 2048 },
    md: 'sha256',
    signatureAlgorithm: 'rsa-pkcs1-sha256',
    digestAlgorithm: 'sha256',
  },
];

interface Party {
  readonly spec: Spec;
  readonly pki: SigningPki;
  readonly crls: Uint8Array[];
  /** PEM files for OpenSSL. */
  readonly key: string;
  readonly cert: string;
  readonly ca: string;
}

let dir: string;
const parties = new Map<string, Party>();
const party = (name: string) => parties.get(name) as Party;
const pem = (der: Uint8Array) => encodePem('CERTIFICATE', der);

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'eds-cms-openssl-'));
  await writeFile(join(dir, 'doc.txt'), DOCUMENT);
  await writeFile(join(dir, 'other.txt'), other);
  for (const spec of SPECS) {
    const pki = await signingPki(spec.keySpec);
    const slug = spec.name.replace(/\W+/g, '');
    const files = {
      key: join(dir, `${slug}-key.pem`),
      cert: join(dir, `${slug}.pem`),
      ca: join(dir, `${slug}-ca.pem`),
    };
    await writeFile(files.key, exportPrivateKey(pki.leaf.key, 'pem'), { mode: 0o600 });
    await writeFile(files.cert, pem(pki.leaf.certificate));
    await writeFile(files.ca, pem(pki.ca.certificate));
    parties.set(spec.name, { spec, pki, crls: [await pki.root.createCrl(), await pki.ca.createCrl()], ...files });
  }
}, 120_000);

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

/** `openssl cms -sign -cades` of doc.txt (DER out); each party becomes one signer. */
async function opensslSign(signers: readonly Party[], detached: boolean, input = 'doc.txt'): Promise<Uint8Array> {
  const out = join(dir, `sig-${Math.random().toString(36).slice(2)}.der`);
  const args = ['cms', '-sign', '-cades', '-binary', '-in', join(dir, input), '-outform', 'DER', '-out', out];
  // -md is one digest for the whole call: with several signers each uses its key's default digest
  if (signers.length === 1) args.push('-md', (signers[0] as Party).spec.md);
  for (const p of signers) args.push('-signer', p.cert, '-inkey', p.key);
  // -certfile is read once (the last one wins): one file with every signer's CA
  const cas = join(dir, `cas-${Math.random().toString(36).slice(2)}.pem`);
  await writeFile(cas, (await Promise.all(signers.map((p) => readFile(p.ca, 'utf8')))).join(''));
  args.push('-certfile', cas);
  if (!detached) args.push('-nodetach');
  await openssl(args);
  return new Uint8Array(await readFile(out));
}

function check(
  parts: readonly Party[],
  signature: Uint8Array,
  content?: Uint8Array,
  intermediates: Uint8Array[] = [],
): Promise<VerificationReport> {
  return verify({
    signature,
    content,
    intermediates,
    trust: createTrustStore(parts.map((p) => p.pki.root.certificate)),
    revocationData: { crls: parts.flatMap((p) => p.crls) },
  });
}

describe.each(SPECS.map((s) => [s.name]))('verify: openssl cms -sign -cades, %s', (name) => {
  it('attached and detached CAdES-BES: TOTAL_PASSED, signingCertificateV2 bound', async () => {
    const p = party(name);
    for (const detached of [false, true]) {
      const sig = await opensslSign([p], detached);
      const r = await check([p], sig, detached ? doc : undefined);
      const [s] = r.signatures;
      expect([detached, ...verdict(r)], why(r)).toEqual([detached, 'TOTAL_PASSED', undefined]);
      expect([s?.format, s?.signatureAlgorithm, s?.digestAlgorithm]).toEqual([
        'CAdES-BES',
        p.spec.signatureAlgorithm,
        p.spec.digestAlgorithm,
      ]);
      expect(s?.checks.map((c) => c.code)).toEqual(
        expect.arrayContaining(['SIGNING_CERTIFICATE_BOUND', 'SIGNATURE_VALID', 'DIGEST_MATCH', 'REVOCATION_GOOD']),
      );
      // the same signature over another document: HASH_FAILURE
      if (detached) {
        const other = await check([p], sig, new TextEncoder().encode(`${DOCUMENT} `));
        expect(verdict(other)).toEqual(['TOTAL_FAILED', 'HASH_FAILURE']);
      }
    }
  });
});

describe('verify: co-signed by OpenSSL', () => {
  it('several -signer options in one call (GOST-256 + ECDSA P-256; GOST-256 + GOST-512 + RSA), attached and detached', async () => {
    const pairs = [
      [party('GOST-256'), party('ECDSA P-256')],
      [party('GOST-256'), party('GOST-512'), party('RSA-2048')],
    ];
    for (const signers of pairs)
      for (const detached of [false, true]) {
        const r = await check(signers, await opensslSign(signers, detached), detached ? doc : undefined);
        expect([detached, ...verdict(r)], why(r)).toEqual([detached, 'TOTAL_PASSED', undefined]);
        expect(r.signatures.map((s) => s.signatureAlgorithm).sort()).toEqual(
          signers.map((p) => p.spec.signatureAlgorithm).sort(),
        );
        expect(r.signatures.every((s) => s.format === 'CAdES-BES' && s.indication === 'TOTAL_PASSED')).toBe(true);
      }
    // one co-signer's root not trusted: that signature is INDETERMINATE and so is the whole report
    const [g, e] = pairs[0] as Party[];
    const sig = await opensslSign([g as Party, e as Party], false);
    const half = await check([g as Party], sig);
    expect(half.signatures.map((s) => verdict(s)).sort()).toEqual([
      ['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND'],
      ['TOTAL_PASSED', undefined],
    ]);
    expect(verdict(half)).toEqual(['INDETERMINATE', 'NO_CERTIFICATE_CHAIN_FOUND']);
  });

  it('openssl cms -resign adds an RSA signer to an ECDSA signature (resign needs the same digest)', async () => {
    const g = party('ECDSA P-256');
    const rsa = party('RSA-2048');
    const first = join(dir, 'first.der');
    await writeFile(first, await opensslSign([g], false));
    const out = join(dir, 'resigned.der');
    await openssl([
      'cms',
      '-resign',
      '-cades',
      '-binary',
      '-inform',
      'DER',
      '-in',
      first,
      '-signer',
      rsa.cert,
      '-inkey',
      rsa.key,
      '-md',
      'sha256',
      '-outform',
      'DER',
      '-out',
      out,
    ]);
    // -resign writes the new signer's certificate but no -certfile: its CA comes from the caller
    const r = await check([g, rsa], new Uint8Array(await readFile(out)), undefined, [rsa.pki.ca.certificate]);
    expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
    expect(r.signatures.map((s) => [s.signatureAlgorithm, s.indication]).sort()).toEqual([
      ['ecdsa-sha256', 'TOTAL_PASSED'],
      ['rsa-pkcs1-sha256', 'TOTAL_PASSED'],
    ]);
  });
});

describe('verify: CAdES-T with an openssl ts -reply TSA', () => {
  const servers: OpensslTsa[] = [];
  afterAll(() => Promise.all(servers.map((s) => s.close())));

  it.each(SPECS.map((s) => [s.name]))(
    '%s: an OpenSSL CAdES-BES time-stamped by addSignatureTimestamp is TOTAL_PASSED with the time-stamp valid',
    async (name) => {
      const p = party(name);
      const server = await startOpensslTsa({
        key: exportPrivateKey(p.pki.tsa.key, 'pem'),
        certificate: pem(p.pki.tsa.certificate),
        chain: pem(p.pki.root.certificate),
        signerDigest: p.spec.md,
        maxRequests: 4,
        lifetimeMs: 60_000,
      });
      servers.push(server);
      const bes = await opensslSign([p], true);
      const t = await addSignatureTimestamp(bes, {
        tsa: { url: server.url, fetcher: createFetcher({ timeoutMs: 20_000 }) },
      });
      expect(server.requests).toHaveLength(1);
      const r = await check([p], t, doc);
      const [s] = r.signatures;
      expect(verdict(r), why(r)).toEqual(['TOTAL_PASSED', undefined]);
      expect(s?.format).toBe('CAdES-T');
      expect(s?.timestamps.map((x) => [x.kind, x.indication, x.tsa])).toEqual([
        ['signature', 'TOTAL_PASSED', 'CN=Test TSA'],
      ]);
      expect(s?.bestSignatureTime).toBe(s?.timestamps[0]?.genTime);
      // the token's imprint covers that signature value only: moved onto another signature it is no proof of time
      const again = await opensslSign([p], true, 'other.txt');
      const moved = swapToken(again, t);
      const r2 = await check([p], moved, other);
      expect(r2.signatures[0]?.timestamps[0]?.indication).toBe('TOTAL_FAILED');
      expect(r2.signatures[0]?.checks.find((c) => c.code === 'TIMESTAMP_INVALID')?.outcome).toBe('warning');
    },
  );
});

import { encodeSignedData, encodeSignerInfo, parseSignedData, type SignerInfoView } from '@eds/core/signed-data';

/** `target` with the unsigned attributes (the time-stamp) of `donor`'s first SignerInfo. */
function swapToken(target: Uint8Array, donor: Uint8Array): Uint8Array {
  const t = parseSignedData(target);
  const list = parseSignedData(donor).signerInfos[0]?.unsignedAttrs?.list ?? [];
  const si = t.signerInfos[0] as SignerInfoView;
  return encodeSignedData({ ...t, signerInfos: [encodeSignerInfo({ ...si, unsignedAttrs: { list } })] });
}
