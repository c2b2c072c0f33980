// X.509 view: TC26 and RFC 9215 GOST certificates, x509-limbo corpus, a hand-built Russian qualified certificate, fuzzing (name-only checks: name.test.ts).
import { der } from '@eds/core/asn1';
import { encodePem } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import {
  isKnownOid,
  OID_EXT_AUTHORITY_KEY_IDENTIFIER_OBSOLETE,
  OID_GOST2012_256,
  OID_GOST2012_512,
  oidName,
} from '@eds/core/oids';
import { parseCertificate, parseCertificates } from '@eds/core/x509';
import { readFixture, readVectorText } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const text = (b: Uint8Array) => new TextDecoder().decode(b);

describe('TC26 CMS example certificates (values read from `openssl x509 -text`)', () => {
  it('root256: self-issued, no basicConstraints, obsolete 2.5.29.1 kept raw', async () => {
    const c = parseCertificate(await readVectorText('gost/tc26-cms-2019/root256_cert.pem'));
    expect(c.version).toBe(3);
    expect(c.serialNumber).toBe(26000001n);
    expect(c.serialHex).toBe('018cba81');
    expect(c.subject.organization).toBe('TK26');
    expect(c.subject.commonName).toBe('CA TK26: GOST 34.10-12 256-bit');
    expect(c.isSelfIssued).toBe(true);
    expect(c.basicConstraints).toBeUndefined();
    expect(c.isCA).toBe(false);
    expect(c.notBefore.toISOString()).toBe('2001-01-01T00:00:00.000Z');
    expect(c.notAfter.toISOString()).toBe('2049-12-31T00:00:00.000Z');
    expect(c.publicKeyAlgorithm.oid).toBe(OID_GOST2012_256);
    expect(c.signatureAlgorithm.oid).toBe('1.2.643.7.1.1.3.2');
    expect(hex(c.subjectKeyIdentifier as Uint8Array)).toBe('80d90cf799f8664d9353898ec09e712da7a73112');
    const obsolete = c.extensions.find((e) => e.oid === OID_EXT_AUTHORITY_KEY_IDENTIFIER_OBSOLETE);
    expect(obsolete?.value[0]).toBe(0x30);
    expect(c.isQualified).toBe(false);
    expect(c.describe('en')).toContain('CA TK26');
  });

  it('sender512: 512-bit key signed by the 256-bit root', async () => {
    const c = parseCertificate(await readVectorText('gost/tc26-cms-2019/sender512_cert.pem'));
    expect(c.serialNumber).toBe(0x18cba84n);
    expect(c.subject.commonName).toBe('ORIGINATOR: GOST 34.10-12 512-bit');
    expect(c.issuer.commonName).toBe('CA TK26: GOST 34.10-12 256-bit');
    expect(c.publicKeyAlgorithm.oid).toBe(OID_GOST2012_512);
    expect(c.publicKeyParamSet).toBe('1.2.643.7.1.2.1.2.1');
    expect(c.isSelfIssued).toBe(false);
    expect(hex(c.subjectKeyIdentifier as Uint8Array)).toBe('2be97d1c0b1c38d1b1cc2711a714409851ef957a');
  });

  it('parses all five certificates', async () => {
    for (const f of ['root256', 'sender256', 'sender512', 'recipient256', 'recipient512']) {
      const c = parseCertificate(await readVectorText(`gost/tc26-cms-2019/${f}_cert.pem`));
      expect(c.issuer.organization, f).toBe('TK26');
      expect(c.isValidAt(new Date('2020-01-01T00:00:00Z'))).toBe(true);
      expect(c.isValidAt(new Date('2000-12-31T23:59:59Z'))).toBe(false);
    }
  });
});

