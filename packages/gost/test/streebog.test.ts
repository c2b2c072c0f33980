// Tests of Streebog (GOST R 34.11-2012, RFC 6986): official examples, vectors checked with OpenSSL, properties, misuse.
import { streebog256, streebog512 } from '@eds/gost/streebog';
import { NOT_BYTES } from '@eds/test-support/inputs';
import { hmac } from '@noble/hashes/hmac.js';
import { pbkdf2 } from '@noble/hashes/pbkdf2.js';
import { bytesToHex, hexToBytes } from '@noble/hashes/utils.js';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const ascii = (text: string) => new TextEncoder().encode(text);
/** RFC 6986 prints vectors most significant byte first: the reverse of the byte order used here. */
const fromRfc = (hex: string) => hexToBytes(hex).reverse();
const hex256 = (data: Uint8Array) => bytesToHex(streebog256(data));
const hex512 = (data: Uint8Array) => bytesToHex(streebog512(data));

describe('RFC 6986 §10 examples', () => {
  // §10.1: M1 is the 63 ASCII digits 0123...9012.
  const m1 = ascii('012345678901234567890123456789012345678901234567890123456789012');
  // §10.2: M2 is the cp1251 text "Се ветри, Стрибожи внуци, ..."; its bytes as the RFC prints them.
  const m2 = fromRfc(
    'fbe2e5f0eee3c820fbeafaebef20fffbf0e1e0f0f520e0ed20e8ece0ebe5f0f2f120fff0eeec20f120faf2fee5e2202ce8f6f3ede220e8e6eee1e8f0f2d1202ce8f0f2e5e220e5d1',
  );

  it('M1 is the message the RFC prints', () => {
    expect(m1).toEqual(
      fromRfc(
        '323130393837363534333231303938373635343332313039383736353433323130393837363534333231303938373635343332313039383736353433323130',
      ),
    );
  });

  it('M1, 512 bits', () => {
    expect(bytesToHex(streebog512(m1))).toBe(
      bytesToHex(
        fromRfc(
          '486f64c1917879417fef082b3381a4e211c324f074654c38823a7b76f830ad00fa1fbae42b1285c0352f227524bc9ab16254288dd6863dccd5b9f54a1ad0541b',
        ),
      ),
    );
  });

  it('M1, 256 bits', () => {
    expect(hex256(m1)).toBe(bytesToHex(fromRfc('00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d')));
    expect(hex256(m1)).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
  });

  it('M2, 512 bits', () => {
    expect(hex512(m2)).toBe(
      bytesToHex(
        fromRfc(
          '28fbc9bada033b1460642bdcddb90c3fb3e56c497ccd0f62b8a2ad4935e85f037613966de4ee00531ae60f3b5a47f8dae06915d5f2f194996fcabf2622e6881e',
        ),
      ),
    );
  });

  it('M2, 256 bits', () => {
    expect(hex256(m2)).toBe(bytesToHex(fromRfc('508f7e553c06501d749a66fc28c6cac0b005746d97537fa85d9e40904efed29d')));
  });
});

