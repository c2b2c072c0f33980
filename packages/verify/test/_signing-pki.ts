// Test support for the verification tests: a test PKI (root, intermediate, signer, TSA) and a real in-process time-stamp source (RFC 3161 tokens signed by the test TSA).
import { der } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa, testIdentifiers } from '@eds/core/testing';
import { OID_TST_INFO } from '@eds/core/tsp';
import type { DigestAlgorithm } from '@eds/core/types';

export interface SigningPki {
  root: TestCa;
  ca: TestCa;
  leaf: IssuedCertificate;
  tsa: IssuedCertificate;
}

const EKU_TIMESTAMPING = { oid: '2.5.29.37', value: der.seq(der.oid('1.3.6.1.5.5.7.3.8')), critical: true };

/** Root -> intermediate -> signer (Russian qualified profile), and a TSA certificate from the root. */
export async function signingPki(keySpec: KeySpec = { type: 'gost2012-256' }, now = new Date()): Promise<SigningPki> {
  const root = await createTestCa({
    keySpec,
    now,
    profile: 'russian-qualified',
    subject: { commonName: 'Тестовый корневой УЦ' },
  });
  const ca = await root.issueIntermediate({ keySpec, now, subject: { commonName: 'Тестовый УЦ' } });
  const ids = testIdentifiers();
  const leaf = await ca.issue({
    now,
    subject: {
      commonName: 'Иванов Иван Иванович',
      surname: 'Иванов',
      givenName: 'Иван Иванович',
      snils: ids.snils,
      inn: ids.inn,
      country: 'RU',
    },
  });
  const tsa = await root.issue({
    keySpec,
    now,
    profile: 'plain',
    subject: { commonName: 'Test TSA' },
    // TSA certificates outlive the signatures they time-stamp: the token is checked at validation time
    validity: { notBefore: now, notAfter: new Date(now.getTime() + 5 * 365 * 86_400_000) },
    keyUsage: ['digitalSignature'],
    extensions: [EKU_TIMESTAMPING],
  });
  return { root, ca, leaf, tsa };
}

/** A time-stamp source whose tokens are real: a TSTInfo signed by `tsa` as CMS with content type id-ct-TSTInfo. */
export function timestampSource(
  tsa: IssuedCertificate,
  genTime?: () => Date,
): (digest: Uint8Array, hashAlgorithm: DigestAlgorithm) => Promise<Uint8Array> {
  let serial = 1n;
  return async (digest, hashAlgorithm) => {
    const time = genTime?.() ?? new Date();
    const tst = der.seq(
      der.int(1),
      der.oid('1.2.643.100.99.1'),
      der.seq(der.seq(der.oid(hashAlgorithm.oid)), der.octets(digest)),
      der.int(serial++),
      der.generalizedTime(time),
    );
    return signCms({ content: tst, contentType: OID_TST_INFO, signers: [tsa.signer], signingTime: time });
  };
}
