// PKCS#10 requests (RFC 2986): round trips for every key type, Russian subject attributes, requested extensions, tampering.

import { ecdsaSha256, gost2012_256 } from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { decodeDer, TAG } from '@eds/core/asn1';
import { createCsr, encodeName, parseCsr } from '@eds/core/csr';
import { encodePem } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { generateKeyPair, type KeySpec } from '@eds/core/keys';
import { createSigner } from '@eds/core/signer';
import * as asn1js from 'asn1js';
import fc from 'fast-check';
import * as pkijs from 'pkijs';
import { describe, expect, it } from 'vitest';

const SPECS: [string, KeySpec, string][] = [
  ['GOST-256 CryptoPro-A', { type: 'gost2012-256', paramSet: 'cryptopro-a' }, '1.2.643.7.1.1.3.2'],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }, '1.2.643.7.1.1.3.2'],
  ['GOST-512 tc26-512-A', { type: 'gost2012-512' }, '1.2.643.7.1.1.3.3'],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }, '1.2.840.10045.4.3.2'],
  ['RSA-2048', { type: 'rsa', bits: 2048 }, '1.2.840.113549.1.1.11'],
  ['Ed25519', { type: 'ed25519' }, '1.3.101.112'],
];

const SUBJECT = {
  country: 'RU',
  stateOrProvince: '77 г. Москва',
  locality: 'Москва',
  street: 'ул. Тверская, д. 1',
  organization: 'ООО «Ромашка»',
  title: 'Генеральный директор',
  commonName: 'Иванов Иван Иванович',
  surname: 'Иванов',
  givenName: 'Иван Иванович',
  email: 'ivanov@example.ru',
  inn: '500100732259',
  innle: '7707083893',
  ogrn: '1027700132195',
  snils: '11223344595',
} as const;

/** Flips one bit of a copy at `index`. */
function flip(bytes: Uint8Array, index: number): Uint8Array {
  const copy = bytes.slice();
  copy[index] = (copy[index] as number) ^ 0x01;
  return copy;
}

describe('createCsr / parseCsr round trip', () => {
  for (const [label, spec, sigOid] of SPECS) {
    it(`${label}: parses, verifies, and fails after tampering`, async () => {
      const key = await generateKeyPair(spec);
      const csr = await createCsr({
        key,
        subject: SUBJECT,
        extensions: {
          keyUsage: ['digitalSignature', 'nonRepudiation'],
          extKeyUsage: ['clientAuth', 'emailProtection'],
          subjectAltName: [{ email: 'ivanov@example.ru' }],
          certificatePolicies: ['1.2.643.100.113.1'],
          subjectSignTool: 'СКЗИ «Тест»',
        },
        challengePassword: 'secret',
      });
      const view = parseCsr(csr);
      expect(view.version).toBe(0);
      expect(view.signatureAlgorithm.oid).toBe(sigOid);
      expect(view.publicKey.type).toBe(key.type);
      expect(view.spki).toEqual(key.publicKey.spki);
      expect(view.subject.commonName).toBe(SUBJECT.commonName);
      expect(view.subject.inn).toBe(SUBJECT.inn);
      expect(view.subject.snils).toBe(SUBJECT.snils);
      expect(view.subject.ogrn).toBe(SUBJECT.ogrn);
      expect(view.subject.country).toBe('RU');
      expect([...(view.keyUsage ?? [])].sort()).toEqual(['digitalSignature', 'nonRepudiation']);
      expect(view.extKeyUsage).toEqual(['1.3.6.1.5.5.7.3.2', '1.3.6.1.5.5.7.3.4']);
      expect(view.certificatePolicies?.map((p) => p.oid)).toEqual(['1.2.643.100.113.1']);
      expect(view.subjectSignTool).toBe('СКЗИ «Тест»');
      expect(view.challengePassword).toBe('secret');
      expect(view.extension('2.5.29.15')?.critical).toBe(true);
      expect(await view.verify(allAlgorithms)).toBe(true);

      // Tampered signature, and a tampered byte of the signed subject (inside the commonName text).
      const sigAt = csr.length - 1;
      expect(await parseCsr(flip(csr, sigAt)).verify(allAlgorithms)).toBe(false);
      const cn = new TextEncoder().encode('Иванов Иван');
      const at = indexOf(csr, cn);
      expect(at).toBeGreaterThan(0);
      const tampered = csr.slice();
      tampered[at + 1] = (tampered[at + 1] as number) ^ 0x01; // still valid UTF-8: 'И' (d0 98) -> d0 99 'Й'
      const tamperedView = parseCsr(tampered);
      expect(tamperedView.subject.commonName).not.toBe(SUBJECT.commonName);
      expect(await tamperedView.verify(allAlgorithms)).toBe(false);
    });
  }
});

