// Streebog-256 and -512 (GOST R 34.11-2012, RFC 6986) of 1 MiB: ours, the pure-JS crypto-gost-js, and OpenSSL's gost engine.
import { execFile } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { compileFunction } from 'node:vm';
import { bytesToHex } from '@noble/hashes/utils.js';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { streebog256, streebog512 } from '../src/streebog';

/** The part of @wavesenterprise/crypto-gost-js used here (the package ships no types). */
interface GostPeer {
  GostEngine: {
    getGostDigest(algorithm: { name: 'GOST R 34.11'; version: 2012; length: 256 | 512 }): {
      digest(data: Uint8Array): ArrayBuffer;
    };
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
function loadPeer(): GostPeer {
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

const peer = loadPeer();
const size = 1 << 20;
const data = new Uint8Array(size).map((_, i) => (i * 7919) & 255);

/**
 * OpenSSL's own throughput for one digest, measured by `openssl speed` on 16 KiB buffers (its
 * largest default size; per-call overhead is negligible there) and converted to 1 MiB operations
 * per second. The GOST provider of the Debian package libengine-gost-openssl is loaded on the
 * command line, so the test configuration (OPENSSL_CONF) is left out.
 */
async function opensslSpeed(algorithm: 'md_gost12_256' | 'md_gost12_512'): Promise<number> {
  const env = { ...process.env };
  delete env.OPENSSL_CONF;
  const args = ['speed', '-provider', 'gostprov', '-provider', 'default', '-evp', algorithm];
  const { stdout } = await promisify(execFile)('openssl', [...args, '-bytes', '16384', '-seconds', '1'], { env });
  // The result line reads "md_gost12_256   174931.97k": thousands of bytes per second.
  const match = new RegExp(`^${algorithm}\\s+([\\d.]+)k\\s*$`, 'm').exec(stdout);
  if (!match?.[1]) throw new Error(`openssl speed printed no result for ${algorithm}:\n${stdout}`);
  return (Number(match[1]) * 1000) / size;
}

function spec(bits: 256 | 512) {
  const ours = bits === 256 ? streebog256 : streebog512;
  const theirs = peer.GostEngine.getGostDigest({ name: 'GOST R 34.11', version: 2012, length: bits });
  return defineBench({
    title: `Streebog-${bits} of 1 MiB`,
    bytesPerOp: size,
    baseline: 'eds',
    subjects: {
      eds: () => ours(data),
      'crypto-gost-js': () => theirs.digest(data),
    },
    setup: () => {
      const expected = bytesToHex(ours(data));
      const got = bytesToHex(new Uint8Array(theirs.digest(data)));
      if (got !== expected) throw new Error(`crypto-gost-js disagrees on Streebog-${bits}: ${got} != ${expected}`);
    },
    external: {
      openssl: () => opensslSpeed(bits === 256 ? 'md_gost12_256' : 'md_gost12_512'),
    },
  });
}

export default [spec(256), spec(512)];
