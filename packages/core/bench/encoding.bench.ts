// Base64 of a 1 MiB object (a large CMS or CRL in PEM) against the platform's atob/btoa.
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { base64Decode, base64Encode } from '../src/encoding';

const size = 1 << 20;
const data = new Uint8Array(size).map((_, i) => (i * 7919) & 255);
const text = base64Encode(data);
const latin1 = (bytes: Uint8Array) => {
  let s = '';
  for (let i = 0; i < bytes.length; i += 8192) s += String.fromCharCode(...bytes.subarray(i, i + 8192));
  return s;
};
const binary = latin1(data);

export default [
  defineBench({
    title: 'Base64 encode 1 MiB',
    bytesPerOp: size,
    baseline: 'eds',
    subjects: {
      eds: () => base64Encode(data),
      'btoa (platform)': () => btoa(latin1(data)),
    },
  }),
  defineBench({
    title: 'Base64 decode 1 MiB',
    bytesPerOp: size,
    baseline: 'eds',
    subjects: {
      eds: () => base64Decode(text),
      'atob (platform)': () => Uint8Array.from(atob(text), (c) => c.charCodeAt(0)),
    },
    setup: () => {
      if (atob(text) !== binary) throw new Error('reference decode differs');
    },
  }),
];
