// Internal: the Ed25519 signature descriptor (RFC 8032 §5.1, identifiers RFC 8410 §3, CMS RFC 8419); WebCrypto with a @noble/curves fallback.
import { ed25519 as nobleEd25519 } from '@noble/curves/ed25519.js';
import { ed25519Seed, OID_ED25519 } from './_key-material';
import {
  b64u,
  importCached,
  platformSubtle,
  REBUILD,
  type Rebuildable,
  type SubtleSource,
  subtleVerify,
} from './_webcrypto';
import { der } from './asn1';
import type { PrivateKey, PublicKey, SignatureAlgorithm } from './types';

function checkKey(key: PublicKey): void {
  if (key?.type !== 'ed25519') throw new TypeError(`ed25519 needs an ed25519 key, got ${key?.type}`);
}

/** RFC 8032 §5.1.7 verification with canonical encodings (zip215: false), as OpenSSL does. */
function nobleVerify(key: PublicKey, data: Uint8Array, sig: Uint8Array): boolean {
  try {
    return nobleEd25519.verify(sig, data, key.raw, { zip215: false });
  } catch {
    return false;
  }
}

async function verify(source: SubtleSource, key: PublicKey, data: Uint8Array, sig: Uint8Array): Promise<boolean> {
  checkKey(key);
  if (sig.length !== 64) return false;
  const subtle = source();
  if (subtle) {
    const ck = await importCached(subtle, key, 'Ed25519/verify', () =>
      subtle.importKey('raw', key.raw as BufferSource, { name: 'Ed25519' }, false, ['verify']),
    );
    if (ck) return subtleVerify(subtle, { name: 'Ed25519' }, ck, sig, data);
  }
  return nobleVerify(key, data, sig);
}

async function sign(source: SubtleSource, key: PrivateKey, data: Uint8Array): Promise<Uint8Array> {
  checkKey(key?.publicKey);
  const subtle = source();
  if (subtle) {
    const ck = await importCached(subtle, key, 'Ed25519/sign', () => {
      const jwk: JsonWebKey = { kty: 'OKP', crv: 'Ed25519', x: b64u(key.publicKey.raw), d: b64u(ed25519Seed(key)) };
      return subtle.importKey('jwk', jwk, { name: 'Ed25519' }, false, ['sign']);
    });
    if (ck) return new Uint8Array(await subtle.sign({ name: 'Ed25519' }, ck, data as BufferSource));
  }
  return nobleEd25519.sign(data, ed25519Seed(key));
}

/** Ed25519 (PureEdDSA) on a SubtleCrypto source. Signatures are the raw 64 bytes R‖S. */
export function ed25519Algorithm(source: SubtleSource = platformSubtle): SignatureAlgorithm & Rebuildable {
  const identifier = der.seq(der.oid(OID_ED25519));
  return Object.freeze({
    name: 'ed25519',
    keyType: 'ed25519',
    digest: undefined,
    identifier: () => identifier.slice(),
    // RFC 8410 §3: the parameters MUST be absent. The CMS digestAlgorithm (SHA-512, RFC 8419 §3) is not needed.
    matches: (ai, key) => ai.oid === OID_ED25519 && ai.params === undefined && (!key || key.type === 'ed25519'),
    verify: (key, data, sig) => verify(source, key, data, sig),
    sign: (key, data) => sign(source, key, data),
    [REBUILD]: (src) => ed25519Algorithm(src),
  } satisfies SignatureAlgorithm & Rebuildable);
}
