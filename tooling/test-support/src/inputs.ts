// Inputs for negative tests: values that are not bytes, and damaged copies of valid encodings.
import fc from 'fast-check';

/** [description, value] pairs: everything a caller might pass where a Uint8Array belongs. */
export const NOT_BYTES: readonly (readonly [string, unknown])[] = [
  ['a string', 'abc'],
  ['a number', 42],
  ['an array of numbers', [1, 2, 3]],
  ['null', null],
  ['undefined', undefined],
  ['an ArrayBuffer', new ArrayBuffer(4)],
  ['a Uint16Array', new Uint16Array(2)],
];

/**
 * A fast-check arbitrary of damaged copies of `base`: cut short at a random length, or one byte
 * XORed with a non-zero value. Parsers must answer every one with a typed error (or a result).
 */
export function damagedCopies(base: Uint8Array): fc.Arbitrary<Uint8Array> {
  return fc
    .tuple(fc.integer({ min: 0, max: base.length - 1 }), fc.integer({ min: 1, max: 255 }), fc.boolean())
    .map(([i, x, cut]) => {
      const b = cut ? base.slice(0, i) : base.slice();
      if (!cut) b[i] = (b[i] as number) ^ x;
      return b;
    });
}