// Expected values printed by OpenSSL 3 with the GOST engine, e.g.
//   printf abc | OPENSSL_CONF=shared/tools/openssl-gost.cnf openssl dgst -streebog512
// (for binary messages, the bytes were piped in with python3 -c "sys.stdout.buffer.write(...)").
describe('vectors computed with OpenSSL (openssl dgst -streebog256 / -streebog512)', () => {
  it('the empty message', () => {
    expect(hex256(new Uint8Array(0))).toBe('3f539a213e97c802cc229d474c6aa32a825a360b2a933a949fd925208d9ce1bb');
    expect(hex512(new Uint8Array(0))).toBe(
      '8e945da209aa869f0455928529bcae4679e9873ab707b55315f56ceb98bef0a7362f715528356ee83cda5f2aac4c6ad2ba3a715c1bcd81cb8e9f90bf4c1c1a8a',
    );
  });

  it('"abc"', () => {
    expect(hex256(ascii('abc'))).toBe('4e2919cf137ed41ec4fb6270c61826cc4fffb660341e0af3688cd0626d23b481');
    expect(hex512(ascii('abc'))).toBe(
      '28156e28317da7c98f4fe2bed6b542d0dab85bb224445fcedaf75d46e26d7eb8d5997f3e0915dd6b7f0aab08d9c8beb0d8c64bae2ab8b3c8c6bc53b3bf0db728',
    );
  });

  it('exactly one block (bytes 00..3f): the padding still adds a block', () => {
    const m = Uint8Array.from({ length: 64 }, (_, i) => i);
    expect(hex256(m)).toBe('1bce2366e4aecd63c75f972bfc6a514e03e2125920bea5b59cbd8ce0be56b8f3');
    expect(hex512(m)).toBe(
      '2ae581f18ae85e3596c936acbef910f2ed70dcf91ed5d24b39a5af657bf8232a303d686056c8c00bf30d42e16ce255426fa8a155dcb3eb822d925808f7c7e345',
    );
  });

  it('exactly two blocks of 0xff: Σ overflows 2^512', () => {
    const m = new Uint8Array(128).fill(0xff);
    expect(hex256(m)).toBe('4749bfc37b7ddad7c745dc2da1fb22619f70154c064ae3b6cb34bc2b2c0827c1');
    expect(hex512(m)).toBe(
      '90a161d12ad309498d3fe5d48202d8a4e9c406d6a264aeab258ac5ecc37a7962aaf9587a5abb09b6bb81ec4b3752a3ff5a838ef175be5772056bc5fe54fcfc7e',
    );
  });

  // A 144-byte message whose checksum additions carry through whole 64-bit words; implementations
  // that dropped such carries were found with it (https://habr.com/ru/post/450024/, pygost's
  // test_habr144). The 256-bit value is the one pygost asserts; both values agree with OpenSSL.
  it('the habr-144 carry vector', () => {
    const m = hexToBytes(
      'd0cf11e0a1b11ae1000000000000000000000000000000003e000300feff0900060000000000000000000000010000000100000000000000001000002400000001000000feffffff0000000000000000ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff',
    );
    expect(m.length).toBe(144);
    expect(hex256(m)).toBe('c766085540caaa8953bfcf7a1ba220619cee50d65dc242f82f23ba4b180b18e0');
    expect(hex512(m)).toBe(
      '3d46a117a91ac9220f6dee4d1db83f0d018f799b58ca118648f7d6e4f82e37e951459776e866d4e31467afc843ce88e8d6db62e3fb93cb9fcd60703de7492828',
    );
  });
});

describe('with @noble/hashes', () => {
  // RFC 7836 Appendix B (test examples): HMAC_GOSTR3411_2012_256 and _512, key 00..1f.
  const key = Uint8Array.from({ length: 32 }, (_, i) => i);
  const data = hexToBytes('0126bdb87800af214341456563780100');

  it('HMAC_GOSTR3411_2012_256 (RFC 7836 Appendix B)', () => {
    expect(bytesToHex(hmac(streebog256, key, data))).toBe(
      'a1aa5f7de402d7b3d323f2991c8d4534013137010a83754fd0af6d7cd4922ed9',
    );
  });

  it('HMAC_GOSTR3411_2012_512 (RFC 7836 Appendix B)', () => {
    expect(bytesToHex(hmac(streebog512, key, data))).toBe(
      'a59bab22ecae19c65fbde6e5f4e9f5d8549d31f037f9df9b905500e171923a773d5f1530f2ed7e964cb2eedc29e9ad2f3afe93b2814f79f5000ffc0366c251e6',
    );
  });

  it('incremental HMAC equals one-shot HMAC', () => {
    const mac = hmac.create(streebog256, key);
    mac.update(data.subarray(0, 5)).update(data.subarray(5));
    expect(bytesToHex(mac.digest())).toBe(bytesToHex(hmac(streebog256, key, data)));
  });

  // PBKDF2 with HMAC_GOSTR3411_2012_512: the first three examples of TC 26 R 50.1.111-2016.
  it.each([
    [
      1,
      '64770af7f748c3b1c9ac831dbcfd85c26111b30a8a657ddc3056b80ca73e040d2854fd36811f6d825cc4ab66ec0a68a490a9e5cf5156b3a2b7eecddbf9a16b47',
    ],
    [
      2,
      '5a585bafdfbb6e8830d6d68aa3b43ac00d2e4aebce01c9b31c2caed56f0236d4d34b2b8fbd2c4e89d54d46f50e47d45bbac301571743119e8d3c42ba66d348de',
    ],
    [
      4096,
      'e52deb9a2d2aaff4e2ac9d47a41f34c20376591c67807f0477e32549dc341bc7867c09841b6d58e29d0347c996301d55df0d34e47cf68f4e3c2cdaf1d9ab86c3',
    ],
  ])('PBKDF2 (R 50.1.111-2016), c = %i', (c, expected) => {
    expect(bytesToHex(pbkdf2(streebog512, ascii('password'), ascii('salt'), { c, dkLen: 64 }))).toBe(expected);
  });

  it('exposes the sizes and DER OIDs (1.2.643.7.1.1.2.2 and .3) noble expects', () => {
    expect([streebog256.outputLen, streebog256.blockLen, streebog512.outputLen, streebog512.blockLen]).toEqual([
      32, 64, 64, 64,
    ]);
    expect(bytesToHex(streebog256.oid ?? new Uint8Array())).toBe('06082a85030701010202');
    expect(bytesToHex(streebog512.oid ?? new Uint8Array())).toBe('06082a85030701010203');
    const h = streebog256.create();
    expect([h.outputLen, h.blockLen, h.canXOF]).toEqual([32, 64, false]);
  });
});