function indexOf(haystack: Uint8Array, needle: Uint8Array): number {
  outer: for (let i = 0; i + needle.length <= haystack.length; i++) {
    for (let j = 0; j < needle.length; j++) if (haystack[i + j] !== needle[j]) continue outer;
    return i;
  }
  return -1;
}

describe('createCsr with a Signer', () => {
  it('uses the signer and its algorithm, and accepts PEM in parseCsr', async () => {
    const key = await generateKeyPair({ type: 'ecdsa', curve: 'P-256' });
    const signer = createSigner({ key });
    const csr = await createCsr({
      signer,
      subject: [
        ['commonName', 'a'],
        ['organization', 'b'],
      ],
    });
    const view = parseCsr(encodePem('CERTIFICATE REQUEST', csr));
    expect(view.der).toEqual(csr);
    expect(view.subject.attributes.map((a) => a.value)).toEqual(['a', 'b']);
    expect(view.extensions).toEqual([]);
    expect(await view.verify([ecdsaSha256])).toBe(true);
  });

  it('is read the same way by PKI.js (independent decoder)', async () => {
    const key = await generateKeyPair({ type: 'gost2012-256' });
    const csr = await createCsr({ key, subject: SUBJECT, extensions: { keyUsage: ['digitalSignature'] } });
    const parsed = pkijs.CertificationRequest.fromBER(csr.slice().buffer as ArrayBuffer);
    const types = parsed.subject.typesAndValues.map((t) => t.type);
    expect(types).toContain('1.2.643.3.131.1.1');
    expect(types).toContain('1.2.643.100.3');
    expect(parsed.signatureAlgorithm.algorithmId).toBe('1.2.643.7.1.1.3.2');
    expect(parsed.attributes?.map((a) => a.type)).toEqual(['1.2.840.113549.1.9.14']);
    const spki = new Uint8Array(parsed.subjectPublicKeyInfo.toSchema().toBER());
    expect(spki).toEqual(key.publicKey.spki);
    expect(asn1js.fromBER(csr.slice().buffer as ArrayBuffer).offset).toBe(csr.length);
  });

  it('rejects an algorithm that does not fit the key', async () => {
    const key = await generateKeyPair({ type: 'ecdsa', curve: 'P-256' });
    await expect(createCsr({ key, algorithm: gost2012_256, subject: { commonName: 'x' } })).rejects.toBeInstanceOf(
      UnsupportedAlgorithmError,
    );
  });

  it('rejects with the abort reason when the signal is aborted', async () => {
    const key = await generateKeyPair({ type: 'ed25519' });
    const controller = new AbortController();
    controller.abort(new Error('stop'));
    await expect(createCsr({ key, subject: { commonName: 'x' }, signal: controller.signal })).rejects.toThrow('stop');
  });
});

