// Internal: a bounded BER -> DER normaliser (ITU-T X.690 §8 to §10) for the CMS that CryptoPro, Java and `openssl cms -stream` write.
import { DecodeError } from './errors';

/** Bounds on one normalisation. */
export interface BerLimits {
  /** Largest input in bytes (default 64 MiB). */
  readonly maxSize?: number | undefined;
  /** Deepest nesting; the outer TLV is depth 0 (default 64). */
  readonly maxDepth?: number | undefined;
}

const DEFAULT_MAX_SIZE = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;

/**
 * Universal string types that DER writes primitive (X.690 §10.2) and BER may split into a
 * constructed form of segments of the same type (X.690 §8.7.3, §8.23.6): OCTET STRING and the
 * restricted character strings. BIT STRING segments carry unused-bit counts and are refused.
 */
const STRING_TAGS = new Set([0x04, 0x0c, 0x12, 0x13, 0x14, 0x15, 0x16, 0x19, 0x1a, 0x1b, 0x1c, 0x1d, 0x1e]);

/** One parsed TLV: where it lies in the input and, when it is not already DER, how to rewrite it. */
interface Node {
  /** Start of the TLV and end of its identifier octets in the input. */
  readonly at: number;
  readonly idEnd: number;
  /** End of the TLV in the input (after the end-of-contents octets of an indefinite length). */
  readonly end: number;
  /** Length of the DER contents. */
  readonly size: number;
  /** Null when the input bytes `at..end` are already DER; else the rewrite. */
  readonly rewrite: null | { readonly children: readonly Node[]; readonly merged: boolean };
  /** For a primitive: where its contents lie. */
  readonly valueAt: number;
}

function fail(why: string, offset: number, code = 'ERR_DECODE_DER'): DecodeError {
  return new DecodeError(code, `BER: ${why} (at byte ${offset})`, { offset, path: 'BER' });
}

function derLengthSize(n: number): number {
  let size = 1;
  if (n >= 0x80) for (let v = n; v > 0; v = Math.floor(v / 256)) size++;
  return size;
}

class Parser {
  constructor(
    private readonly buf: Uint8Array,
    private readonly maxDepth: number,
  ) {}

  private byte(pos: number, at: number): number {
    if (pos >= this.buf.length) throw fail('input ends inside a TLV header', at);
    return this.buf[pos] as number;
  }

  /** Parses the TLV at `at`, which must end by `limit`. */
  node(at: number, limit: number, depth: number): Node {
    if (depth > this.maxDepth) throw fail(`nesting deeper than ${this.maxDepth}`, at);
    const tag = this.byte(at, at);
    if (tag === 0) throw fail('end-of-contents octets where none belong', at);
    let pos = at + 1;
    if ((tag & 0x1f) === 0x1f) {
      for (let i = 0; ; i++) {
        if (i >= 4) throw fail('tag number too long', at);
        if (!(this.byte(pos++, at) & 0x80)) break;
      }
    }
    const idEnd = pos;
    const first = this.byte(pos++, at);
    const constructed = (tag & 0x20) !== 0;
    let length = -1;
    let minimal = true;
    if (first < 0x80) length = first;
    else if (first > 0x80) {
      const count = first & 0x7f;
      if (count > 4) throw fail(`${count} length octets`, at);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + this.byte(pos++, at);
      minimal = length >= 0x80 && this.buf[idEnd + 1] !== 0;
    } else if (!constructed) throw fail('indefinite length on a primitive encoding', at);
    if (length >= 0 && pos + length > limit) throw fail(`length ${length} runs past the end of its container`, at);
    if (!constructed) {
      const end = pos + length;
      const rewrite = minimal ? null : { children: [], merged: false };
      return { at, idEnd, end, size: length, rewrite, valueAt: pos };
    }
    return this.constructed(at, idEnd, pos, length < 0 ? -1 : pos + length, limit, depth, minimal);
  }

