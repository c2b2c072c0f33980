// CRL view: NIST PKITS and RFC 9215 CRLs, the BoringSSL CRL corpus, a 200,000-entry CRL read lazily, fuzzing.
import { der } from '@eds/core/asn1';
import { type Crl, parseCrl } from '@eds/core/crl';
import { decodePem } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import { damagedCopies } from '@eds/test-support/inputs';
import { readFixture, readVector, readVectorText } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

/** Parses and walks every entry; returns the CRL or the DecodeError. */
function readAll(bytes: Uint8Array | string): Crl | DecodeError {
  try {
    const crl = parseCrl(bytes);
    for (const _ of crl.entries());
    void [
      crl.crlNumber,
      crl.deltaCrlIndicator,
      crl.authorityKeyIdentifier,
      crl.issuingDistributionPoint,
      crl.describe('ru'),
    ];
    return crl;
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
}

describe('NIST PKITS CRLs', () => {
  const names = [
    'GoodCACRL.crl',
    'RevokedsubCACRL.crl',
    'TrustAnchorRootCRL.crl',
    'deltaCRLCA1CRL.crl',
    'deltaCRLCA1deltaCRL.crl',
    'indirectCRLCA1CRL.crl',
    'onlyContainsUserCertsCACRL.crl',
    'onlySomeReasonsCA1compromiseCRL.crl',
    'UnknownCRLEntryExtensionCACRL.crl',
    'GeneralizedTimeCRLnextUpdateCACRL.crl',
  ];
  it.each(names)('%s parses', async (name) => {
    const result = readAll(await readVector(`nist-pkits/crls/${name}`));
    expect(result).not.toBeInstanceOf(DecodeError);
  });

  it('GoodCACRL lists two revoked serials with keyCompromise', async () => {
    const crl = parseCrl(await readVector('nist-pkits/crls/GoodCACRL.crl'));
    expect(crl.version).toBe(2);
    expect(crl.issuer.commonName).toBe('Good CA');
    expect(crl.revokedCount).toBe(2);
    const entries = [...crl.entries()];
    expect(entries.map((e) => e.reasonCode)).toEqual(['keyCompromise', 'keyCompromise']);
    expect(crl.isRevoked(entries[0]?.serialNumber as bigint)).toBe(true);
    expect(crl.isRevoked(123456789n)).toBe(false);
    expect(crl.crlNumber).toBe(1n);
  });

  it('delta CRL and IDP extensions decode', async () => {
    const delta = parseCrl(await readVector('nist-pkits/crls/deltaCRLCA1deltaCRL.crl'));
    expect(delta.deltaCrlIndicator).toBeTypeOf('bigint');
    const idp = parseCrl(await readVector('nist-pkits/crls/onlyContainsUserCertsCACRL.crl')).issuingDistributionPoint;
    expect(idp?.onlyContainsUserCerts).toBe(true);
    expect(idp?.onlyContainsCACerts).toBe(false);
  });
});

describe('RFC 9215 CRLs', () => {
  it('parse, with the signatures of expected.json', async () => {
    const expected = JSON.parse(text(await readFixture('packages/core/test/vectors/rfc9215/expected.json')));
    for (const name of ['gost2012-256-testparamset', 'gost2012-256-tc26a', 'gost2012-512-testparamset']) {
      const crl = parseCrl(text(await readFixture(`packages/core/test/vectors/rfc9215/${name}-crl.pem`)));
      expect(hex(crl.signature).toUpperCase(), name).toBe(expected[name].source.crlSignature);
      expect(crl.signatureAlgorithm.oid.startsWith('1.2.643.7.1.1.3.')).toBe(true);
      expect(crl.describe('en')).toContain('Certificate revocation list');
    }
  });
});

describe('BoringSSL CRL corpus', () => {
  it('every CRL parses or gives DecodeError; structural garbage is rejected', async () => {
    const expected = JSON.parse(await readVectorText('boringssl-revocation/expected.json'));
    let parsed = 0;
    const rejected: string[] = [];
    for (const c of expected.crl.cases) {
      const block = decodePem(await readVectorText(`boringssl-revocation/${c.file}`)).find((b) => b.label === 'CRL');
      expect(block, c.file).toBeDefined();
      const r = readAll((block as { bytes: Uint8Array }).bytes);
      if (r instanceof DecodeError) rejected.push(c.file);
      else parsed++;
      if (/\/(good|revoked)/.test(c.file)) expect(r, c.file).not.toBeInstanceOf(DecodeError);
      if (/\/revoked/.test(c.file)) expect((r as Crl).revokedCount, c.file).toBeGreaterThan(0);
      if (
        /invalid_(garbage|v3|v1_|revoked_empty|idp_empty|idp_onlycontains_user_and_ca|mismatched_signature)/.test(
          c.file,
        )
      ) {
        expect(r, c.file).toBeInstanceOf(DecodeError);
      }
    }
    console.log(`BoringSSL CRLs: ${parsed} parsed, ${rejected.length} DecodeError: ${rejected.join(' ')}`);
    expect(parsed + rejected.length).toBe(expected.crl.cases.length);
  });
});

describe('a large CRL', () => {
  const N = 200_000;
  const ALG = der.seq(der.oid('1.2.643.7.1.1.3.2'));
  const date = der.utcTime(new Date('2024-05-01T00:00:00Z'));
  const reason = der.seq(der.seq(der.oid('2.5.29.21'), der.octets(der.enumerated(1))));
  const entries: Uint8Array[] = [];
  for (let i = 0; i < N; i++)
    entries.push(
      i % 1000 === 0 ? der.seq(der.int(1_000_000 + i * 7), date, reason) : der.seq(der.int(1_000_000 + i * 7), date),
    );
  const tbs = der.seq(
    der.int(1),
    ALG,
    der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('Big CA')))),
    date,
    der.utcTime(new Date('2024-05-08T00:00:00Z')),
    der.tlv(0x30, der.concat(entries)),
    der.explicit(0, der.seq(der.seq(der.oid('2.5.29.20'), der.octets(der.int(77))))),
  );
  const bytes = der.seq(tbs, ALG, der.bits(new Uint8Array(64)));

  it(`${N} entries: isRevoked finds the last one, counts, iterates`, () => {
    const crl = parseCrl(bytes);
    expect(crl.crlNumber).toBe(77n);
    expect(crl.isRevoked(BigInt(1_000_000 + (N - 1) * 7))).toBe(true);
    expect(crl.isRevoked(BigInt(1_000_000 + 3))).toBe(false);
    expect(crl.findEntry(BigInt(1_000_000 + 1000 * 7))?.reasonCode).toBe('keyCompromise');
    expect(crl.revokedCount).toBe(N);
    let n = 0;
    let withReason = 0;
    for (const e of crl.entries()) {
      n++;
      if (e.reasonCode) withReason++;
    }
    expect(n).toBe(N);
    expect(withReason).toBe(N / 1000);
    const json = crl.toJSON(10);
    expect((json.entries as unknown[]).length).toBe(10);
    expect(json.revokedCount).toBe(N);
  });

  it('a size limit below the input is a DecodeError', () => {
    expect(() => parseCrl(bytes, { maxSize: 1024 })).toThrow(DecodeError);
  });
});

