// Signature descriptors: sign/verify round trips on both paths, tamper detection, DER<->P1363, findAlgorithm (X.509 and CMS forms), PSS parameters, RFC 9215 known answers.
import { withSubtle } from '@eds/core/_webcrypto';
import {
  defaultSignatureAlgorithm,
  ecdsaDerToP1363,
  ecdsaP1363ToDer,
  ecdsaSha1,
  ecdsaSha256,
  ecdsaSha384,
  ecdsaSha512,
  ed25519,
  findAlgorithm,
  gost2001,
  gost2012_256,
  gost2012_512,
  parseAlgorithmIdentifier,
  rsaPkcs1Sha1,
  rsaPkcs1Sha256,
  rsaPkcs1Sha384,
  rsaPkcs1Sha512,
  rsaPssSha1,
  rsaPssSha256,
  rsaPssSha384,
  rsaPssSha512,
  verifySignature,
} from '@eds/core/algorithms';
import { allAlgorithms } from '@eds/core/all-algorithms';
import { type Der, decodeDer, der, TAG } from '@eds/core/asn1';
import { gostr3411_94 } from '@eds/core/digests';
import { decodePem, hexDecode, hexEncode } from '@eds/core/encoding';
import { DecodeError, UnsupportedAlgorithmError } from '@eds/core/errors';
import { generateKeyPair, type KeySpec, parsePublicKey } from '@eds/core/keys';
import type { PrivateKey, PublicKey, SignatureAlgorithm } from '@eds/core/types';
import { getPublicKey, sign as gostSign, randomPrivateKey } from '@eds/gost/gost3410';
import { readFixture } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const data = new TextEncoder().encode('Документ для подписи / document to sign');
const PATHS: [string, SubtleCrypto | undefined][] = [
  ['webcrypto', globalThis.crypto?.subtle],
  ['fallback', undefined],
];

// [descriptor, key spec]
const CASES: [SignatureAlgorithm, KeySpec][] = [
  [gost2012_256, { type: 'gost2012-256' }],
  [gost2012_256, { type: 'gost2012-256', paramSet: 'tc26-256-a' }],
  [gost2012_512, { type: 'gost2012-512' }],
  [gost2012_512, { type: 'gost2012-512', paramSet: 'tc26-512-c' }],
  [ecdsaSha256, { type: 'ecdsa', curve: 'P-256' }],
  [ecdsaSha384, { type: 'ecdsa', curve: 'P-384' }],
  [ecdsaSha512, { type: 'ecdsa', curve: 'P-521' }],
  [ecdsaSha512, { type: 'ecdsa', curve: 'P-256' }],
  [rsaPkcs1Sha256, { type: 'rsa', bits: 2048 }],
  [rsaPkcs1Sha384, { type: 'rsa', bits: 2048 }],
  [rsaPkcs1Sha512, { type: 'rsa', bits: 2048 }],
  [rsaPssSha256, { type: 'rsa', bits: 2048 }],
  [rsaPssSha384, { type: 'rsa', bits: 2048 }],
  [rsaPssSha512, { type: 'rsa', bits: 2048 }],
  [ed25519, { type: 'ed25519' }],
];

const keys = new Map<string, PrivateKey>();
const keyOf = (spec: KeySpec) => keys.get(JSON.stringify(spec)) as PrivateKey;

beforeAll(async () => {
  for (const [, spec] of CASES) {
    const id = JSON.stringify(spec);
    if (!keys.has(id)) keys.set(id, await generateKeyPair(spec));
  }
}, 120_000);

const flip = (b: Uint8Array, i: number) => {
  const c = b.slice();
  c[i % c.length] = (c[i % c.length] as number) ^ 0x01;
  return c;
};