describe('RFC 9215 example certificates', () => {
  it('carry the serials, curves and signatures of expected.json', async () => {
    const expected = JSON.parse(text(await readFixture('packages/core/test/vectors/rfc9215/expected.json')));
    for (const name of ['gost2012-256-testparamset', 'gost2012-256-tc26a', 'gost2012-512-testparamset']) {
      const src = expected[name].source;
      const c = parseCertificate(text(await readFixture(`packages/core/test/vectors/rfc9215/${name}-cert.pem`)));
      expect(c.serialNumber, name).toBe(BigInt(src.certSerial));
      expect(hex(c.signature).toUpperCase(), name).toBe(src.certSignature);
      const curve = /\(([\d.]+)\)/.exec(src.curve)?.[1];
      expect(c.publicKeyParamSet, name).toBe(curve);
    }
  });

  it('TK26IOK certificates parse', async () => {
    for (const f of ['tk26iok-256.pem', 'tk26iok-512.pem']) {
      const c = parseCertificate(text(await readFixture(`packages/core/test/vectors/rfc9215/${f}`)));
      expect(c.version).toBe(3);
    }
  });
});

describe('x509-limbo certificates', () => {
  it('every PEM parses or gives DecodeError, nothing else', async () => {
    const limbo = JSON.parse(await readVectorText('x509-limbo/limbo.json'));
    const pems = new Set<string>();
    for (const t of limbo.testcases) {
      for (const p of [...t.trusted_certs, ...t.untrusted_intermediates, t.peer_certificate]) pems.add(p);
    }
    let parsed = 0;
    let rejected = 0;
    const reasons = new Map<string, number>();
    for (const pem of pems) {
      try {
        const c = parseCertificate(pem);
        // touch every lazy getter
        void [c.basicConstraints, c.keyUsage, c.extKeyUsage, c.certificatePolicies, c.subjectKeyIdentifier];
        void [c.authorityKeyIdentifier, c.authorityInfoAccess, c.crlDistributionPoints, c.nameConstraints];
        void [c.subjectAltName, c.policyConstraints, c.policyMappings, c.subject.toString(), c.describe('ru')];
        parsed++;
      } catch (e) {
        if (!(e instanceof DecodeError || e instanceof UnsupportedAlgorithmError)) throw e;
        rejected++;
        const why = e.message.replace(/\(at byte \d+\)/, '').slice(0, 90);
        reasons.set(why, (reasons.get(why) ?? 0) + 1);
      }
    }
    console.log(`x509-limbo: ${pems.size} distinct certificates, ${parsed} parsed, ${rejected} DecodeError`);
    for (const [why, n] of reasons) console.log(`  ${n} × ${why}`);
    expect(parsed + rejected).toBe(pems.size);
    expect(parsed).toBeGreaterThan(pems.size * 0.9);
  });
});

// ---------------------------------------------------------------------------------------------
// A Russian qualified certificate built with the DER writer (the signature is a placeholder:
// parsing does not check it).

const ALG = der.seq(der.oid('1.2.643.7.1.1.3.2'));
const ext = (oid: string, value: Uint8Array, critical = false) =>
  der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
const atv = (oid: string, value: Uint8Array) => der.setOf(der.seq(der.oid(oid), value));

