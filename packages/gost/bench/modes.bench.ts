// Kuznyechik-CTR and Magma-CTR (GOST R 34.13-2015 §5.2) of 1 MiB: ours, the pure-JS crypto-gost-js, and OpenSSL's gost provider.
import { bytesToHex } from '@noble/hashes/utils.js';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { kuznyechik } from '../src/kuznyechik';
import { magma } from '../src/magma';
import { ctr } from '../src/modes';
import { opensslSpeed } from './_openssl';
import { loadPeer } from './_peer';

const peer = loadPeer();
const size = 1 << 20;
const data = new Uint8Array(size).map((_, i) => (i * 7919) & 255);
const key = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);

function spec(name: 'Kuznyechik' | 'Magma') {
  const n = name === 'Kuznyechik' ? 16 : 8;
  const iv = new Uint8Array(n / 2).fill(0x5a);
  const mode = ctr((name === 'Kuznyechik' ? kuznyechik : magma)(key), iv);
  const theirs = peer.GostEngine.getGostCipher({
    name: 'GOST R 34.12',
    version: 2015,
    length: n === 16 ? 128 : 64,
    mode: 'ES',
    block: 'CTR',
  });
  const peerIv = new Uint8Array(n);
  peerIv.set(iv);
  return defineBench({
    title: `${name}-CTR of 1 MiB`,
    bytesPerOp: size,
    baseline: 'eds',
    subjects: {
      eds: () => mode.encrypt(data),
      'crypto-gost-js': () => theirs.encrypt(key.slice().buffer, data, peerIv),
    },
    setup: () => {
      // The peer increments the counter wrongly when its last byte wraps (block 255 onwards), so
      // only the first 255 blocks can agree; past them it still does one block operation per block.
      const prefix = data.subarray(0, 255 * n);
      const expected = bytesToHex(mode.encrypt(prefix));
      const got = bytesToHex(new Uint8Array(theirs.encrypt(key.slice().buffer, prefix, peerIv)));
      if (got !== expected) throw new Error(`crypto-gost-js disagrees on ${name}-CTR: ${got} != ${expected}`);
    },
    external: {
      openssl: () => opensslSpeed(name === 'Kuznyechik' ? 'kuznyechik-ctr' : 'magma-ctr', size),
    },
  });
}

export default [spec('Kuznyechik'), spec('Magma')];