describe('sign and verify round trips', () => {
  for (const [alg, spec] of CASES) {
    const label = `${alg.name} with ${JSON.stringify(spec)}`;
    it(`${label}: each path signs, both paths verify, tampering is detected`, async () => {
      const key = keyOf(spec);
      for (const [, signSubtle] of PATHS) {
        const signer = withSubtle(alg, signSubtle);
        const sig = await (signer.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data);
        for (const [, verifySubtle] of PATHS) {
          const v = withSubtle(alg, verifySubtle);
          expect(await v.verify(key.publicKey, data, sig)).toBe(true);
          expect(await v.verify(key.publicKey, flip(data, 7), sig)).toBe(false);
          expect(await v.verify(key.publicKey, data, flip(sig, sig.length - 5))).toBe(false);
          expect(await v.verify(key.publicKey, data, sig.subarray(0, sig.length - 1))).toBe(false);
        }
      }
    });

    if (alg.signDigest) {
      it(`${label}: signDigest/verifyDigest agree with sign/verify`, async () => {
        const key = keyOf(spec);
        const h = (alg.digest as NonNullable<SignatureAlgorithm['digest']>).digest(data);
        const fromDigest = await (alg.signDigest as NonNullable<SignatureAlgorithm['signDigest']>)(key, h);
        expect(await alg.verify(key.publicKey, data, fromDigest)).toBe(true);
        const fromData = await (alg.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data);
        const verifyDigest = alg.verifyDigest as NonNullable<SignatureAlgorithm['verifyDigest']>;
        expect(await verifyDigest(key.publicKey, h, fromData)).toBe(true);
        expect(await verifyDigest(key.publicKey, flip(h, 3), fromData)).toBe(false);
        await expect(verifyDigest(key.publicKey, h.subarray(1), fromData)).rejects.toThrow(RangeError);
      });
    }
  }

  it('GOST signatures are s‖r of 2×32 / 2×64 bytes; ECDSA DER; Ed25519 64 bytes', async () => {
    const g256 = await (gost2012_256.sign as NonNullable<SignatureAlgorithm['sign']>)(
      keyOf({ type: 'gost2012-256' }),
      data,
    );
    const g512 = await (gost2012_512.sign as NonNullable<SignatureAlgorithm['sign']>)(
      keyOf({ type: 'gost2012-512' }),
      data,
    );
    expect([g256.length, g512.length]).toEqual([64, 128]);
    const e = await (ecdsaSha256.sign as NonNullable<SignatureAlgorithm['sign']>)(
      keyOf({ type: 'ecdsa', curve: 'P-256' }),
      data,
    );
    expect(
      decodeDer(e)
        .read()
        .rest('x')
        .map((n: Der) => n.tag),
    ).toEqual([TAG.INTEGER, TAG.INTEGER]);
    const ed = await (ed25519.sign as NonNullable<SignatureAlgorithm['sign']>)(keyOf({ type: 'ed25519' }), data);
    expect(ed.length).toBe(64);
  });

  it('verify-only descriptors have no sign; Ed25519 has no digest methods', () => {
    for (const a of [gost2001, ecdsaSha1, rsaPkcs1Sha1, rsaPssSha1]) expect(a.sign).toBeUndefined();
    expect(ed25519.signDigest).toBeUndefined();
    expect(ed25519.verifyDigest).toBeUndefined();
    expect(ed25519.digest).toBeUndefined();
  });

  it('a key of another type is a TypeError from the descriptor', async () => {
    const ec = keyOf({ type: 'ecdsa', curve: 'P-256' });
    const rsa = keyOf({ type: 'rsa', bits: 2048 });
    await expect(gost2012_256.verify(ec.publicKey, data, new Uint8Array(64))).rejects.toThrow(TypeError);
    await expect(ecdsaSha256.verify(rsa.publicKey, data, new Uint8Array(8))).rejects.toThrow(TypeError);
    await expect(rsaPkcs1Sha256.verify(ec.publicKey, data, new Uint8Array(8))).rejects.toThrow(TypeError);
    await expect(ed25519.verify(rsa.publicKey, data, new Uint8Array(64))).rejects.toThrow(TypeError);
    await expect(
      gost2012_512.verify(keyOf({ type: 'gost2012-256' }).publicKey, data, new Uint8Array(128)),
    ).rejects.toThrow(TypeError);
  });
});