function russianCertificate(): Uint8Array {
  const subject = der.seq(
    atv('2.5.4.6', der.printable('RU')),
    atv('2.5.4.8', der.utf8('77 г. Москва')),
    atv('2.5.4.7', der.utf8('Москва')),
    atv('2.5.4.9', der.utf8('ул. Ленина, д. 1')),
    atv('2.5.4.10', der.utf8('ООО "Ромашка"')),
    atv('2.5.4.11', der.utf8('Бухгалтерия')),
    atv('2.5.4.12', der.utf8('Генеральный директор')),
    atv('2.5.4.3', der.utf8('Иванов Иван Иванович')),
    atv('2.5.4.4', der.utf8('Иванов')),
    atv('2.5.4.42', der.utf8('Иван Иванович')),
    atv('1.2.840.113549.1.9.1', der.ia5('ivanov@example.ru')),
    atv('1.2.643.3.131.1.1', der.numeric('771234567890')),
    atv('1.2.643.100.4', der.numeric('7701234567')),
    atv('1.2.643.100.1', der.numeric('1027700132195')),
    atv('1.2.643.100.3', der.numeric('12345678901')),
  );
  const issuer = der.seq(atv('2.5.4.6', der.printable('RU')), atv('2.5.4.3', der.utf8('Тестовый УЦ')));
  const spki = der.seq(
    der.seq(der.oid('1.2.643.7.1.1.1.1'), der.seq(der.oid('1.2.643.7.1.2.1.1.1'))),
    der.bits(der.octets(new Uint8Array(64).fill(7))),
  );
  const uri = (s: string) => der.implicit(6, der.ia5(s));
  const extensions = der.seq(
    ext('2.5.29.15', der.flags([0, 1]), true),
    ext('2.5.29.37', der.seq(der.oid('1.3.6.1.5.5.7.3.2'), der.oid('1.3.6.1.5.5.7.3.4'))),
    ext(
      '2.5.29.16',
      der.seq(
        der.implicit(0, der.generalizedTime(new Date('2024-01-01T00:00:00Z'))),
        der.implicit(1, der.generalizedTime(new Date('2025-04-01T00:00:00Z'))),
      ),
    ),
    ext('1.2.643.100.111', der.utf8('"КриптоПро CSP" (версия 5.0)')),
    ext(
      '1.2.643.100.112',
      der.seq(
        der.utf8('ПАК "КриптоПро CSP"'),
        der.utf8('ПАК "КриптоПро УЦ"'),
        der.utf8('СФ/124-1'),
        der.utf8('СФ/128-2'),
      ),
    ),
    ext(
      '2.5.29.32',
      der.seq(
        der.seq(der.oid('1.2.643.100.113.1')),
        der.seq(der.oid('1.2.643.100.113.2')),
        der.seq(der.oid('2.5.29.32.0')),
      ),
    ),
    ext(
      '1.3.6.1.5.5.7.1.1',
      der.seq(
        der.seq(der.oid('1.3.6.1.5.5.7.48.1'), uri('http://ocsp.example.ru/ocsp')),
        der.seq(der.oid('1.3.6.1.5.5.7.48.2'), uri('http://ca.example.ru/ca.crt')),
      ),
    ),
    ext('2.5.29.31', der.seq(der.seq(der.explicit(0, der.implicit(0, der.seq(uri('http://ca.example.ru/ca.crl'))))))),
    ext('2.5.29.14', der.octets(Uint8Array.of(1, 2, 3, 4))),
    ext('2.5.29.35', der.seq(der.implicit(0, der.octets(Uint8Array.of(9, 8, 7))))),
  );
  const tbs = der.seq(
    der.explicit(0, der.int(2)),
    der.int(0x01d5a8c3n),
    ALG,
    issuer,
    der.seq(der.utcTime(new Date('2024-01-01T00:00:00Z')), der.utcTime(new Date('2025-04-01T12:00:00Z'))),
    subject,
    spki,
    der.explicit(3, extensions),
  );
  return der.seq(tbs, ALG, der.bits(new Uint8Array(64).fill(1)));
}