describe('encodeName', () => {
  const typeOf = (name: Uint8Array, oid: string): number | undefined => {
    for (const rdn of decodeDer(name).children()) {
      const [t, v] = (rdn.children()[0] as ReturnType<typeof decodeDer>).children();
      if (t?.oid() === oid) return v?.tag;
    }
    return undefined;
  };

  it('writes the string types of RFC 5280 and FSB order 795', () => {
    const name = encodeName({ ...SUBJECT, ogrnip: '304500116000157' });
    expect(typeOf(name, '2.5.4.6')).toBe(TAG.PRINTABLE_STRING);
    expect(typeOf(name, '1.2.840.113549.1.9.1')).toBe(TAG.IA5_STRING);
    expect(typeOf(name, '2.5.4.3')).toBe(TAG.UTF8_STRING);
    for (const oid of ['1.2.643.3.131.1.1', '1.2.643.100.4', '1.2.643.100.1', '1.2.643.100.5', '1.2.643.100.3']) {
      expect(typeOf(name, oid)).toBe(TAG.NUMERIC_STRING);
    }
  });

  it('writes the Kazakh IIN and BIN with their prefixes', () => {
    const name = encodeName({ commonName: 'ТЕСТОВ ТЕСТ', iin: '123456789012', bin: '987654321098' });
    const values = decodeDer(name)
      .children()
      .map((rdn) => (rdn.children()[0] as ReturnType<typeof decodeDer>).children()[1]?.string());
    expect(values).toEqual(['ТЕСТОВ ТЕСТ', 'IIN123456789012', 'BIN987654321098']);
  });

  it('keeps the order of a list and takes explicit string types and OIDs', () => {
    const name = encodeName([
      { type: 'commonName', value: 'x' },
      { type: '2.5.4.97', value: 'VATRU-7707083893', encoding: 'printable' },
      ['country', 'KZ'],
    ]);
    expect(typeOf(name, '2.5.4.97')).toBe(TAG.PRINTABLE_STRING);
    expect(decodeDer(name).children().length).toBe(3);
  });

  it('rejects values the attributes cannot hold', () => {
    expect(() => encodeName({ inn: '12345' })).toThrow(RangeError);
    expect(() => encodeName({ snils: '1122334459a' })).toThrow(RangeError);
    expect(() => encodeName({ country: 'Russia' })).toThrow(RangeError);
    expect(() => encodeName({ email: 'иван@пример.рф' })).toThrow(RangeError);
    expect(() => encodeName({ nickname: 'x' } as never)).toThrow(TypeError);
    expect(() => encodeName([['1.2', '']])).toThrow(RangeError);
  });
});

describe('parseCsr on bad input', () => {
  it('gives DecodeError for every truncation and for garbage', async () => {
    const key = await generateKeyPair({ type: 'ed25519' });
    const csr = await createCsr({ key, subject: { commonName: 'truncate me' } });
    fc.assert(
      fc.property(fc.integer({ min: 1, max: csr.length - 1 }), (n) => {
        expect(() => parseCsr(csr.subarray(0, n))).toThrow(DecodeError);
      }),
    );
    expect(() => parseCsr(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x00]))).toThrow(DecodeError);
  });

  it('rejects an unknown version', async () => {
    const key = await generateKeyPair({ type: 'ed25519' });
    const csr = await createCsr({ key, subject: { commonName: 'v' } });
    const info = decodeDer(csr).children()[0] as ReturnType<typeof decodeDer>;
    const version = info.children()[0] as ReturnType<typeof decodeDer>;
    const bad = csr.slice();
    bad[version.offset + 2] = 5;
    expect(() => parseCsr(bad)).toThrow(expect.objectContaining({ code: 'ERR_DECODE_CSR' }));
  });
});

describe('encodeName with untrusted attribute names (regression, issue 5 review)', () => {
  it.each(['toString', 'constructor', '__proto__', 'hasOwnProperty'])(
    'refuses %s as an attribute name in every form, naming it',
    (name) => {
      // JSON.parse makes `__proto__` an own property, as input from a file would.
      const object = JSON.parse(`{"commonName":"x",${JSON.stringify(name)}:"y"}`);
      expect(() => encodeName(object)).toThrow(new RegExp(`unknown name attribute.*${name}`));
      expect(() => encodeName(object)).toThrow(TypeError);
      expect(() => encodeName([[name, 'y']])).toThrow(TypeError);
      expect(() => encodeName([{ type: name, value: 'y' }])).toThrow(new RegExp(name));
    },
  );

  it('refuses an extended key usage named after an Object.prototype property', async () => {
    const key = await generateKeyPair({ type: 'ecdsa', curve: 'P-256' });
    for (const eku of ['constructor', 'toString']) {
      const options = { key, subject: { commonName: 'x' }, extensions: { extKeyUsage: [eku] } };
      await expect(createCsr(options)).rejects.toThrow(RangeError);
    }
  });
});
