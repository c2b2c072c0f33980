// Mechanism selection of the PKCS#11 adapter: the rows of tokens.md §6.1 (values from the
// reference, not from the code under test) and totality over keys × schemes × inputs × lists.
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { MechanismNotSupportedError } from '@eds/pkcs11/errors';
import { decodeUlong, type MechanismQuery, selectMechanism } from '@eds/pkcs11/mechanisms';
import { defaultScheme } from '@eds/pkcs11/schemes';
import type { HashAlg, KeyAlgorithm, SignatureScheme, SignInput } from '@eds/pkcs11/types';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');
const utf8 = (s: string) => new TextEncoder().encode(s);
const sha = async (name: 'SHA-256' | 'SHA-384' | 'SHA-512', data: Uint8Array) =>
  new Uint8Array(await crypto.subtle.digest(name, data as Uint8Array<ArrayBuffer>));

// Values as tokens.md §3 and §6.1 give them.
const RSA: KeyAlgorithm = { kind: 'RSA', modulusBits: 2048 };
const EC: KeyAlgorithm = { kind: 'EC', namedCurve: 'P-256' };
const ED: KeyAlgorithm = { kind: 'EdDSA', curve: 'Ed25519' };
const G256: KeyAlgorithm = { kind: 'GOST2012', bits: 256, paramSet: '1.2.643.7.1.2.1.1.1' };
const G512: KeyAlgorithm = { kind: 'GOST2012', bits: 512, paramSet: '1.2.643.7.1.2.1.2.1' };
/** SoftHSM 2.6.1 signing mechanisms (§4.1): RSA-PKCS, PSS, SHAx-RSA-PKCS[-PSS], ECDSA raw, EDDSA. */
const SOFTHSM = [0x1, 0x3, 0xd, 0x6, 0x40, 0x41, 0x42, 0xe, 0x43, 0x44, 0x45, 0x1041, 0x1057];
/** A Rutoken-like list: raw GOST and the TC26 hash-and-sign mechanisms (§3.2). */
const RUTOKEN = [0x1201, 0x1202, 0xd4321006, 0xd4321008, 0xd4321009, 0xd4321012, 0xd4321013, 0x1, 0x1041];
const DIGEST_INFO_SHA256 = '3031300d060960864801650304020105000420';

const q = (o: Partial<MechanismQuery> & Pick<MechanismQuery, 'keyAlgorithm' | 'scheme'>): MechanismQuery => ({
  inputType: 'digest',
  mechanisms: SOFTHSM,
  ...o,
});