describe('GOST R 34.10-2001 (verify only)', () => {
  it('verifies a signature over GOST R 34.11-94 (CryptoPro) with a 2001 key, and rejects a tampered one', async () => {
    const d = randomPrivateKey('cryptopro-a');
    const raw = getPublicKey(d, 'cryptopro-a');
    const spki = der.seq(
      der.seq(der.oid('1.2.643.2.2.19'), der.seq(der.oid('1.2.643.2.2.35.1'), der.oid('1.2.643.2.2.30.1'))),
      der.bits(der.octets(raw)),
    );
    const key = parsePublicKey(spki);
    expect(key.type).toBe('gost2001');
    const sig = gostSign(gostr3411_94.digest(data), d, 'cryptopro-a');
    expect(await gost2001.verify(key, data, sig)).toBe(true);
    expect(await gost2001.verify(key, flip(data, 1), sig)).toBe(false);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.2.2.3' }, { key })).toBe(gost2001);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.2.2.19' }, { key, digestOid: '1.2.643.2.2.9' })).toBe(gost2001);
    expect(
      await verifySignature(allAlgorithms, { algorithm: gost2001.identifier(), publicKey: key, data, signature: sig }),
    ).toBe(true);
  });

  it('a 2012 key on a TC26 set under a 2001 signature is UnsupportedAlgorithmError, not a crash (regression, issue 5 review)', async () => {
    const key = keyOf({ type: 'gost2012-256', paramSet: 'tc26-256-a' }).publicKey;
    const input = { algorithm: gost2001.identifier(), publicKey: key, data, signature: new Uint8Array(64).fill(1) };
    await expect(verifySignature(allAlgorithms, input)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
    await expect(gost2001.verify(key, data, input.signature)).rejects.toBeInstanceOf(UnsupportedAlgorithmError);
    // On a 2001-era set (CryptoPro-A) the 2012-256 key is still accepted for 2001 signatures.
    expect(gost2001.matches({ oid: '1.2.643.2.2.3' }, keyOf({ type: 'gost2012-256' }).publicKey)).toBe(true);
  });
});

describe('ECDSA DER <-> P1363', () => {
  it('round trips for random r and s of each size (fast-check)', () => {
    fc.assert(
      fc.property(fc.constantFrom(32, 48, 66), fc.uint8Array({ minLength: 132, maxLength: 132 }), (size, bytes) => {
        const rs = bytes.subarray(0, 2 * size);
        const d = ecdsaP1363ToDer(rs);
        expect(hexEncode(ecdsaDerToP1363(d, size))).toBe(hexEncode(rs));
        // Independent check of the DER: two minimal non-negative INTEGERs.
        const [r, s] = decodeDer(d).read().rest('x');
        expect(BigInt(`0x${hexEncode(rs.subarray(0, size))}`)).toBe((r as Der).integer());
        expect(BigInt(`0x${hexEncode(rs.subarray(size))}`)).toBe((s as Der).integer());
      }),
      { numRuns: 200 },
    );
  });

  it('rejects BER and malformed encodings', () => {
    const good = hexDecode('3006020101020102');
    expect(hexEncode(ecdsaDerToP1363(good, 32))).toBe(`${'00'.repeat(31)}01${'00'.repeat(31)}02`);
    const bad = [
      '308006020101020102', // indefinite length
      '30810602010102010200', // long-form length for a short body (and trailing byte)
      '3007020200010201020', // odd hex is not even tried; see next
      '300702020001020102', // non-minimal INTEGER
      '3006020181020102', // negative r
      '30060201010201020000', // trailing bytes
      '3009020101020102020103', // three INTEGERs
      '3006040101020102', // OCTET STRING instead of INTEGER
    ].filter((h) => h.length % 2 === 0);
    for (const h of bad) expect(() => ecdsaDerToP1363(hexDecode(h), 32), h).toThrow(DecodeError);
    const long = ecdsaP1363ToDer(new Uint8Array(66).fill(0x7f));
    expect(() => ecdsaDerToP1363(long, 32)).toThrow(DecodeError);
    expect(() => ecdsaP1363ToDer(new Uint8Array(63))).toThrow(RangeError);
  });

  it('verify returns false (not an exception) for malformed DER', async () => {
    const key = keyOf({ type: 'ecdsa', curve: 'P-256' });
    const sig = await (ecdsaSha256.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data);
    const ber = new Uint8Array([0x30, 0x81, sig[1] as number, ...sig.subarray(2)]);
    for (const [, subtle] of PATHS)
      expect(await withSubtle(ecdsaSha256, subtle).verify(key.publicKey, data, ber)).toBe(false);
  });
});

