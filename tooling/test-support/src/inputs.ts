// Values that are not bytes, for tests that check an API rejects them with a TypeError.

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
