// Tests of the streaming multipart/form-data parser: random chunkings equal one-shot parsing, bodies that mimic the boundary, and malformed or oversized input.
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { boundaryOf, MultipartError, parseMultipart } from '../src/multipart.ts';

const BOUNDARY = '----eds-test-boundary';

function form(parts: readonly { name: string; body: Uint8Array }[], boundary = BOUNDARY): Uint8Array {
  const pieces: Uint8Array[] = [];
  for (const p of parts) {
    pieces.push(Buffer.from(`--${boundary}\r\nContent-Disposition: form-data; name="${p.name}"; filename="f.bin"\r\n`));
    pieces.push(Buffer.from('Content-Type: application/octet-stream\r\n\r\n'), p.body, Buffer.from('\r\n'));
  }
  pieces.push(Buffer.from(`--${boundary}--\r\n`));
  return Buffer.concat(pieces);
}

async function* chunked(bytes: Uint8Array, sizes: readonly number[]): AsyncGenerator<Uint8Array> {
  let at = 0;
  for (let i = 0; at < bytes.length; i++) {
    const size = sizes.length ? (sizes[i % sizes.length] as number) : bytes.length;
    yield bytes.subarray(at, at + size);
    at += size;
  }
}

async function collect(source: AsyncIterable<Uint8Array>, boundary = BOUNDARY) {
  const out: { name: string; filename: string | undefined; body: Buffer }[] = [];
  for await (const part of parseMultipart(source, boundary)) {
    const chunks: Uint8Array[] = [];
    for await (const c of part.body) chunks.push(c);
    out.push({ name: part.name, filename: part.filename, body: Buffer.concat(chunks) });
  }
  return out;
}

// bodies built from pieces that look like the delimiter, so that partial matches cross chunk edges
const tricky = fc
  .array(
    fc.oneof(
      fc.uint8Array({ maxLength: 40 }),
      fc.constantFrom('\r\n', '\r\n--', `\r\n--${BOUNDARY.slice(0, 10)}`, '--', '\r'),
    ),
    {
      maxLength: 12,
    },
  )
  .map((pieces) => Buffer.concat(pieces.map((p) => (typeof p === 'string' ? Buffer.from(p) : p))));

describe('parseMultipart', () => {
  it('gives the same parts for every chunking, whatever the bodies contain', async () => {
    await fc.assert(
      fc.asyncProperty(
        tricky,
        tricky,
        fc.array(fc.integer({ min: 1, max: 64 }), { maxLength: 8 }),
        async (a, b, sizes) => {
          const parts = [
            { name: 'signature', body: a },
            { name: 'document', body: b },
          ];
          const got = await collect(chunked(form(parts), sizes));
          expect(got.map((p) => p.name)).toEqual(['signature', 'document']);
          expect(got[0]?.body.equals(a)).toBe(true);
          expect(got[1]?.body.equals(b)).toBe(true);
        },
      ),
      { numRuns: 200 },
    );
  });

  it('skips a body the consumer does not read', async () => {
    const parts = [
      { name: 'a', body: Buffer.alloc(5000, 1) },
      { name: 'b', body: Buffer.from('second') },
    ];
    const names: string[] = [];
    let second = '';
    for await (const part of parseMultipart(chunked(form(parts), [7]), BOUNDARY)) {
      names.push(part.name);
      if (part.name === 'b') for await (const c of part.body) second += Buffer.from(c).toString();
    }
    expect(names).toEqual(['a', 'b']);
    expect(second).toBe('second');
  });

  it('reads quoted and unquoted boundaries and refuses invalid ones', () => {
    expect(boundaryOf('multipart/form-data; boundary="a b:c"')).toBe('a b:c');
    expect(boundaryOf('Multipart/Form-Data; charset=utf-8; boundary=xyz')).toBe('xyz');
    expect(boundaryOf('application/json')).toBeUndefined();
    expect(() => boundaryOf('multipart/form-data')).toThrow(MultipartError);
    expect(() => boundaryOf(`multipart/form-data; boundary=${'x'.repeat(71)}`)).toThrow(MultipartError);
  });

  it.each([
    ['no closing boundary', `--${BOUNDARY}\r\nContent-Disposition: form-data; name="a"\r\n\r\nabc`],
    ['no boundary at all', 'just some text'],
    ['a part without a name', `--${BOUNDARY}\r\nContent-Disposition: form-data\r\n\r\nabc\r\n--${BOUNDARY}--`],
    [
      'a part that is not form-data',
      `--${BOUNDARY}\r\nContent-Disposition: attachment; name="a"\r\n\r\nx\r\n--${BOUNDARY}--`,
    ],
    ['garbage after a boundary', `--${BOUNDARY}xyz\r\n\r\n`],
    ['headers that never end', `--${BOUNDARY}\r\nX: ${'y'.repeat(9000)}`],
  ])('refuses %s', async (_, text) => {
    await expect(collect(chunked(Buffer.from(text), [13]))).rejects.toThrow(MultipartError);
  });

  it('refuses more parts than allowed', async () => {
    const parts = Array.from({ length: 3 }, (_, i) => ({ name: `p${i}`, body: Buffer.from('x') }));
    const run = async () => {
      for await (const part of parseMultipart(chunked(form(parts), []), BOUNDARY, { maxParts: 2 }))
        for await (const _ of part.body);
    };
    await expect(run()).rejects.toThrow(/more than 2 parts/);
  });
});
