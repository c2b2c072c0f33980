// Extensions (RFC 5280 §4.2, §5.2, §5.3): decoders against values built with the DER writer (fast-check), the public export list, and random bytes giving DecodeError only.
import { der } from '@eds/core/asn1';
import { DecodeError } from '@eds/core/errors';
import * as extensions from '@eds/core/extensions';
import {
  CRL_REASONS,
  decodeAuthorityKeyIdentifier,
  decodeBasicConstraints,
  decodeCertificatePolicies,
  decodeCrlDistributionPoints,
  decodeGeneralNames,
  decodeIssuingDistributionPoint,
  decodeKeyUsage,
  decodeNameConstraints,
  decodeOcspNonce,
  decodePolicyConstraints,
  decodePrivateKeyUsagePeriod,
  decodeReasonCode,
  type GeneralName,
  KEY_USAGE_BITS,
  parseExtensions,
  REASON_FLAG_BITS,
} from '@eds/core/extensions';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

describe('the public module', () => {
  // readGeneralName, readGeneralNames and readReason read decoded nodes for ocsp.ts and were
  // made internal (regression, issue 5 review): the list below is the whole public surface.
  it('still exports every decoder and table after the split into internal files', () => {
    const functions = [
      'parseExtensions',
      'findExtension',
      'decodeGeneralNames',
      'decodeNameConstraints',
      'decodeBasicConstraints',
      'decodeKeyUsage',
      'decodeExtKeyUsage',
      'decodeCertificatePolicies',
      'decodeSubjectKeyIdentifier',
      'decodeAuthorityKeyIdentifier',
      'decodeInfoAccess',
      'decodeCrlDistributionPoints',
      'decodePolicyConstraints',
      'decodePolicyMappings',
      'decodeInhibitAnyPolicy',
      'decodePrivateKeyUsagePeriod',
      'decodeSubjectSignTool',
      'decodeIssuerSignTool',
      'decodeCrlNumber',
      'decodeIssuingDistributionPoint',
      'decodeReasonCode',
      'decodeInvalidityDate',
      'decodeOcspNonce',
    ];
    for (const f of functions) expect(typeof (extensions as Record<string, unknown>)[f], f).toBe('function');
    expect(Object.keys(extensions).sort()).toEqual(
      [...functions, 'KEY_USAGE_BITS', 'REASON_FLAG_BITS', 'CRL_REASONS'].sort(),
    );
  });
});

const ext = (oid: string, value: Uint8Array, critical?: boolean) =>
  der.seq(der.oid(oid), ...(critical === undefined ? [] : [der.bool(critical)]), der.octets(value));

describe('extension list (RFC 5280 §4.1.2.9)', () => {
  const oid = fc
    .tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 39 }), fc.array(fc.nat(), { maxLength: 4 }))
    .map(([a, b, rest]) => [a, b, ...rest].join('.'));
  const item = fc.record({
    oid,
    critical: fc.option(fc.boolean(), { nil: undefined }),
    value: fc.uint8Array({ maxLength: 20 }),
  });

  it('random lists round-trip; an explicit FALSE reads as not critical', () => {
    fc.assert(
      fc.property(fc.uniqueArray(item, { selector: (e) => e.oid, minLength: 1, maxLength: 8 }), (items) => {
        const list = parseExtensions(der.seq(...items.map((e) => ext(e.oid, e.value, e.critical))));
        expect(list.map((e) => [e.oid, e.critical, e.value])).toEqual(
          items.map((e) => [e.oid, e.critical ?? false, e.value]),
        );
      }),
    );
  });

  it('a repeated OID and an empty list are DecodeErrors', () => {
    fc.assert(
      fc.property(item, item, (a, b) => {
        const bytes = der.seq(ext(a.oid, a.value), ext(b.oid, b.value), ext(a.oid, b.value));
        expect(() => parseExtensions(bytes)).toThrow(DecodeError);
      }),
    );
    expect(() => parseExtensions(der.seq())).toThrow(DecodeError);
  });
});

