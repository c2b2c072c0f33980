// Streebog-256 and -512 (GOST R 34.11-2012, RFC 6986) of 1 MiB: ours, the pure-JS crypto-gost-js, and OpenSSL's gost engine.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { bytesToHex } from '@noble/hashes/utils.js';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { streebog256, streebog512 } from '../src/streebog';
import { loadPeer } from './_peer';

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