describe('properties', () => {
  const message = fc.uint8Array({ maxLength: 700 });
  const hashes = fc.constantFrom(streebog256, streebog512);

  it('incremental hashing with any chunking equals one-shot hashing', () => {
    fc.assert(
      fc.property(hashes, message, fc.array(fc.nat({ max: 200 }), { maxLength: 12 }), (hash, m, cuts) => {
        const h = hash.create();
        let at = 0;
        for (const cut of cuts) {
          const end = Math.min(m.length, at + cut);
          h.update(m.subarray(at, end));
          at = end;
        }
        h.update(m.subarray(at));
        expect(bytesToHex(h.digest())).toBe(bytesToHex(hash(m)));
      }),
      { numRuns: 150 },
    );
  });

  it('clone() mid-stream continues like the original', () => {
    fc.assert(
      fc.property(hashes, message, message, (hash, head, tail) => {
        const h = hash.create().update(head);
        const copy = h.clone();
        expect(bytesToHex(copy.update(tail).digest())).toBe(bytesToHex(h.update(tail).digest()));
        expect(bytesToHex(hash.create().update(head).update(tail).digest())).toBe(bytesToHex(hash(concat(head, tail))));
      }),
      { numRuns: 100 },
    );
  });

  it('interleaved instances do not disturb each other', () => {
    fc.assert(
      fc.property(message, message, (a, b) => {
        const ha = streebog256.create();
        const hb = streebog512.create();
        const half = (m: Uint8Array) => m.length >> 1;
        ha.update(a.subarray(0, half(a)));
        hb.update(b.subarray(0, half(b)));
        ha.update(a.subarray(half(a)));
        hb.update(b.subarray(half(b)));
        expect(bytesToHex(ha.digest())).toBe(hex256(a));
        expect(bytesToHex(hb.digest())).toBe(hex512(b));
      }),
      { numRuns: 50 },
    );
  });

  it('is deterministic, and sensitive to every byte', () => {
    fc.assert(
      fc.property(hashes, fc.uint8Array({ minLength: 1, maxLength: 300 }), fc.nat(), (hash, m, i) => {
        expect(bytesToHex(hash(m))).toBe(bytesToHex(hash(Uint8Array.from(m))));
        const flipped = Uint8Array.from(m);
        const at = i % m.length;
        flipped[at] = (flipped[at] ?? 0) ^ 1;
        expect(bytesToHex(hash(flipped))).not.toBe(bytesToHex(hash(m)));
      }),
      { numRuns: 100 },
    );
  });

  it('reads views at any offset of their buffer', () => {
    const backing = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
    const view = backing.subarray(7, 207);
    expect(hex512(view)).toBe(hex512(Uint8Array.from(view)));
  });

  it('digestInto fills the first outputLen bytes of a larger buffer', () => {
    const out = new Uint8Array(40).fill(0xaa);
    streebog256.create().update(ascii('abc')).digestInto(out);
    expect(bytesToHex(out.subarray(0, 32))).toBe(hex256(ascii('abc')));
    expect([...out.subarray(32)]).toEqual(new Array(8).fill(0xaa));
  });
});

describe('misuse', () => {
  it.each(NOT_BYTES)('rejects %s with a TypeError', (_, input) => {
    expect(() => streebog256(input as unknown as Uint8Array)).toThrow(TypeError);
    expect(() => streebog512.create().update(input as unknown as Uint8Array)).toThrow(/expected a Uint8Array/);
  });

  it('refuses update() and digest() after digest()', () => {
    const h = streebog256.create().update(ascii('abc'));
    h.digest();
    expect(() => h.update(ascii('more'))).toThrow(/digest\(\) was already called/);
    expect(() => h.digest()).toThrow(/digest\(\) was already called/);
  });

  it('refuses to work after destroy()', () => {
    const h = streebog512.create().update(ascii('secret'));
    h.destroy();
    expect(() => h.update(ascii('x'))).toThrow(/destroyed/);
    expect(() => h.digest()).toThrow(/destroyed/);
  });

  it('rejects a too-short output buffer', () => {
    expect(() => streebog512.create().digestInto(new Uint8Array(32))).toThrow(RangeError);
  });
});

function concat(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}