describe('certificate extensions from the DER writer', () => {
  it('keyUsage: any set of bits', () => {
    fc.assert(
      fc.property(fc.uniqueArray(fc.integer({ min: 0, max: 8 })), (bits) => {
        const want = KEY_USAGE_BITS.filter((_, i) => bits.includes(i));
        expect([...decodeKeyUsage(der.flags(bits))]).toEqual(want);
      }),
    );
  });

  it('basicConstraints: cA and pathLenConstraint', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.option(fc.integer({ min: 0, max: 1000 }), { nil: undefined }), (ca, len) => {
        const bytes = der.seq(...(ca ? [der.bool(true)] : []), ...(len === undefined ? [] : [der.int(len)]));
        expect(decodeBasicConstraints(bytes)).toEqual(len === undefined ? { ca } : { ca, pathLength: len });
      }),
    );
    expect(() => decodeBasicConstraints(der.seq(der.bool(true), der.int(-1)))).toThrow(DecodeError);
  });

  const ascii = fc.string({ unit: fc.constantFrom(...'abcxyz0189.-@:/'), minLength: 1, maxLength: 20 });
  const generalName: fc.Arbitrary<[GeneralName, Uint8Array]> = fc.oneof(
    ascii.map((v): [GeneralName, Uint8Array] => [{ type: 'rfc822Name', value: v }, der.implicit(1, der.ia5(v))]),
    ascii.map((v): [GeneralName, Uint8Array] => [{ type: 'dNSName', value: v }, der.implicit(2, der.ia5(v))]),
    ascii.map((v): [GeneralName, Uint8Array] => [
      { type: 'uniformResourceIdentifier', value: v },
      der.implicit(6, der.ia5(v)),
    ]),
    fc
      .oneof(fc.uint8Array({ minLength: 4, maxLength: 4 }), fc.uint8Array({ minLength: 16, maxLength: 16 }))
      .map((ip): [GeneralName, Uint8Array] => [{ type: 'iPAddress', value: ip }, der.implicit(7, der.octets(ip))]),
    fc
      .array(fc.integer({ min: 1, max: 100_000 }), { minLength: 1, maxLength: 4 })
      .map((arcs): [GeneralName, Uint8Array] => {
        const oid = `1.2.${arcs.join('.')}`;
        return [{ type: 'registeredID', value: oid }, der.implicit(8, der.oid(oid))];
      }),
  );

  it('GeneralNames: any list of the string, IP and OID choices', () => {
    fc.assert(
      fc.property(fc.array(generalName, { minLength: 1, maxLength: 6 }), (names) => {
        const decoded = decodeGeneralNames(der.seq(...names.map(([, bytes]) => bytes)));
        expect(decoded).toEqual(names.map(([g]) => g));
      }),
    );
  });

  it('GeneralNames: directoryName and otherName', () => {
    const name = der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('Иванов'))));
    const [dir, other] = decodeGeneralNames(
      der.seq(der.explicit(4, name), der.tlv(0xa0, der.oid('1.2.3.4'), der.explicit(0, der.utf8('x')))),
    );
    expect(dir?.type === 'directoryName' && dir.value.commonName).toBe('Иванов');
    expect(other).toEqual({ type: 'otherName', typeId: '1.2.3.4', value: der.utf8('x') });
    expect(() => decodeGeneralNames(der.seq())).toThrow(DecodeError);
  });

  it('nameConstraints: permitted and excluded subtrees with their bounds', () => {
    fc.assert(
      fc.property(
        fc.array(generalName, { minLength: 1, maxLength: 3 }),
        fc.array(generalName, { maxLength: 3 }),
        fc.nat({ max: 5 }),
        (permitted, excluded, min) => {
          const subtree = ([, b]: [GeneralName, Uint8Array]) =>
            der.seq(b, ...(min ? [der.implicit(0, der.int(min))] : []));
          const bytes = der.seq(
            der.tlv(0xa0, ...permitted.map(subtree)),
            ...(excluded.length ? [der.tlv(0xa1, ...excluded.map(subtree))] : []),
          );
          const nc = decodeNameConstraints(bytes);
          expect(nc.permitted?.map((s) => [s.base, s.minimum, s.maximum])).toEqual(
            permitted.map(([g]) => [g, min, undefined]),
          );
          expect(nc.excluded?.map((s) => s.base)).toEqual(excluded.length ? excluded.map(([g]) => g) : undefined);
        },
      ),
    );
    expect(() => decodeNameConstraints(der.seq())).toThrow(DecodeError);
  });

  it('authorityKeyIdentifier: key id, issuer and serial', () => {
    fc.assert(
      fc.property(
        fc.uint8Array({ minLength: 1, maxLength: 32 }),
        fc.bigInt({ min: 1n, max: 1n << 159n }),
        (kid, sn) => {
          const issuer = der.explicit(4, der.seq(der.setOf(der.seq(der.oid('2.5.4.3'), der.utf8('CA')))));
          const aki = decodeAuthorityKeyIdentifier(
            der.seq(der.implicit(0, der.octets(kid)), der.tlv(0xa1, issuer), der.implicit(2, der.int(sn))),
          );
          expect(aki.keyIdentifier).toEqual(kid);
          expect(aki.authorityCertSerialNumber).toBe(sn);
          expect(aki.authorityCertIssuer?.[0]?.type).toBe('directoryName');
        },
      ),
    );
  });

  it('policyConstraints and privateKeyUsagePeriod: either field, not neither', () => {
    fc.assert(
      fc.property(
        fc.option(fc.nat({ max: 10 }), { nil: undefined }),
        fc.option(fc.nat({ max: 10 }), { nil: undefined }),
        (a, b) => {
          const fields = [
            ...(a === undefined ? [] : [der.implicit(0, der.int(a))]),
            ...(b === undefined ? [] : [der.implicit(1, der.int(b))]),
          ];
          if (a === undefined && b === undefined) {
            expect(() => decodePolicyConstraints(der.seq())).toThrow(/empty PolicyConstraints/);
            return;
          }
          expect(decodePolicyConstraints(der.seq(...fields))).toEqual({
            requireExplicitPolicy: a,
            inhibitPolicyMapping: b,
          });
        },
      ),
    );
    const t = new Date('2025-01-02T03:04:05Z');
    expect(decodePrivateKeyUsagePeriod(der.seq(der.implicit(1, der.generalizedTime(t))))).toEqual({
      notBefore: undefined,
      notAfter: t,
    });
    expect(() => decodePrivateKeyUsagePeriod(der.seq())).toThrow(/empty PrivateKeyUsagePeriod/);
  });
});