describe('parseAlgorithmIdentifier and findAlgorithm', () => {
  const gostKey = () => keyOf({ type: 'gost2012-256' }).publicKey;
  const rsaKey = () => keyOf({ type: 'rsa', bits: 2048 }).publicKey;

  it('parses with and without parameters', () => {
    expect(parseAlgorithmIdentifier(hexDecode('300a06082a85030701010302'))).toEqual({ oid: '1.2.643.7.1.1.3.2' });
    const ai = parseAlgorithmIdentifier(rsaPkcs1Sha256.identifier());
    expect(ai.oid).toBe('1.2.840.113549.1.1.11');
    expect(hexEncode(ai.params as Uint8Array)).toBe('0500');
    expect(() => parseAlgorithmIdentifier(hexDecode('300c06082a850307010103020500ff'))).toThrow(DecodeError);
    expect(() => parseAlgorithmIdentifier(hexDecode('300e06082a85030701010302050005 00'.replace(' ', '')))).toThrow(
      DecodeError,
    );
  });

  it('identifier() writes the standard encodings', () => {
    expect(hexEncode(gost2012_256.identifier())).toBe('300a06082a85030701010302');
    expect(hexEncode(gost2012_512.identifier())).toBe('300a06082a85030701010303');
    expect(hexEncode(ecdsaSha256.identifier())).toBe('300a06082a8648ce3d040302');
    expect(hexEncode(rsaPkcs1Sha256.identifier())).toBe('300d06092a864886f70d01010b0500');
    expect(hexEncode(ed25519.identifier())).toBe('300506032b6570');
    // RSASSA-PSS-params for SHA-256 as in the Wycheproof *_params SPKIs (RFC 4055 §3.1).
    expect(hexEncode(rsaPssSha256.identifier())).toBe(
      '304106092a864886f70d01010a3034a00f300d06096086480165030402010500a11c301a06092a864886f70d010108300d06096086480165030402010500a203020120',
    );
  });

  it('every descriptor is found by its own identifier', () => {
    for (const a of allAlgorithms) expect(findAlgorithm(allAlgorithms, a.identifier()).name).toBe(a.name);
  });

  it('GOST: signature OID, and the CMS key OID with Streebog or no digest', () => {
    const key = gostKey();
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.3.2' }, { key })).toBe(gost2012_256);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.1.1' }, { key })).toBe(gost2012_256);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.1.1' }, { key, digestOid: '1.2.643.7.1.1.2.2' })).toBe(
      gost2012_256,
    );
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.1.2' }, { digestOid: '1.2.643.7.1.1.2.3' })).toBe(
      gost2012_512,
    );
    expect(() =>
      findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.1.1' }, { key, digestOid: '2.16.840.1.101.3.4.2.1' }),
    ).toThrow(UnsupportedAlgorithmError);
    // A 256-bit key with the 512-bit signature OID is not a match.
    expect(() => findAlgorithm(allAlgorithms, { oid: '1.2.643.7.1.1.3.3' }, { key })).toThrow(
      UnsupportedAlgorithmError,
    );
  });

  it('RSA: sha256WithRSAEncryption (NULL or absent), and rsaEncryption + digest in CMS', () => {
    const key = rsaKey();
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.840.113549.1.1.11' }, { key })).toBe(rsaPkcs1Sha256);
    const cms = findAlgorithm(allAlgorithms, der.seq(der.oid('1.2.840.113549.1.1.1'), der.null()), {
      key,
      digestOid: '2.16.840.1.101.3.4.2.1',
    });
    expect(cms).toBe(rsaPkcs1Sha256);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.840.113549.1.1.1' }, { digestOid: '2.16.840.1.101.3.4.2.3' })).toBe(
      rsaPkcs1Sha512,
    );
    expect(() => findAlgorithm(allAlgorithms, { oid: '1.2.840.113549.1.1.1' }, { key })).toThrow(
      UnsupportedAlgorithmError,
    );
  });

  it('ECDSA: ecdsa-with-SHAx for any supported curve, and id-ecPublicKey + digest', () => {
    const key = keyOf({ type: 'ecdsa', curve: 'P-384' }).publicKey;
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.840.10045.4.3.2' }, { key })).toBe(ecdsaSha256);
    expect(
      findAlgorithm(allAlgorithms, { oid: '1.2.840.10045.2.1' }, { key, digestOid: '2.16.840.1.101.3.4.2.2' }),
    ).toBe(ecdsaSha384);
    expect(findAlgorithm(allAlgorithms, { oid: '1.2.840.10045.4.1' }, { key })).toBe(ecdsaSha1);
  });

  it('unknown OIDs, wrong key types and odd parameters give UnsupportedAlgorithmError with the OID', async () => {
    for (const [ai, key] of [
      [{ oid: '1.2.643.2.2.20' }, undefined], // GOST R 34.10-94
      [{ oid: '1.2.840.10045.4.3.2' }, rsaKey()],
      [{ oid: '1.3.101.112', params: der.null() }, undefined],
      [{ oid: '1.2.840.113549.1.1.11', params: der.oid('1.2.3') }, undefined],
      [{ oid: '1.2.840.113549.1.1.10' }, undefined], // PSS without parameters
    ] as const) {
      try {
        findAlgorithm(allAlgorithms, ai, key ? { key } : {});
        expect.unreachable(ai.oid);
      } catch (e) {
        expect(e).toBeInstanceOf(UnsupportedAlgorithmError);
        expect((e as UnsupportedAlgorithmError).oid).toBe(ai.oid);
      }
    }
    const rsa = keyOf({ type: 'rsa', bits: 2048 });
    await expect(
      verifySignature(allAlgorithms, {
        algorithm: ecdsaSha256.identifier(),
        publicKey: rsa.publicKey,
        data,
        signature: new Uint8Array(8),
      }),
    ).rejects.toThrow(UnsupportedAlgorithmError);
    expect(() => findAlgorithm([gost2012_256], ecdsaSha256.identifier())).toThrow(UnsupportedAlgorithmError);
  });

  it('verifySignature picks the descriptor and verifies', async () => {
    for (const [alg, spec] of CASES) {
      const key = keyOf(spec);
      const sig = await (alg.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data);
      const input = { algorithm: alg.identifier(), publicKey: key.publicKey, data, signature: sig };
      expect(await verifySignature(allAlgorithms, input), alg.name).toBe(true);
      expect(await verifySignature(allAlgorithms, { ...input, data: flip(data, 0) }), alg.name).toBe(false);
    }
  });

  it('defaultSignatureAlgorithm', () => {
    const names = CASES.map(([, spec]) => defaultSignatureAlgorithm(keyOf(spec).publicKey).name);
    expect(names).toEqual([
      'gost2012-256',
      'gost2012-256',
      'gost2012-512',
      'gost2012-512',
      'ecdsa-sha256',
      'ecdsa-sha384',
      'ecdsa-sha512',
      'ecdsa-sha256',
      ...Array(6).fill('rsa-pkcs1-sha256'),
      'ed25519',
    ]);
  });
});