describe('Russian qualified certificate (hand-built)', () => {
  const cert = parseCertificate(russianCertificate());

  it('exposes every identifier', () => {
    const s = cert.subject;
    expect(s.commonName).toBe('Иванов Иван Иванович');
    expect(s.surname).toBe('Иванов');
    expect(s.givenName).toBe('Иван Иванович');
    expect(s.inn).toBe('771234567890');
    expect(s.innle).toBe('7701234567');
    expect(s.ogrn).toBe('1027700132195');
    expect(s.snils).toBe('12345678901');
    expect(s.organization).toBe('ООО "Ромашка"');
    expect(s.organizationalUnit).toBe('Бухгалтерия');
    expect(s.title).toBe('Генеральный директор');
    expect(s.country).toBe('RU');
    expect(s.stateOrProvince).toBe('77 г. Москва');
    expect(s.locality).toBe('Москва');
    expect(s.street).toBe('ул. Ленина, д. 1');
    expect(s.email).toBe('ivanov@example.ru');
    expect(cert.ownerName).toBe('Иванов Иван Иванович');
  });

  it('decodes the Russian extensions and the qualified profile', () => {
    expect([...(cert.keyUsage ?? [])]).toEqual(['digitalSignature', 'nonRepudiation']);
    expect(cert.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
    expect(cert.subjectSignTool).toBe('"КриптоПро CSP" (версия 5.0)');
    expect(cert.issuerSignTool?.cAToolCert).toBe('СФ/128-2');
    expect(cert.privateKeyUsagePeriod?.notAfter?.toISOString()).toBe('2025-04-01T00:00:00.000Z');
    expect(cert.qualifiedClasses).toEqual(['KC1', 'KC2']);
    expect(cert.isQualified).toBe(true);
    expect(cert.authorityInfoAccess?.ocsp).toEqual(['http://ocsp.example.ru/ocsp']);
    expect(cert.authorityInfoAccess?.caIssuers).toEqual(['http://ca.example.ru/ca.crt']);
    expect(cert.crlDistributionPoints?.[0]?.uris).toEqual(['http://ca.example.ru/ca.crl']);
    expect(hex(cert.authorityKeyIdentifier?.keyIdentifier as Uint8Array)).toBe('090807');
    expect(cert.publicKeyParamSet).toBe('1.2.643.7.1.2.1.1.1');
    expect(cert.expiresInDays(new Date('2025-03-31T12:00:00Z'))).toBe(1);
    expect(cert.expiresInDays(new Date('2025-04-02T12:00:00Z'))).toBe(-1);
    expect(cert.expiresInDays(new Date('2025-04-03T12:00:01Z'))).toBe(-3);
  });

  it('describes itself in Russian and English', () => {
    const ru = cert.describe('ru');
    for (const s of [
      'Владелец',
      'Иванов Иван Иванович',
      'СНИЛС',
      '12345678901',
      'ИНН',
      '771234567890',
      'ОГРН',
      'Издатель',
      'Тестовый УЦ',
      'Действителен с',
      ' по ',
      'КС1',
      'tc26-256-A',
      'КриптоПро',
    ]) {
      expect(ru).toContain(s);
    }
    expect(ru).toContain('01.04.2025 12:00:00 UTC');
    const en = cert.describe('en');
    for (const s of [
      'Owner',
      'SNILS',
      'INN',
      'OGRN',
      'Issuer',
      'Apr  1 12:00:00 2025 GMT',
      'KC1',
      'clientAuth',
      'emailProtection',
    ]) {
      expect(en).toContain(s);
    }
    const json = JSON.parse(JSON.stringify(cert));
    expect(json.identifiers.snils).toBe('12345678901');
    expect(json.notAfter).toBe('2025-04-01T12:00:00.000Z');
    expect(json.isQualified).toBe(true);
  });

  it('RFC 4514 string: Russian OIDs as dotted #hex, specials escaped', () => {
    const str = cert.subject.toString();
    expect(str.startsWith('1.2.643.100.3=#120b3132333435363738393031,')).toBe(true);
    expect(str).toContain('O=ООО \\"Ромашка\\"');
    expect(str).toContain('STREET=ул. Ленина\\, д. 1');
    expect(str.endsWith('C=RU')).toBe(true);
  });

  it('a PEM bundle and a certs-only SignedData give the certificates', () => {
    const one = russianCertificate();
    const pem = encodePem('CERTIFICATE', one) + encodePem('CERTIFICATE', one);
    expect(parseCertificates(pem)).toHaveLength(2);
    const p7 = der.seq(
      der.oid('1.2.840.113549.1.7.2'),
      der.explicit(
        0,
        der.seq(
          der.int(1),
          der.setOf(),
          der.seq(der.oid('1.2.840.113549.1.7.1')),
          der.tlv(0xa0, one, one),
          der.setOf(),
        ),
      ),
    );
    const certs = parseCertificates(p7);
    expect(certs).toHaveLength(2);
    expect(certs[1]?.subject.snils).toBe('12345678901');
    expect(parseCertificates(encodePem('PKCS7', p7))).toHaveLength(2);
  });
});

describe('bad input', () => {
  it('an outer signature algorithm differing from the inner one is a DecodeError', () => {
    const good = russianCertificate();
    expect(() => parseCertificate(good)).not.toThrow();
    const bad = der.seq(
      parseCertificate(good).tbs,
      der.seq(der.oid('1.2.643.7.1.1.3.3')),
      der.bits(new Uint8Array(64)),
    );
    expect(() => parseCertificate(bad)).toThrow(DecodeError);
  });

  it('random mutations give DecodeError only', async () => {
    const base = parseCertificate(await readVectorText('gost/tc26-cms-2019/sender256_cert.pem')).raw;
    const mutated = fc.oneof(
      fc.integer({ min: 0, max: base.length - 1 }).map((n) => base.slice(0, n)),
      fc.tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 1, max: 255 })).map(([i, x]) => {
        const b = base.slice();
        b[i] = (b[i] as number) ^ x;
        return b;
      }),
      fc
        .tuple(fc.integer({ min: 0, max: base.length }), fc.uint8Array({ minLength: 1, maxLength: 4 }))
        .map(([i, ins]) => {
          const b = new Uint8Array(base.length + ins.length);
          b.set(base.subarray(0, i));
          b.set(ins, i);
          b.set(base.subarray(i), i + ins.length);
          return b;
        }),
    );
    fc.assert(
      fc.property(mutated, (bytes) => {
        try {
          const c = parseCertificate(bytes);
          void [c.subjectKeyIdentifier, c.basicConstraints, c.keyUsage, c.describe('ru'), JSON.stringify(c)];
        } catch (e) {
          if (!(e instanceof DecodeError)) throw e;
        }
      }),
      { numRuns: 1500 },
    );
  });
});