describe('selectMechanism: rows of tokens.md §6.1', () => {
  const data = utf8('данные для подписи');

  it('RSA PKCS#1 v1.5 over a digest: CKM_RSA_PKCS (0x1) over DER DigestInfo', async () => {
    const h = await sha('SHA-256', data);
    const plan = selectMechanism(
      q({ keyAlgorithm: RSA, keyType: 0x0, scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' } }),
    );
    expect(plan.mechanism).toBe(0x1);
    expect(plan.parameter).toBeUndefined();
    expect(hex(plan.prepare({ type: 'digest', digest: h, hash: 'SHA-256' }))).toBe(DIGEST_INFO_SHA256 + hex(h));
  });

  it.each([
    ['SHA-256', 0x40],
    ['SHA-384', 0x41],
    ['SHA-512', 0x42],
  ] as const)('RSA PKCS#1 v1.5 over data with %s: CKM_SHAx_RSA_PKCS (0x%s) when listed', (hash, mech) => {
    const plan = selectMechanism(
      q({ keyAlgorithm: RSA, scheme: { name: 'RSASSA-PKCS1-v1_5', hash }, inputType: 'data' }),
    );
    expect(plan.mechanism).toBe(mech);
    expect(plan.prepare({ type: 'data', data })).toEqual(data);
  });

  it('RSA PKCS#1 v1.5 over data without SHA256-RSA-PKCS listed: hashed in JS, CKM_RSA_PKCS', async () => {
    const plan = selectMechanism(
      q({
        keyAlgorithm: RSA,
        scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
        inputType: 'data',
        mechanisms: [0x1],
      }),
    );
    expect(plan.mechanism).toBe(0x1);
    expect(plan.hashedHere).toBe('SHA-256');
    expect(hex(plan.prepare({ type: 'data', data }))).toBe(DIGEST_INFO_SHA256 + hex(await sha('SHA-256', data)));
  });

  it('RSA-PSS: CKM_RSA_PKCS_PSS (0xD) with hashAlg CKM_SHA256 (0x250), mgf CKG_MGF1_SHA256 (2), saltLen', async () => {
    const scheme: SignatureScheme = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
    const digestPlan = selectMechanism(q({ keyAlgorithm: RSA, scheme }));
    expect(digestPlan.mechanism).toBe(0xd);
    expect(digestPlan.parameter).toMatchObject({ hashAlg: 0x250, mgf: 2, saltLen: 32 });
    const h = await sha('SHA-256', data);
    expect(digestPlan.prepare({ type: 'digest', digest: h, hash: 'SHA-256' })).toEqual(h);
    const dataPlan = selectMechanism(q({ keyAlgorithm: RSA, scheme, inputType: 'data' }));
    expect(dataPlan.mechanism).toBe(0x43);
    expect(dataPlan.parameter).toMatchObject({ hashAlg: 0x250, mgf: 2, saltLen: 32 });
  });

  it('ECDSA: CKM_ECDSA (0x1041) over the digest; over data hashed in JS on SoftHSM (no ECDSA-SHA256)', async () => {
    const scheme: SignatureScheme = { name: 'ECDSA', hash: 'SHA-256' };
    expect(selectMechanism(q({ keyAlgorithm: EC, keyType: 0x3, scheme })).mechanism).toBe(0x1041);
    const plan = selectMechanism(q({ keyAlgorithm: EC, scheme, inputType: 'data' }));
    expect(plan.mechanism).toBe(0x1041);
    expect(plan.prepare({ type: 'data', data })).toEqual(await sha('SHA-256', data));
    const listed = selectMechanism(q({ keyAlgorithm: EC, scheme, inputType: 'data', mechanisms: [0x1041, 0x1044] }));
    expect(listed.mechanism).toBe(0x1044);
    expect(listed.prepare({ type: 'data', data })).toEqual(data);
  });

  it('EdDSA: CKM_EDDSA (0x1057) over data; a digest is not supported', () => {
    const scheme: SignatureScheme = { name: 'EdDSA' };
    expect(selectMechanism(q({ keyAlgorithm: ED, keyType: 0x40, scheme, inputType: 'data' })).mechanism).toBe(0x1057);
    expect(() => selectMechanism(q({ keyAlgorithm: ED, scheme, inputType: 'digest' }))).toThrow(
      MechanismNotSupportedError,
    );
  });

  it('GOST 2012-256: CKM_GOSTR3410 (0x1201) over Streebog-256; 0xD4321008 over data when listed', () => {
    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    for (const keyType of [0x30, 0xd4321003]) {
      expect(selectMechanism(q({ keyAlgorithm: G256, keyType, scheme, mechanisms: RUTOKEN })).mechanism).toBe(0x1201);
    }
    const hashAndSign = selectMechanism(q({ keyAlgorithm: G256, scheme, inputType: 'data', mechanisms: RUTOKEN }));
    expect(hashAndSign.mechanism).toBe(0xd4321008);
    expect(hashAndSign.prepare({ type: 'data', data })).toEqual(data);
    const raw = selectMechanism(q({ keyAlgorithm: G256, scheme, inputType: 'data', mechanisms: [0x1201] }));
    expect(raw.mechanism).toBe(0x1201);
    expect(hex(raw.prepare({ type: 'data', data: new Uint8Array(0) }))).toBe(
      // Streebog-256 of the empty message (tokens.md §4.4; RFC 6986 test vectors' algorithm)
      '3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb',
    );
    expect(raw.prepare({ type: 'data', data })).toEqual(streebog256(data));
  });

  it('GOST 2012-512: 0xD4321006 over Streebog-512; 0xD4321009 over data', () => {
    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-512' };
    const digest = streebog512(utf8('x'));
    const plan = selectMechanism(q({ keyAlgorithm: G512, keyType: 0xd4321003, scheme, mechanisms: RUTOKEN }));
    expect(plan.mechanism).toBe(0xd4321006);
    expect(plan.prepare({ type: 'digest', digest, hash: 'STREEBOG-512' })).toEqual(digest);
    expect(selectMechanism(q({ keyAlgorithm: G512, scheme, inputType: 'data', mechanisms: RUTOKEN })).mechanism).toBe(
      0xd4321009,
    );
    expect(
      selectMechanism(q({ keyAlgorithm: G512, scheme, inputType: 'data', mechanisms: [0xd4321006] })).hashedHere,
    ).toBe('STREEBOG-512');
  });

  it('refuses what does not fit: unlisted mechanism, wrong key type, scheme for another key, bad digests', () => {
    const ecdsa: SignatureScheme = { name: 'ECDSA', hash: 'SHA-256' };
    const g256: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    const bad: (() => unknown)[] = [
      () => selectMechanism(q({ keyAlgorithm: G256, scheme: g256, mechanisms: SOFTHSM })),
      () => selectMechanism(q({ keyAlgorithm: EC, keyType: 0x0, scheme: ecdsa })),
      () => selectMechanism(q({ keyAlgorithm: RSA, scheme: ecdsa })),
      () => selectMechanism(q({ keyAlgorithm: G512, scheme: g256, mechanisms: RUTOKEN })),
      () => selectMechanism(q({ keyAlgorithm: RSA, scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'STREEBOG-256' } })),
      () =>
        selectMechanism(q({ keyAlgorithm: EC, scheme: ecdsa })).prepare({
          type: 'digest',
          digest: new Uint8Array(48),
          hash: 'SHA-384',
        }),
      () =>
        selectMechanism(q({ keyAlgorithm: EC, scheme: ecdsa })).prepare({
          type: 'digest',
          digest: new Uint8Array(31),
          hash: 'SHA-256',
        }),
    ];
    for (const f of bad) expect(f).toThrow(MechanismNotSupportedError);
  });
});

describe('selectMechanism: total over keys × schemes × inputs × mechanism lists', () => {
  const HASHES: HashAlg[] = ['SHA-1', 'SHA-256', 'SHA-384', 'SHA-512', 'STREEBOG-256', 'STREEBOG-512'];
  const KNOWN = [...new Set([...SOFTHSM, ...RUTOKEN, 0x1042, 0x1044, 0x1045, 0x1046, 0x1203, 0x250])];
  const keyAlgorithm = fc.oneof(
    fc.constantFrom(2048, 3072, 4096).map((modulusBits): KeyAlgorithm => ({ kind: 'RSA', modulusBits })),
    fc.constantFrom('P-256', 'P-384', 'P-521' as const).map((namedCurve): KeyAlgorithm => ({ kind: 'EC', namedCurve })),
    fc.constant(ED),
    fc.constantFrom(G256, G512),
  );
  const hash = fc.constantFrom(...HASHES);
  const scheme = fc.oneof(
    hash.map((h): SignatureScheme => ({ name: 'RSASSA-PKCS1-v1_5', hash: h })),
    fc
      .tuple(hash, fc.integer({ min: 0, max: 64 }))
      .map(([h, s]): SignatureScheme => ({ name: 'RSA-PSS', hash: h, saltLength: s })),
    hash.map((h): SignatureScheme => ({ name: 'ECDSA', hash: h })),
    fc.constant<SignatureScheme>({ name: 'EdDSA' }),
    hash.map((h): SignatureScheme => ({ name: 'GOST3410', hash: h })),
  );
  const keyType = fc.option(fc.constantFrom(0x0, 0x3, 0x30, 0x40, 0xd4321003, 0x31), { nil: undefined });
  const mechanisms = fc.subarray(KNOWN);

  it('returns a listed mechanism whose prepare accepts a well-formed input, or throws MechanismNotSupportedError', () => {
    fc.assert(
      fc.property(
        keyAlgorithm,
        scheme,
        fc.constantFrom('data', 'digest' as const),
        mechanisms,
        keyType,
        (k, s, t, m, kt) => {
          let plan: ReturnType<typeof selectMechanism>;
          try {
            plan = selectMechanism({ keyAlgorithm: k, scheme: s, inputType: t, mechanisms: m, keyType: kt });
          } catch (e) {
            expect(e).toBeInstanceOf(MechanismNotSupportedError);
            return;
          }
          expect(m).toContain(plan.mechanism);
          const size =
            s.name === 'EdDSA'
              ? 0
              : { 'SHA-1': 20, 'SHA-256': 32, 'SHA-384': 48, 'SHA-512': 64, 'STREEBOG-256': 32, 'STREEBOG-512': 64 }[
                  s.hash
                ];
          const input: SignInput =
            t === 'data' || s.name === 'EdDSA'
              ? { type: 'data', data: utf8('abc') }
              : { type: 'digest', digest: new Uint8Array(size).fill(7), hash: s.hash };
          expect(plan.prepare(input)).toBeInstanceOf(Uint8Array);
          expect(plan.finish(new Uint8Array([1, 2]))).toEqual(new Uint8Array([1, 2]));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('every supported key signs data and digests with its default scheme on a token listing all §6.1 mechanisms', () => {
    fc.assert(
      fc.property(keyAlgorithm, (k) => {
        const s = defaultScheme(k);
        const inputs: SignInput['type'][] = k.kind === 'EdDSA' ? ['data'] : ['data', 'digest'];
        for (const t of inputs) {
          expect(
            typeof selectMechanism({ keyAlgorithm: k, scheme: s, inputType: t, mechanisms: KNOWN }).mechanism,
          ).toBe('number');
        }
      }),
    );
  });
});

describe('decodeUlong', () => {
  it('reads CK_ULONG little-endian by length (8 bytes on Linux x64, 4 on Windows)', () => {
    expect(decodeUlong(new Uint8Array([0x03, 0, 0, 0, 0, 0, 0, 0]))).toBe(3);
    expect(decodeUlong(new Uint8Array([0x03, 0, 0, 0]))).toBe(3);
    expect(decodeUlong(new Uint8Array([0x03, 0x10, 0x32, 0xd4]))).toBe(0xd4321003);
    expect(decodeUlong(new Uint8Array([0x03, 0x10, 0x32, 0xd4, 0, 0, 0, 0]))).toBe(0xd4321003);
    expect(() => decodeUlong(new Uint8Array(0))).toThrow(RangeError);
  });
});