describe('RSASSA-PSS parameters', () => {
  const pssId = (hash: string, mgf: string, salt: number) => {
    const h = (oid: string) => der.seq(der.oid(oid), der.null());
    return der.seq(
      der.oid('1.2.840.113549.1.1.10'),
      der.seq(
        der.explicit(0, h(hash)),
        der.explicit(1, der.seq(der.oid('1.2.840.113549.1.1.8'), h(mgf))),
        der.explicit(2, der.int(salt)),
      ),
    );
  };
  const SHA1 = '1.3.14.3.2.26';
  const SHA256 = '2.16.840.1.101.3.4.2.1';

  it('findAlgorithm binds MGF1 hash and salt length; signatures verify only with the same parameters', async () => {
    const key = keyOf({ type: 'rsa', bits: 2048 });
    for (const [mgf, salt] of [
      [SHA1, 0],
      [SHA256, 0],
      [SHA256, 20],
      [SHA1, 64],
    ] as const) {
      const id = pssId(SHA256, mgf, salt);
      const bound = findAlgorithm(allAlgorithms, id, { key: key.publicKey });
      // identifier() writes the bound parameters in DER (defaults such as MGF1-SHA-1 omitted).
      const again = findAlgorithm(allAlgorithms, bound.identifier(), { key: key.publicKey });
      expect(hexEncode(again.identifier())).toBe(hexEncode(bound.identifier()));
      if (mgf === SHA256 && salt !== 20) expect(hexEncode(bound.identifier())).toBe(hexEncode(id));
      const sig = await (bound.sign as NonNullable<SignatureAlgorithm['sign']>)(key, data);
      for (const [, subtle] of PATHS) {
        expect(await withSubtle(bound, subtle).verify(key.publicKey, data, sig)).toBe(true);
        // The unbound descriptor (MGF1-SHA-256, salt 32) must not accept it.
        expect(await withSubtle(rsaPssSha256, subtle).verify(key.publicKey, data, sig)).toBe(false);
      }
    }
  });

  it('the empty parameters are the RFC 4055 defaults (SHA-1, MGF1-SHA-1, salt 20): rsaPssSha1', () => {
    const a = findAlgorithm(allAlgorithms, der.seq(der.oid('1.2.840.113549.1.1.10'), der.seq()));
    expect(a.name).toBe('rsa-pss-sha1');
    expect(() => findAlgorithm(allAlgorithms, pssId('2.16.840.1.101.3.4.2.4', SHA256, 32))).toThrow(
      UnsupportedAlgorithmError,
    );
  });

  it('an id-RSASSA-PSS key with parameters restricts the algorithms it matches (RFC 4055 §3.3)', () => {
    const rsa = keyOf({ type: 'rsa', bits: 2048 }).publicKey;
    // Re-wrap the same RSAPublicKey in an id-RSASSA-PSS SPKI restricted to SHA-256, salt >= 32.
    const restricted = parsePublicKey(der.seq(rsaPssSha256.identifier(), der.bits(rsa.raw)));
    expect(findAlgorithm(allAlgorithms, pssId(SHA256, SHA256, 32), { key: restricted }).name).toBe('rsa-pss-sha256');
    expect(() => findAlgorithm(allAlgorithms, pssId(SHA256, SHA256, 20), { key: restricted })).toThrow(
      UnsupportedAlgorithmError,
    );
    expect(() => findAlgorithm(allAlgorithms, pssId(SHA256, SHA1, 32), { key: restricted })).toThrow(
      UnsupportedAlgorithmError,
    );
    expect(() => findAlgorithm(allAlgorithms, rsaPkcs1Sha256.identifier(), { key: restricted })).toThrow(
      UnsupportedAlgorithmError,
    );
  });
});

