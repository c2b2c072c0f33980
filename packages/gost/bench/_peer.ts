// Loads @wavesenterprise/crypto-gost-js, the pure-JS peer the benchmarks compare against.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { compileFunction } from 'node:vm';

/** One GostSign instance (src/engine/gostSign.js). */
export interface PeerSigner {
  /** Signs `data`, which is taken as the digest when no `hash` is configured. */
  sign(privateKey: ArrayBuffer, data: ArrayBuffer): ArrayBuffer;
  verify(publicKey: ArrayBuffer, signature: ArrayBuffer, data: ArrayBuffer): boolean;
  /** With `ukm` set, uses it as the private key instead of drawing one. */
  generateKey(): { privateKey: ArrayBuffer; publicKey: ArrayBuffer };
}

/** One GostCipher instance (src/engine/gostCipher.js). */
export interface PeerCipher {
  /** `iv` must be a Uint8Array of a whole block: an ArrayBuffer is silently read as zeros. */
  encrypt(key: ArrayBuffer, data: Uint8Array, iv: Uint8Array): ArrayBuffer;
}

/** The part of the peer used here (the package ships no types). */
export interface GostPeer {
  GostEngine: {
    getGostDigest(algorithm: { name: 'GOST R 34.11'; version: 2012; length: 256 | 512 }): {
      digest(data: Uint8Array): ArrayBuffer;
    };
    getGostSign(algorithm: {
      name: 'GOST R 34.10';
      version: 2012;
      length: 256 | 512;
      namedCurve: string;
      procreator: 'CP';
      ukm?: ArrayBuffer;
    }): PeerSigner;
    getGostCipher(algorithm: {
      name: 'GOST R 34.12';
      version: 2015;
      length: 64 | 128;
      mode: 'ES';
      block: 'CTR';
    }): PeerCipher;
  };
}

/**
 * Loads the peer's CommonJS bundle (the file `require` would load) without going through tsx,
 * which runs the benchmarks. tsx scans a required file with es-module-lexer, a WebAssembly
 * module; on the peer's 1 MB bundle its memory grows, which detaches an ArrayBuffer, and on
 * Node 20 a single detach makes V8 check for detachment on every typed-array access in the
 * process from then on. That slowed every subject, the peer (18 -> 14 MB/s) as much as ours
 * (61 -> 36 MB/s): an artifact of the tool, not something a plain `require` does.
 */
export function loadPeer(): GostPeer {
  const require = createRequire(import.meta.url);
  const file = require.resolve('@wavesenterprise/crypto-gost-js');
  const module = { exports: {} };
  const params = ['exports', 'require', 'module', '__filename', '__dirname'];
  compileFunction(readFileSync(file, 'utf8'), params, { filename: file })(
    module.exports,
    require,
    module,
    file,
    dirname(file),
  );
  return module.exports as GostPeer;
}
