// Runs in Node and Chromium: the streaming digest core of `eds digest` has no Node dependency.

import { streebog256, streebog512 } from '@eds/gost/streebog';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { digestStream, formatDigestLine } from '../src/digest';

async function* chunks(data: Uint8Array, cuts: number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (const c of cuts) {
    const end = Math.min(data.length, at + c);
    yield data.subarray(at, end);
    at = end;
  }
  yield data.subarray(at);
}

describe('digestStream', () => {
  it('equals the one-shot digest for any chunking', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.uint8Array({ maxLength: 700 }),
        fc.array(fc.nat({ max: 200 }), { maxLength: 8 }),
        async (data, cuts) => {
          expect(await digestStream('streebog256', chunks(data, cuts))).toEqual(streebog256(data));
          expect(await digestStream('streebog512', chunks(data, cuts))).toEqual(streebog512(data));
        },
      ),
      { numRuns: 50 },
    );
  });

  it('formats lines like sha256sum', () => {
    expect(formatDigestLine(new Uint8Array([0, 0xab]), 'a b.txt')).toBe('00ab  a b.txt');
  });
});