  private constructed(
    at: number,
    idEnd: number,
    start: number,
    contentEnd: number,
    limit: number,
    depth: number,
    minimal: boolean,
  ): Node {
    const children: Node[] = [];
    let pos = start;
    let size = 0;
    let same = minimal && contentEnd >= 0;
    for (;;) {
      if (contentEnd >= 0 && pos === contentEnd) break;
      if (contentEnd < 0 && this.byte(pos, pos) === 0 && this.byte(pos + 1, pos) === 0) {
        pos += 2;
        break;
      }
      const child = this.node(pos, contentEnd >= 0 ? contentEnd : limit, depth + 1);
      children.push(child);
      if (child.rewrite) same = false;
      pos = child.end;
    }
    const tag = this.buf[at] as number;
    const merged = STRING_TAGS.has(tag & ~0x20) && (tag & 0xc0) === 0;
    if (tag === 0x23) throw fail('constructed BIT STRING is not supported', at);
    if (merged) {
      // X.690 §8.7.3.2: each segment is an encoding of the same string type, primitive or constructed.
      for (const c of children)
        if (((this.buf[c.at] as number) & ~0x20) !== (tag & ~0x20))
          throw fail('a segment of a constructed string has another type', c.at);
      size = children.reduce((n, c) => n + c.size, 0);
      return { at, idEnd, end: pos, size, rewrite: { children, merged }, valueAt: start };
    }
    for (const c of children) size += c.idEnd - c.at + derLengthSize(c.size) + c.size;
    return { at, idEnd, end: pos, size, rewrite: same ? null : { children, merged }, valueAt: start };
  }
}

/** Writes the DER of `n` into `out` at `o`; returns the new offset. */
function write(buf: Uint8Array, n: Node, out: Uint8Array, o: number, asContents = false): number {
  if (!n.rewrite) {
    const from = asContents ? n.valueAt : n.at;
    out.set(buf.subarray(from, n.end), o);
    return o + n.end - from;
  }
  let at = o;
  if (!asContents) {
    out.set(buf.subarray(n.at, n.idEnd), at);
    if (n.rewrite.merged) out[at] = (out[at] as number) & ~0x20;
    at += n.idEnd - n.at;
    at = writeLength(n.size, out, at);
  }
  if (n.rewrite.children.length === 0 && !n.rewrite.merged) {
    // a primitive with a non-minimal length
    out.set(buf.subarray(n.valueAt, n.valueAt + n.size), at);
    return at + n.size;
  }
  for (const c of n.rewrite.children) at = write(buf, c, out, at, n.rewrite.merged);
  return at;
}

function writeLength(n: number, out: Uint8Array, o: number): number {
  const size = derLengthSize(n);
  if (size === 1) out[o] = n;
  else {
    out[o] = 0x80 | (size - 1);
    for (let i = size - 1, v = n; i >= 1; i--, v = Math.floor(v / 256)) out[o + i] = v & 0xff;
  }
  return o + size;
}

/**
 * Normalises one BER TLV to DER: indefinite lengths become definite, non-minimal lengths
 * minimal, constructed OCTET STRINGs and character strings one primitive of their segments'
 * contents. Nothing else changes: SET OF order is kept (signed attributes must keep their
 * bytes), and the contents of primitives are not checked (the DER reader does that). Input that
 * is already DER in these respects comes back as the same Uint8Array.
 *
 * Standard: ITU-T X.690 §8.1.3 (lengths), §8.7.3 (constructed strings), §10.1, §10.2 (DER).
 *
 * @throws DecodeError `ERR_DECODE_DER` with the byte offset for malformed BER (truncation, a
 *   stray end-of-contents, an indefinite primitive, data after the TLV, a constructed BIT STRING)
 *   and for nesting past `maxDepth`; `ERR_DECODE_TOO_LARGE` past `maxSize`.
 * @example
 * ```ts
 * berToDer(Uint8Array.of(0x30, 0x80, 0x04, 0x01, 0x61, 0x00, 0x00)); // 30 03 04 01 61
 * ```
 */
export function berToDer(input: Uint8Array, limits: BerLimits = {}): Uint8Array {
  if (!(input instanceof Uint8Array)) throw new TypeError('berToDer: expected a Uint8Array');
  const maxSize = limits.maxSize ?? DEFAULT_MAX_SIZE;
  if (input.length > maxSize)
    throw new DecodeError('ERR_DECODE_TOO_LARGE', `input of ${input.length} bytes exceeds the limit of ${maxSize}`);
  const root = new Parser(input, limits.maxDepth ?? DEFAULT_MAX_DEPTH).node(0, input.length, 0);
  if (root.end !== input.length) throw fail(`${input.length - root.end} bytes after the end`, root.end);
  if (!root.rewrite) return input;
  const total = root.idEnd - root.at + derLengthSize(root.size) + root.size;
  if (total > maxSize) throw new DecodeError('ERR_DECODE_TOO_LARGE', `DER form of ${total} bytes exceeds ${maxSize}`);
  const out = new Uint8Array(total);
  write(input, root, out, 0);
  return out;
}