describe('fuzz', () => {
  it('mutated PKITS CRLs give DecodeError only', async () => {
    const base = await readVector('nist-pkits/crls/GoodCACRL.crl');
    fc.assert(
      fc.property(damagedCopies(base), (b) => {
        readAll(b);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('serial matching by value (regression, issue 5 review)', () => {
  const ALG = der.seq(der.oid('1.2.643.7.1.1.3.2'));
  const date = der.utcTime(new Date('2024-05-01T00:00:00Z'));
  const reason = (code: number) => der.seq(der.seq(der.oid('2.5.29.21'), der.octets(der.enumerated(code))));
  /** A raw INTEGER TLV, so that non-minimal encodings can be written. */
  const rawInt = (...bytes: number[]) => der.tlv(0x02, Uint8Array.from(bytes));
  const crlOf = (...entries: Uint8Array[]) =>
    der.seq(
      der.seq(
        der.int(1),
        ALG,
        der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('Test CA')))),
        date,
        der.seq(...entries),
      ),
      ALG,
      der.bits(new Uint8Array(64)),
    );

  it('a padded serial (00 00 01) is found for 1n and iterates as 1n', () => {
    const crl = parseCrl(crlOf(der.seq(rawInt(0x10), date), der.seq(rawInt(0, 0, 1), date, reason(1))));
    expect(crl.findEntry(1n)?.reasonCode).toBe('keyCompromise');
    expect(crl.isRevoked(1n)).toBe(true);
    expect(crl.isRevoked(0x10n)).toBe(true);
    expect(crl.isRevoked(2n)).toBe(false);
    expect([...crl.entries()].map((e) => e.serialNumber)).toEqual([0x10n, 1n]);
  });

  it('a padded negative serial (ff ff 80) is found for -128n', () => {
    const crl = parseCrl(crlOf(der.seq(rawInt(0xff, 0xff, 0x80), date)));
    expect(crl.isRevoked(-128n)).toBe(true);
    expect(crl.isRevoked(0xff80n)).toBe(false);
  });

  it('describe() with an unknown language string falls back to English', () => {
    const crl = parseCrl(crlOf(der.seq(der.int(1), date)));
    expect(crl.describe('toString' as 'en')).toBe(crl.describe('en'));
  });

  it('a minimal serial is found both ways', () => {
    const crl = parseCrl(crlOf(der.seq(der.int(0x80n), date)));
    expect(crl.findEntry(0x80n)?.serialNumber).toBe(0x80n);
  });

  it('a removeFromCRL entry is returned by findEntry but is not revoked', () => {
    const crl = parseCrl(crlOf(der.seq(der.int(5), date, reason(8)), der.seq(der.int(6), date, reason(6))));
    expect(crl.findEntry(5n)?.reasonCode).toBe('removeFromCRL');
    expect(crl.isRevoked(5n)).toBe(false);
    // certificateHold still counts as revoked.
    expect(crl.isRevoked(6n)).toBe(true);
  });

  it('a serial INTEGER past the length cap is a DecodeError, not a slow conversion', () => {
    const crl = parseCrl(crlOf(der.seq(der.tlv(0x02, new Uint8Array(200_000).fill(1)), date)));
    expect(() => crl.isRevoked(1n)).toThrow(DecodeError);
    expect(() => [...crl.entries()]).toThrow(DecodeError);
  });
});
