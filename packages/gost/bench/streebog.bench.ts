// Streebog-256 and -512 (GOST R 34.11-2012, RFC 6986) of 1 MiB: ours, the pure-JS crypto-gost-js, and OpenSSL's gost engine.
import { bytesToHex } from '@noble/hashes/utils.js';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { streebog256, streebog512 } from '../src/streebog';
import { opensslSpeed } from './_openssl';
import { loadPeer } from './_peer';

const peer = loadPeer();
const size = 1 << 20;
const data = new Uint8Array(size).map((_, i) => (i * 7919) & 255);

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
      openssl: () => opensslSpeed(bits === 256 ? 'md_gost12_256' : 'md_gost12_512', size),
    },
  });
}

export default [spec(256), spec(512)];
