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

describe('entry index (issue 7): indexed lookups agree with a scan of the entries', () => {
  const ALG = der.seq(der.oid('1.2.643.7.1.1.3.2'));
  const date = der.utcTime(new Date('2024-05-01T00:00:00Z'));
  const cn = (name: string) => der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8(name))));
  const ext = (oid: string, value: Uint8Array, critical = false) =>
    critical ? der.seq(der.oid(oid), der.bool(true), der.octets(value)) : der.seq(der.oid(oid), der.octets(value));
  const crlOf = (entries: readonly Uint8Array[], version2 = true) =>
    der.seq(
      der.seq(
        ...(version2 ? [der.int(1)] : []),
        ALG,
        cn('Test CA'),
        date,
        ...(entries.length ? [der.seq(...entries)] : []),
      ),
      ALG,
      der.bits(new Uint8Array(64)),
    );

  /** Content octets of `n` with `pad` redundant sign octets (00 or ff), as lenient encoders write. */
  function paddedInt(n: bigint, pad: number): Uint8Array {
    const minimal = der.int(n).subarray(2);
    const sign = (minimal[0] as number) >= 0x80 ? 0xff : 0;
    return der.tlv(0x02, new Uint8Array(pad).fill(sign), minimal);
  }

  const entryArb = fc.record({
    // A small range so that serials repeat (several issuers in an indirect CRL, or duplicates).
    serial: fc.bigInt({ min: -300n, max: 300n }),
    pad: fc.constantFrom(0, 0, 0, 1, 2),
    reason: fc.option(fc.constantFrom(0, 1, 6, 8), { nil: undefined }),
    issuer: fc.option(fc.constantFrom('Issuer A', 'Issuer B'), { freq: 4, nil: undefined }),
    invalidity: fc.boolean(),
  });
  type EntrySpec = typeof entryArb extends fc.Arbitrary<infer T> ? T : never;

  function encode(e: EntrySpec): Uint8Array {
    const exts: Uint8Array[] = [];
    if (e.reason !== undefined) exts.push(ext('2.5.29.21', der.enumerated(e.reason)));
    if (e.invalidity) exts.push(ext('2.5.29.24', der.generalizedTime(new Date('2024-04-01T00:00:00Z'))));
    if (e.issuer) exts.push(ext('2.5.29.29', der.seq(der.explicit(4, cn(e.issuer))), true));
    return der.seq(paddedInt(e.serial, e.pad), date, ...(exts.length ? [der.seq(...exts)] : []));
  }

  /** Serials to ask for: every listed one and a few around them. */
  const asked = (specs: readonly EntrySpec[]) => [...new Set([...specs.map((e) => e.serial), 0n, 301n, -301n, 7n])];

  it('findEntry, isRevoked and positions equal a brute-force scan (random CRLs)', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 60 }), (specs) => {
        const bytes = crlOf(specs.map(encode));
        const all = [...parseCrl(bytes).entries()];
        const crl = parseCrl(bytes);
        const index = crl.entryIndex();
        expect(index.count).toBe(all.length);
        expect(crl.revokedCount).toBe(all.length);
        for (const s of asked(specs)) {
          const expected = all.flatMap((e, i) => (e.serialNumber === s ? [i] : []));
          expect(index.positions(s)).toEqual(expected);
          const first = all[expected[0] ?? -1];
          expect(crl.findEntry(s)).toEqual(first);
          expect(crl.isRevoked(s)).toBe(first !== undefined && first.reasonCode !== 'removeFromCRL');
        }
      }),
      { numRuns: 300 },
    );
  });

  it('certificateIssuerAt follows the last certificateIssuer (RFC 5280 §5.3.3), entryExtensions tallies', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { minLength: 1, maxLength: 40 }), (specs) => {
        const crl = parseCrl(crlOf(specs.map(encode)));
        const index = crl.entryIndex();
        let current: string | undefined;
        specs.forEach((e, i) => {
          current = e.issuer ?? current;
          const names = index.certificateIssuerAt(i);
          const got = names?.[0]?.type === 'directoryName' ? names[0].value.commonName : undefined;
          expect(got).toBe(current);
          expect(index.entryAt(i).serialNumber).toBe(e.serial);
        });
        expect(index.entryExtensions.get('2.5.29.29')).toBe(specs.some((e) => e.issuer) ? true : undefined);
        expect(index.entryExtensions.get('2.5.29.21')).toBe(
          specs.some((e) => e.reason !== undefined) ? false : undefined,
        );
        expect(index.entryExtensions.has('2.5.29.24')).toBe(specs.some((e) => e.invalidity));
      }),
      { numRuns: 200 },
    );
  });

  it('a CRL without entries has an empty index', () => {
    const index = parseCrl(crlOf([])).entryIndex();
    expect(index.count).toBe(0);
    expect(index.positions(1n)).toEqual([]);
    expect(index.certificateIssuerAt(0)).toBeUndefined();
    expect(() => index.entryAt(0)).toThrow(RangeError);
  });

  it('a malformed entry after the match: findEntry still answers (scan), entryIndex is a DecodeError', () => {
    const emptySerial = der.seq(der.tlv(0x02, new Uint8Array(0)), date);
    const crl = parseCrl(crlOf([der.seq(der.int(5), date), emptySerial]));
    expect(crl.isRevoked(5n)).toBe(true);
    expect(() => crl.isRevoked(6n)).toThrow(DecodeError);
    expect(() => crl.entryIndex()).toThrow(DecodeError);
    // A lookup reads only the serial of the entries it passes, as before the index.
    const badDate = parseCrl(crlOf([der.seq(der.int(5), date), der.seq(der.int(9), der.int(1))]));
    expect(badDate.isRevoked(6n)).toBe(false);
    expect(() => badDate.findEntry(9n)).toThrow(DecodeError);
    expect(() => badDate.entryIndex()).toThrow(DecodeError);
  });

  it('entry shapes the index refuses are DecodeErrors with the entry path', () => {
    const cases: Record<string, Uint8Array> = {
      'entry extensions in a v1 CRL': crlOf(
        [der.seq(der.int(1), date, der.seq(ext('2.5.29.21', der.enumerated(1))))],
        false,
      ),
      'duplicate entry extension': crlOf([
        der.seq(der.int(1), date, der.seq(ext('2.5.29.21', der.enumerated(1)), ext('2.5.29.21', der.enumerated(2)))),
      ]),
      'empty crlEntryExtensions': crlOf([der.seq(der.int(1), date, der.seq())]),
      'critical not in DER form': crlOf([
        der.seq(
          der.int(1),
          date,
          der.seq(der.seq(der.oid('2.5.29.21'), der.tlv(0x01, Uint8Array.of(1)), der.octets(der.enumerated(1)))),
        ),
      ]),
      'empty serial': crlOf([der.seq(der.tlv(0x02, new Uint8Array(0)), date)]),
      'serial over 128 bytes': crlOf([der.seq(der.tlv(0x02, new Uint8Array(129).fill(1)), date)]),
      'truncated extnID': crlOf([
        der.seq(der.int(1), date, der.seq(der.seq(der.tlv(0x06, Uint8Array.of(0x55, 0x9d)), der.octets(der.null())))),
      ]),
      'data after crlEntryExtensions': crlOf([
        der.seq(der.int(1), date, der.seq(ext('2.5.29.21', der.enumerated(1))), der.null()),
      ]),
    };
    for (const [name, bytes] of Object.entries(cases)) {
      const crl = parseCrl(bytes);
      let error: unknown;
      try {
        crl.entryIndex();
      } catch (e) {
        error = e;
      }
      expect(error, name).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).path, name).toMatch(/revokedCertificates/);
      // A full read of the entries fails too: the index is not stricter than entries() on these.
      expect(() => [...crl.entries()], name).toThrow(DecodeError);
    }
  });

  it('mutated CRLs: the index and a scan agree, or the index is a DecodeError', async () => {
    const base = crlOf(
      Array.from({ length: 12 }, (_, i) =>
        encode({
          serial: BigInt(i * 3 - 10),
          pad: (i % 3) as 0 | 1 | 2,
          reason: i % 2 ? 1 : undefined,
          issuer: undefined,
          invalidity: i === 4,
        }),
      ),
    );
    fc.assert(
      fc.property(damagedCopies(base), (bytes) => {
        let crl: Crl;
        try {
          crl = parseCrl(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return;
        }
        let all: ReturnType<typeof crl.findEntry>[];
        try {
          all = [...parseCrl(bytes).entries()];
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return;
        }
        let index: ReturnType<typeof crl.entryIndex>;
        try {
          index = crl.entryIndex();
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
          return;
        }
        for (const s of [...new Set(all.map((e) => e?.serialNumber as bigint)), 99n]) {
          expect(index.positions(s)).toEqual(all.flatMap((e, i) => (e?.serialNumber === s ? [i] : [])));
        }
      }),
      { numRuns: 500 },
    );
  });
});