describe('CRL and OCSP extensions', () => {
  it('reasonCode: every defined code by name; 7 and 11 are DecodeErrors', () => {
    for (const [code, name] of Object.entries(CRL_REASONS)) {
      expect(decodeReasonCode(der.enumerated(Number(code)))).toBe(name);
    }
    expect(() => decodeReasonCode(der.enumerated(7))).toThrow(DecodeError);
    expect(() => decodeReasonCode(der.enumerated(11))).toThrow(DecodeError);
  });

  it('CRL distribution points and issuingDistributionPoint: URIs and reason flags', () => {
    fc.assert(
      fc.property(
        fc.array(fc.webUrl(), { minLength: 1, maxLength: 3 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 8 })),
        (uris, reasons) => {
          const fullName = der.tlv(0xa0, der.tlv(0xa0, ...uris.map((u) => der.implicit(6, der.ia5(u)))));
          const flags = reasons.length ? [der.implicit(1, der.flags(reasons))] : [];
          const [dp] = decodeCrlDistributionPoints(der.seq(der.seq(fullName, ...flags)));
          expect(dp?.uris).toEqual(uris);
          const want = REASON_FLAG_BITS.filter((_, i) => reasons.includes(i));
          expect(dp?.reasons ? [...dp.reasons] : undefined).toEqual(reasons.length ? want : undefined);
          const idp = decodeIssuingDistributionPoint(der.seq(fullName, der.implicit(1, der.bool(true))));
          expect([idp.uris, idp.onlyContainsUserCerts, idp.indirectCRL]).toEqual([uris, true, false]);
        },
      ),
    );
    const both = der.seq(der.implicit(1, der.bool(true)), der.implicit(2, der.bool(true)));
    expect(() => decodeIssuingDistributionPoint(both)).toThrow(DecodeError);
  });

  it('OCSP nonce: the inner OCTET STRING, or the bare bytes some responders send', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (nonce) => {
        expect(decodeOcspNonce(der.octets(nonce))).toEqual(nonce);
      }),
    );
    expect(decodeOcspNonce(Uint8Array.of(1, 2, 3))).toEqual(Uint8Array.of(1, 2, 3));
  });
});

describe('random bytes', () => {
  it('every decoder gives a value or a DecodeError, never another error', () => {
    const decoders = Object.entries(extensions).filter(
      ([k, f]) => typeof f === 'function' && k.startsWith('decode'),
    ) as [string, (b: Uint8Array) => unknown][];
    expect(decoders.length).toBeGreaterThan(15);
    const seed = fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.uint8Array({ maxLength: 30 }).map((b) => der.seq(b)),
      fc.uint8Array({ maxLength: 30 }).map((b) => der.seq(der.seq(b))),
    );
    fc.assert(
      fc.property(seed, (bytes) => {
        for (const [name, decode] of decoders) {
          try {
            decode(bytes);
          } catch (e) {
            if (!(e instanceof DecodeError)) throw new Error(`${name}: ${String(e)}`);
          }
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe('certificatePolicies limits (regression, issue 5 review)', () => {
  const policy = (i: number) => der.seq(der.oid(`1.2.643.100.113.${i}`));

  it('1024 distinct policies read; a duplicate is a DecodeError', () => {
    const list = decodeCertificatePolicies(der.seq(...Array.from({ length: 1024 }, (_, i) => policy(i))));
    expect(list).toHaveLength(1024);
    expect(list[1023]?.oid).toBe('1.2.643.100.113.1023');
    expect(() => decodeCertificatePolicies(der.seq(policy(1), policy(2), policy(1)))).toThrow(
      expect.objectContaining({ code: 'ERR_DECODE_DER', message: expect.stringContaining('duplicate policy') }),
    );
  });

  it('more than 1024 policies is ERR_DECODE_TOO_LARGE', () => {
    const many = der.seq(...Array.from({ length: 20_000 }, (_, i) => policy(i)));
    expect(() => decodeCertificatePolicies(many)).toThrow(expect.objectContaining({ code: 'ERR_DECODE_TOO_LARGE' }));
  });
});

describe('authorityKeyIdentifier serial (regression, issue 5 review)', () => {
  it('a padded authorityCertSerialNumber reads by value, as certificate serials do', () => {
    const aki = der.seq(der.tlv(0x82, Uint8Array.of(0, 0, 1)));
    expect(decodeAuthorityKeyIdentifier(aki).authorityCertSerialNumber).toBe(1n);
  });
});