describe('RFC 9215 examples (GOST known answers with RFC 7091 fixed k)', () => {
  const EXAMPLES = ['gost2012-256-testparamset', 'gost2012-256-tc26a', 'gost2012-512-testparamset'];
  const signed = (bytes: Uint8Array) => {
    const r = decodeDer(bytes).read();
    const tbs = r.next(TAG.SEQUENCE, 'tbs').bytes;
    const algorithm = r.next(TAG.SEQUENCE, 'algorithm').bytes;
    const signature = r.next(TAG.BIT_STRING, 'signature').bitBytes();
    return { tbs, algorithm, signature };
  };
  const pem = async (name: string) => {
    const text = new TextDecoder().decode(await readFixture(`packages/core/test/vectors/rfc9215/${name}.pem`));
    return (decodePem(text)[0] as { bytes: Uint8Array }).bytes;
  };
  /** SubjectPublicKeyInfo of a certificate: the 7th field of TBSCertificate (version is [0]). */
  const certKey = (cert: Uint8Array): PublicKey => {
    const fields = decodeDer(signed(cert).tbs).read().rest('f');
    return parsePublicKey((fields[6] as Der).bytes);
  };

  for (const name of EXAMPLES) {
    it(`${name}: the certificate, CRL and CSR signatures verify; a changed byte does not`, async () => {
      const cert = await pem(`${name}-cert`);
      const key = certKey(cert);
      for (const part of ['cert', 'crl', 'csr']) {
        const s = signed(await pem(`${name}-${part}`));
        const input = { algorithm: s.algorithm, publicKey: key, data: s.tbs, signature: s.signature };
        expect(await verifySignature(allAlgorithms, input), `${name}-${part}`).toBe(true);
        expect(await verifySignature(allAlgorithms, { ...input, data: flip(s.tbs, 40) })).toBe(false);
      }
    });
  }
});

describe('RSA moduli too short for the hash (regression, issue 5 review)', () => {
  // Any odd 512-bit modulus and e = 65537: verification needs no factorisation. 512 bits leave
  // 64 bytes, fewer than PKCS#1 v1.5 needs for a SHA-384/512 DigestInfo (tLen + 11 = 78 / 94)
  // and PSS for hLen + sLen + 2 (66 / 98 / 130).
  const n = (1n << 511n) + 12345n * 2n + 1n;
  const key = parsePublicKey(
    der.seq(der.seq(der.oid('1.2.840.113549.1.1.1'), der.null()), der.bits(der.seq(der.int(n), der.int(65537)))),
  );
  const sig = new Uint8Array(64).fill(0x11); // below n, so RSAVP1 runs
  const short: SignatureAlgorithm[] = [rsaPkcs1Sha384, rsaPkcs1Sha512, rsaPssSha256, rsaPssSha384, rsaPssSha512];

  it.each(short.map((a) => [a.name, a] as const))(
    '%s: verify and verifyDigest resolve to false, never throw',
    async (_, alg) => {
      expect(key.bits).toBe(512);
      for (const [, subtle] of PATHS) {
        const a = withSubtle(alg, subtle);
        await expect(a.verify(key, data, sig)).resolves.toBe(false);
        const digest = (alg.digest as NonNullable<SignatureAlgorithm['digest']>).digest(data);
        await expect(
          (a.verifyDigest as NonNullable<SignatureAlgorithm['verifyDigest']>)(key, digest, sig),
        ).resolves.toBe(false);
      }
    },
  );
});