describe('lookups by caller-supplied names (regression, issue 5 review)', () => {
  const cert = parseCertificate(russianCertificate());

  it('fingerprint() rejects Object.prototype member names instead of calling them', () => {
    for (const alg of ['constructor', 'toString', '__proto__', 'hasOwnProperty']) {
      expect(() => cert.fingerprint(alg as 'sha1'), alg).toThrow(TypeError);
    }
    expect(cert.fingerprint('sha256')).toHaveLength(32);
  });

  it('oidName and isKnownOid see only their own table', () => {
    for (const key of ['constructor', 'toString', '__proto__', 'valueOf']) {
      expect(oidName(key), key).toBe(key);
      expect(oidName(key, 'ru'), key).toBe(key);
      expect(isKnownOid(key), key).toBe(false);
    }
    expect(oidName('1.2.643.100.3')).toBe('SNILS');
    expect(isKnownOid('1.2.643.100.3')).toBe(true);
  });

  it('describe() with an unknown language string falls back to English', () => {
    expect(cert.describe('constructor' as 'en')).toBe(cert.describe('en'));
    expect(cert.describe('__proto__' as 'en')).toBe(cert.describe('en'));
  });

  it('a padded certificate serial is read by value with a note', () => {
    const tbs = der.seq(
      der.explicit(0, der.int(2)),
      der.tlv(0x02, Uint8Array.of(0, 0, 1)),
      der.seq(der.oid('1.2.643.7.1.1.3.2')),
      der.seq(),
      der.seq(der.utcTime(new Date('2024-01-01T00:00:00Z')), der.utcTime(new Date('2025-01-01T00:00:00Z'))),
      der.seq(),
      der.seq(der.seq(der.oid('1.2.643.7.1.1.1.1')), der.bits(new Uint8Array(4))),
    );
    const c = parseCertificate(der.seq(tbs, der.seq(der.oid('1.2.643.7.1.1.3.2')), der.bits(new Uint8Array(4))));
    expect(c.serialNumber).toBe(1n);
    expect(c.notes.join('\n')).toContain('not minimally encoded');
  });
});
