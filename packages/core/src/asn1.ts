// Strict DER (ITU-T X.690 §8 and §10): a bounded reader that keeps raw slices and byte offsets, and a writer.
import { bigIntToBytes, bitLength, bytesToBigInt, compareBytes } from './_bytes';
import { DecodeError } from './errors';

/** Identifier octets of the universal tags the SDK reads and writes (X.680 §8.4, X.690 §8.1.2). */
export const TAG = {
  BOOLEAN: 0x01,
  INTEGER: 0x02,
  BIT_STRING: 0x03,
  OCTET_STRING: 0x04,
  NULL: 0x05,
  OID: 0x06,
  ENUMERATED: 0x0a,
  UTF8_STRING: 0x0c,
  SEQUENCE: 0x30,
  SET: 0x31,
  NUMERIC_STRING: 0x12,
  PRINTABLE_STRING: 0x13,
  TELETEX_STRING: 0x14,
  IA5_STRING: 0x16,
  UTC_TIME: 0x17,
  GENERALIZED_TIME: 0x18,
  VISIBLE_STRING: 0x1a,
  UNIVERSAL_STRING: 0x1c,
  BMP_STRING: 0x1e,
} as const;

/** Identifier octet of a context-specific tag `[n]` (n < 31), constructed or primitive. */
export function contextTag(n: number, constructed: boolean): number {
  if (!Number.isInteger(n) || n < 0 || n > 30) throw new RangeError(`context tag [${n}] out of range`);
  return 0x80 | (constructed ? 0x20 : 0) | n;
}

/** Bounds on what one decode may do. */
export interface DerLimits {
  /** Largest input in bytes (default 64 MiB). */
  maxSize?: number;
  /** Deepest nesting; the outer TLV is depth 0 (default 64). */
  maxDepth?: number;
}

const DEFAULT_MAX_SIZE = 64 * 1024 * 1024;
const DEFAULT_MAX_DEPTH = 64;
/** Largest INTEGER contents read as a number: a 16384-bit RSA modulus takes 2049 bytes. */
const MAX_INTEGER_BYTES = 4096;
/** Largest OBJECT IDENTIFIER contents in bytes. */
const MAX_OID_BYTES = 256;
/**
 * Largest encoded arc: 20 bytes of 7 bits, so that the 128-bit UUID arcs of `2.25` OIDs
 * (X.667, 19 bytes) still read; the bound keeps arc conversion cheap.
 */
const MAX_OID_ARC_BYTES = 20;
/** Longest DER time: GeneralizedTime with 14 digits, a fraction and `Z` stays far below this. */
const MAX_TIME_BYTES = 32;
/** Code units per String.fromCharCode call: spreading more risks a RangeError on the call stack. */
const CHUNK = 8192;

function fail(why: string, offset: number, path: string, code = 'ERR_DECODE_DER'): DecodeError {
  return new DecodeError(code, `${path}: ${why} (at byte ${offset})`, { offset, path });
}

const TAG_NAMES: Record<number, string> = Object.fromEntries(
  Object.entries(TAG).map(([name, tag]) => [tag, name.replace(/_/g, ' ')]),
);

/** A readable name of an identifier octet, for error messages. */
export function tagName(tag: number): string {
  const named = TAG_NAMES[tag];
  if (named) return named;
  const cls = tag >> 6;
  const form = tag & 0x20 ? 'constructed' : 'primitive';
  if (cls === 2) return `[${tag & 0x1f}] ${form}`;
  return `tag 0x${tag.toString(16).padStart(2, '0')}`;
}

/**
 * One DER TLV. `bytes` (the whole TLV) and `value` (its contents) are views of the input, not
 * copies; `offset` is where it starts in the outermost input; `path` names it for errors.
 * Children are decoded on demand and checked against the parent's length.
 */
export class Der {
  /** @internal use {@link decodeDer}. */
  constructor(
    /** The identifier octet; for tag numbers of 31 and above, the class and form bits with 0x1f. */
    readonly tag: number,
    /** The tag number (equals `tag & 0x1f` below 31). */
    readonly tagNumber: number,
    readonly bytes: Uint8Array,
    readonly value: Uint8Array,
    readonly offset: number,
    readonly path: string,
    readonly depth: number,
    private readonly maxDepth: number,
  ) {}

  /** True when the encoding is constructed (bit 6 of the identifier). */
  get constructed(): boolean {
    return (this.tag & 0x20) !== 0;
  }

  /** Offset of the contents in the outermost input. */
  get valueOffset(): number {
    return this.offset + this.bytes.length - this.value.length;
  }

  /** The same node under another name, for error paths. */
  named(name: string): Der {
    return new Der(this.tag, this.tagNumber, this.bytes, this.value, this.offset, name, this.depth, this.maxDepth);
  }

  /** A DecodeError about this node. */
  error(why: string): DecodeError {
    return fail(why, this.offset, this.path);
  }

  /** A DecodeError `ERR_DECODE_TOO_LARGE` about this node: contents past a size limit. */
  tooLarge(why: string): DecodeError {
    return fail(why, this.offset, this.path, 'ERR_DECODE_TOO_LARGE');
  }

  /** Throws unless the identifier octet is `tag`; returns the node. */
  expect(tag: number): this {
    if (this.tag !== tag) throw this.error(`expected ${tagName(tag)}, found ${tagName(this.tag)}`);
    return this;
  }

  /** Iterates the TLVs of a constructed node without keeping them (for CRLs of millions of entries). */
  *iterate(): Generator<Der> {
    if (!this.constructed) throw this.error(`expected a constructed encoding, found ${tagName(this.tag)}`);
    const depth = this.depth + 1;
    if (depth > this.maxDepth) throw this.error(`nesting deeper than ${this.maxDepth}`);
    const base = this.valueOffset;
    let i = 0;
    for (let at = 0; at < this.value.length; i++) {
      const node = readTlv(this.value, at, base, `${this.path}[${i}]`, depth, this.maxDepth);
      yield node;
      at += node.bytes.length;
    }
  }

  /** The TLVs inside a constructed node, in order. */
  children(): Der[] {
    return [...this.iterate()];
  }

  /** A reader over the children of a SEQUENCE (or of `tag`, e.g. a SET or an implicit tag). */
  read(tag: number = TAG.SEQUENCE): DerReader {
    this.expect(tag);
    return new DerReader(this.children(), this);
  }

  /** The one TLV inside an explicit tag `[n]` (X.690 §8.14.2). */
  explicit(n: number): Der {
    const inner = this.expect(contextTag(n, true)).children();
    if (inner.length !== 1) throw this.error(`expected one element inside [${n}], found ${inner.length}`);
    return (inner[0] as Der).named(this.path);
  }

  /** The contents decoded as exactly one TLV: an OCTET STRING or BIT STRING that wraps DER. */
  inner(name = this.path): Der {
    const depth = this.depth + 1;
    if (depth > this.maxDepth) throw this.error(`nesting deeper than ${this.maxDepth}`);
    let bytes = this.value;
    let base = this.valueOffset;
    if (this.tag === TAG.BIT_STRING) {
      bytes = this.bitBytes();
      base += 1;
    }
    const node = readTlv(bytes, 0, base, name, depth, this.maxDepth);
    if (node.bytes.length !== bytes.length) throw fail('data after the inner TLV', base + node.bytes.length, name);
    return node;
  }

  /** An INTEGER (X.690 §8.3) of up to 4096 content bytes; longer ones are a DecodeError. */
  integer(): bigint {
    const v = this.integerBytes();
    if (v.length > MAX_INTEGER_BYTES) throw this.tooLarge(`INTEGER longer than ${MAX_INTEGER_BYTES} bytes`);
    const n = bytesToBigInt(v);
    return (v[0] as number) >= 0x80 ? n - (1n << BigInt(8 * v.length)) : n;
  }

  /** A small INTEGER or ENUMERATED (safe-integer range) as a number. */
  smallInt(tag: number = TAG.INTEGER): number {
    // Checked before any conversion, so a huge INTEGER costs nothing: 7 bytes hold 2^53.
    if (this.expect(tag).value.length > 7) throw this.error('integer too large');
    const n = tag === TAG.INTEGER ? this.integer() : this.checkedInteger();
    if (n > BigInt(Number.MAX_SAFE_INTEGER) || n < BigInt(Number.MIN_SAFE_INTEGER))
      throw this.error('integer too large');
    return Number(n);
  }

  private checkedInteger(): bigint {
    return new Der(TAG.INTEGER, 2, this.bytes, this.value, this.offset, this.path, this.depth, this.maxDepth).integer();
  }

  /** The two's-complement contents of an INTEGER, checked minimal. */
  integerBytes(): Uint8Array {
    this.expect(TAG.INTEGER);
    const v = this.value;
    if (v.length === 0) throw this.error('empty INTEGER');
    const a = v[0] as number;
    const b = v[1] as number;
    if (v.length > 1 && ((a === 0 && b < 0x80) || (a === 0xff && b >= 0x80))) throw this.error('INTEGER not minimal');
    return v;
  }

  /** A non-negative INTEGER as big-endian magnitude bytes without the sign octet. */
  unsigned(): Uint8Array {
    const v = this.integerBytes();
    if ((v[0] as number) >= 0x80) throw this.error('negative INTEGER');
    return v.length > 1 && v[0] === 0 ? v.subarray(1) : v;
  }

  /** An OBJECT IDENTIFIER as a dotted string (X.690 §8.19), at most 256 bytes with arcs of at most 20 bytes. */
  oid(): string {
    this.expect(TAG.OID);
    const v = this.value;
    if (v.length === 0 || (v[v.length - 1] as number) & 0x80) throw this.error('truncated OBJECT IDENTIFIER');
    if (v.length > MAX_OID_BYTES) throw this.tooLarge(`OBJECT IDENTIFIER longer than ${MAX_OID_BYTES} bytes`);
    const arcs: string[] = [];
    let n = 0n;
    let start = true;
    let arcBytes = 0;
    for (const b of v) {
      if (start && b === 0x80) throw this.error('OBJECT IDENTIFIER arc not minimal');
      if (++arcBytes > MAX_OID_ARC_BYTES)
        throw this.tooLarge(`OBJECT IDENTIFIER arc longer than ${MAX_OID_ARC_BYTES} bytes`);
      n = (n << 7n) | BigInt(b & 0x7f);
      start = (b & 0x80) === 0;
      if (!start) continue;
      arcBytes = 0;
      if (arcs.length === 0) {
        const first = n < 80n ? n / 40n : 2n;
        arcs.push(String(first), String(n - first * 40n));
      } else arcs.push(String(n));
      n = 0n;
    }
    return arcs.join('.');
  }

  /** The contents of a primitive OCTET STRING (or of the implicit tag given). */
  octets(tag: number = TAG.OCTET_STRING): Uint8Array {
    return this.expect(tag).value;
  }

  /** A BIT STRING (X.690 §8.6, §11.2): its bytes and the count of unused bits, which must be zero bits. */
  bits(tag: number = TAG.BIT_STRING): { bytes: Uint8Array; unusedBits: number } {
    const v = this.expect(tag).value;
    const unusedBits = v[0];
    if (unusedBits === undefined) throw this.error('BIT STRING without its first octet');
    const bytes = v.subarray(1);
    if (unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0))
      throw this.error(`bad unused-bit count ${unusedBits}`);
    if (unusedBits && ((bytes[bytes.length - 1] as number) & ((1 << unusedBits) - 1)) !== 0) {
      throw this.error('non-zero padding bits in BIT STRING');
    }
    return { bytes, unusedBits };
  }

  /** The bytes of a BIT STRING of whole octets (a key, a signature). */
  bitBytes(tag: number = TAG.BIT_STRING): Uint8Array {
    const { bytes, unusedBits } = this.bits(tag);
    if (unusedBits !== 0) throw this.error('BIT STRING is not whole octets');
    return bytes;
  }

  /**
   * A named-bit BIT STRING (KeyUsage, ReasonFlags) as a set of bit numbers, bit 0 first.
   * DER requires trailing zero bits to be dropped (X.690 §11.2.2); that is not enforced here
   * because widely issued certificates break it.
   */
  flags(tag: number = TAG.BIT_STRING): Set<number> {
    const { bytes, unusedBits } = this.bits(tag);
    const set = new Set<number>();
    const total = bytes.length * 8 - unusedBits;
    for (let i = 0; i < total; i++) if (((bytes[i >> 3] as number) >> (7 - (i & 7))) & 1) set.add(i);
    return set;
  }

  /** A BOOLEAN, DER form (0x00 or 0xff). */
  bool(): boolean {
    const v = this.expect(TAG.BOOLEAN).value;
    if (v.length !== 1 || (v[0] !== 0 && v[0] !== 0xff)) throw this.error('BOOLEAN not in DER form');
    return v[0] === 0xff;
  }

  /** Checks a NULL. */
  null(): null {
    if (this.expect(TAG.NULL).value.length !== 0) throw this.error('NULL with contents');
    return null;
  }

  /** True when this node is one of the character-string types {@link string} reads. */
  get isString(): boolean {
    return STRING_TAGS.has(this.tag);
  }

  /**
   * A character string of any X.680 type in use: UTF8, Printable, IA5, Numeric, Visible,
   * Teletex (read as Latin-1, as every PKI toolkit does), BMP (UTF-16BE), Universal (UTF-32BE).
   */
  string(): string {
    const v = this.value;
    switch (this.tag) {
      case TAG.UTF8_STRING:
        try {
          return new TextDecoder('utf-8', { fatal: true }).decode(v);
        } catch {
          throw this.error('invalid UTF-8 in UTF8String');
        }
      case TAG.BMP_STRING:
        if (v.length % 2) throw this.error('BMP STRING length not a multiple of 2');
        return fromUnits(v, 2, String.fromCharCode);
      case TAG.UNIVERSAL_STRING: {
        if (v.length % 4) throw this.error('UNIVERSAL STRING length not a multiple of 4');
        for (let i = 0; i < v.length; i += 4) {
          const cp = readUnit(v, i, 4);
          if (cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) {
            throw fail(`invalid code point ${cp.toString(16)} in UniversalString`, this.valueOffset + i, this.path);
          }
        }
        return fromUnits(v, 4, String.fromCodePoint);
      }
      default:
        if (!STRING_TAGS.has(this.tag)) throw this.error(`expected a character string, found ${tagName(this.tag)}`);
        if (this.tag !== TAG.TELETEX_STRING && v.some((b) => b > 0x7f)) throw this.error('non-ASCII byte in string');
        // Latin-1 by code unit: TextDecoder('latin1') is windows-1252 in WHATWG, which remaps 0x80-0x9f.
        return fromUnits(v, 1, String.fromCharCode);
    }
  }

  /** A UTCTime or GeneralizedTime in DER form (RFC 5280 §4.1.2.5): seconds present, `Z`. */
  time(): Date {
    if (this.value.length > MAX_TIME_BYTES) throw this.error(`time longer than ${MAX_TIME_BYTES} bytes`);
    const s = String.fromCharCode(...this.value);
    let m: RegExpExecArray | null;
    let year: number;
    if (this.tag === TAG.UTC_TIME) {
      m = /^(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)()Z$/.exec(s);
      year = m ? Number(m[1]) : 0;
      year += year < 50 ? 2000 : 1900;
    } else if (this.tag === TAG.GENERALIZED_TIME) {
      m = /^(\d{4})(\d\d)(\d\d)(\d\d)(\d\d)(\d\d)(?:\.(\d*[1-9]))?Z$/.exec(s);
      year = m ? Number(m[1]) : 0;
    } else throw this.error(`expected a time, found ${tagName(this.tag)}`);
    if (!m) throw this.error(`time ${JSON.stringify(s)} is not in DER form`);
    const [mo, d, h, mi, sec] = m.slice(2, 7).map(Number) as [number, number, number, number, number];
    const ms = m[7] ? Number(`0.${m[7]}`) * 1000 : 0;
    const date = new Date(Date.UTC(year, mo - 1, d, h, mi, sec) + Math.floor(ms));
    date.setUTCFullYear(year);
    if (date.getUTCMonth() !== mo - 1 || date.getUTCDate() !== d || h > 23 || mi > 59 || sec > 59) {
      throw this.error(`time ${JSON.stringify(s)} is not a valid date`);
    }
    return date;
  }
}

/** The big-endian unsigned number of `width` bytes at `at`. */
function readUnit(v: Uint8Array, at: number, width: number): number {
  let n = 0;
  for (let j = 0; j < width; j++) n = n * 256 + (v[at + j] as number);
  return n;
}

/** A string from big-endian units of `width` bytes, converted `CHUNK` units per call (no stack overflow). */
function fromUnits(v: Uint8Array, width: number, make: (...units: number[]) => string): string {
  const count = v.length / width;
  const parts: string[] = [];
  const units: number[] = [];
  for (let start = 0; start < count; start += CHUNK) {
    const end = Math.min(count, start + CHUNK);
    units.length = 0;
    for (let i = start; i < end; i++) units.push(readUnit(v, i * width, width));
    parts.push(make(...units));
  }
  return parts.join('');
}

const STRING_TAGS = new Set<number>([
  TAG.UTF8_STRING,
  TAG.NUMERIC_STRING,
  TAG.PRINTABLE_STRING,
  TAG.TELETEX_STRING,
  TAG.IA5_STRING,
  TAG.VISIBLE_STRING,
  TAG.UNIVERSAL_STRING,
  TAG.BMP_STRING,
]);

/**
 * Reads the children of a constructed node in order, naming each for error messages;
 * `end()` checks nothing is left over.
 */
export class DerReader {
  private i = 0;
  /** @internal use {@link Der.read}. */
  constructor(
    private readonly items: readonly Der[],
    private readonly parent: Der,
  ) {}

  /** True while children remain. */
  get more(): boolean {
    return this.i < this.items.length;
  }

  /** The next child, which must exist and (when given) carry `tag`. */
  next(tag: number | undefined, name: string): Der {
    const node = this.items[this.i];
    const path = `${this.parent.path}.${name}`;
    if (!node) throw fail(`missing ${name}`, this.parent.offset, path);
    this.i++;
    const named = node.named(path);
    return tag === undefined ? named : named.expect(tag);
  }

  /** The next child if it carries `tag`, else undefined and nothing consumed. */
  optional(tag: number, name: string): Der | undefined {
    return this.items[this.i]?.tag === tag ? this.next(tag, name) : undefined;
  }

  /** All remaining children. */
  rest(name: string): Der[] {
    const out: Der[] = [];
    while (this.more) out.push(this.next(undefined, `${name}[${out.length}]`));
    return out;
  }

  /** Throws if children remain. */
  end(): void {
    const node = this.items[this.i];
    if (node) throw fail(`unexpected ${tagName(node.tag)}`, node.offset, this.parent.path);
  }
}

/**
 * Decodes one DER TLV that must span the whole input. Definite minimal lengths only; children
 * are decoded on demand.
 *
 * @throws DecodeError `ERR_DECODE_DER` with the byte offset and path of the fault,
 *   `ERR_DECODE_TOO_LARGE` past `maxSize`.
 * @example
 * ```ts
 * const r = decodeDer(spki, 'SubjectPublicKeyInfo').read();
 * const algorithm = r.next(TAG.SEQUENCE, 'algorithm');
 * ```
 */
export function decodeDer(bytes: Uint8Array, path = 'input', limits: DerLimits = {}): Der {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('decodeDer: expected a Uint8Array');
  const maxSize = limits.maxSize ?? DEFAULT_MAX_SIZE;
  if (bytes.length > maxSize) {
    throw new DecodeError('ERR_DECODE_TOO_LARGE', `input of ${bytes.length} bytes exceeds the limit of ${maxSize}`);
  }
  const node = readTlv(bytes, 0, 0, path, 0, limits.maxDepth ?? DEFAULT_MAX_DEPTH);
  if (node.bytes.length !== bytes.length) {
    throw fail(`${bytes.length - node.bytes.length} bytes after the end`, node.bytes.length, path);
  }
  return node;
}

function readTlv(buf: Uint8Array, at: number, base: number, path: string, depth: number, maxDepth: number): Der {
  let pos = at;
  const byte = (): number => {
    if (pos >= buf.length) throw fail('input ends inside a TLV header', base + at, path);
    return buf[pos++] as number;
  };
  const tag = byte();
  let tagNumber = tag & 0x1f;
  if (tagNumber === 0x1f) {
    tagNumber = 0;
    for (let i = 0; ; i++) {
      const b = byte();
      if ((i === 0 && b === 0x80) || i >= 4) throw fail('bad high tag number', base + at, path);
      tagNumber = tagNumber * 128 + (b & 0x7f);
      if (!(b & 0x80)) break;
    }
    if (tagNumber < 31) throw fail('tag number in the long form', base + at, path);
  }
  let length = byte();
  if (length === 0x80) throw fail('indefinite length (BER, not DER)', base + at, path);
  if (length > 0x80) {
    const count = length & 0x7f;
    if (count > 4) throw fail(`${count} length octets`, base + at, path);
    length = 0;
    for (let i = 0; i < count; i++) {
      const b = byte();
      if (i === 0 && b === 0) throw fail('length not minimal', base + at, path);
      length = length * 256 + b;
    }
    if (length < 0x80) throw fail('length not minimal', base + at, path);
  }
  const end = pos + length;
  if (end > buf.length) throw fail(`length ${length} runs past the end of its container`, base + at, path);
  const value = buf.subarray(pos, end);
  if ((tag & 0xe0) === 0x20 && tag !== TAG.SEQUENCE && tag !== TAG.SET) {
    // X.690 §10.2: strings are primitive in DER; SEQUENCE and SET are the constructed universals in use.
    throw fail(`constructed ${tagName(tag & ~0x20)} (BER, not DER)`, base + at, path);
  }
  return new Der(tag, tagNumber, buf.subarray(at, end), value, base + at, path, depth, maxDepth);
}

// ---------------------------------------------------------------------------------------------
// Writer. Every function returns one complete TLV; compose them bottom-up.

/** The bytes of `parts` one after another. */
function concat(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

/** The identifier and DER length octets of a TLV whose contents are `length` bytes (X.690 §8.1.2, §8.1.3, §10.1). */
function header(tag: number, length: number): Uint8Array {
  if (!Number.isSafeInteger(length) || length < 0) throw new RangeError(`bad length ${length}`);
  if (length < 0x80) return Uint8Array.of(tag, length);
  const len: number[] = [];
  for (let v = length; v > 0; v = Math.floor(v / 256)) len.unshift(v & 0xff);
  return Uint8Array.of(tag, 0x80 | len.length, ...len);
}

/** A TLV with the identifier octet `tag` and the given contents (X.690 §8.1, DER lengths). */
export function tlv(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const body = contents.length === 1 ? (contents[0] as Uint8Array) : concat(contents);
  const head = header(tag, body.length);
  const out = new Uint8Array(head.length + body.length);
  out.set(head);
  out.set(body, head.length);
  return out;
}

/** The minimal two's-complement bytes of `n` (X.690 §8.3.2), in linear time. */
function twosComplement(n: bigint): Uint8Array {
  // Bits needed including the sign bit: a non-negative n needs bitLength(n) + 1, a negative one
  // bitLength(-n - 1) + 1 (so -128 fits one byte and -129 needs two).
  const size = Math.max(1, Math.ceil(((n < 0n ? bitLength(-n - 1n) : bitLength(n)) + 1) / 8));
  return bigIntToBytes(n < 0n ? (1n << BigInt(8 * size)) + n : n, size);
}

function utf16(s: string, width: 2 | 4): Uint8Array {
  const cps = width === 2 ? Array.from(s, (c) => c.charCodeAt(0)) : Array.from(s, (c) => c.codePointAt(0) as number);
  if (width === 2 && [...s].length !== s.length)
    throw new RangeError('BMPString cannot hold characters outside the BMP');
  const out = new Uint8Array(cps.length * width);
  cps.forEach((cp, i) => {
    for (let j = 0; j < width; j++) out[i * width + j] = (cp >>> (8 * (width - 1 - j))) & 0xff;
  });
  return out;
}

function ascii(s: string, pattern: RegExp, type: string): Uint8Array {
  if (!pattern.test(s)) throw new RangeError(`${JSON.stringify(s)} is not a valid ${type}`);
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

function pad(n: number, width: number): string {
  return String(n).padStart(width, '0');
}

function timeText(d: Date, fourDigitYear: boolean): Uint8Array {
  if (Number.isNaN(d.getTime())) throw new RangeError('invalid Date');
  const y = d.getUTCFullYear();
  const year = fourDigitYear ? pad(y, 4) : pad(y % 100, 2);
  const ms = d.getUTCMilliseconds();
  const frac = fourDigitYear && ms ? `.${pad(ms, 3).replace(/0+$/, '')}` : '';
  const s = `${year}${pad(d.getUTCMonth() + 1, 2)}${pad(d.getUTCDate(), 2)}${pad(d.getUTCHours(), 2)}${pad(d.getUTCMinutes(), 2)}${pad(d.getUTCSeconds(), 2)}${frac}Z`;
  return Uint8Array.from(s, (c) => c.charCodeAt(0));
}

/**
 * DER builders. Each returns a complete TLV.
 *
 * @example
 * ```ts
 * const algorithm = der.seq(der.oid('1.2.643.7.1.1.1.1'), der.seq(der.oid('1.2.643.7.1.2.1.1.1')));
 * ```
 */
export const der = {
  /** A TLV with the identifier octet `tag` and the given contents (X.690 §8.1). */
  tlv,
  /**
   * The identifier and length octets alone, for writing a large TLV as runs of bytes without
   * copying its contents (the caller puts `length` bytes of contents after it).
   */
  header,
  /** SEQUENCE of the given TLVs. */
  seq: (...items: Uint8Array[]): Uint8Array => tlv(TAG.SEQUENCE, ...items),
  /** SET OF, elements sorted by their encodings as DER requires (X.690 §11.6). */
  setOf: (...items: Uint8Array[]): Uint8Array => tlv(TAG.SET, ...[...items].sort(compareBytes)),
  /** INTEGER from a bigint or number (two's complement, minimal). */
  int: (n: bigint | number): Uint8Array => {
    if (typeof n === 'number' && !Number.isSafeInteger(n)) throw new RangeError(`${n} is not a safe integer`);
    return tlv(TAG.INTEGER, twosComplement(BigInt(n)));
  },
  /** INTEGER from unsigned big-endian magnitude bytes (leading zeros dropped, sign octet added). */
  uint: (bytes: Uint8Array): Uint8Array => {
    let i = 0;
    while (i < bytes.length - 1 && bytes[i] === 0) i++;
    const m = bytes.subarray(i);
    return tlv(
      TAG.INTEGER,
      m.length && (m[0] as number) >= 0x80 ? concat([new Uint8Array(1), m]) : m.length ? m : new Uint8Array(1),
    );
  },
  /** ENUMERATED. */
  enumerated: (n: number): Uint8Array => tlv(TAG.ENUMERATED, twosComplement(BigInt(n))),
  /** OBJECT IDENTIFIER from dotted text. */
  oid: (text: string): Uint8Array => {
    if (!/^[0-2]\.(0|[1-9]\d*)(\.(0|[1-9]\d*))*$/.test(text))
      throw new RangeError(`invalid OID ${JSON.stringify(text)}`);
    const arcs = text.split('.').map(BigInt);
    const [a, b] = arcs as [bigint, bigint];
    if (a < 2n && b > 39n) throw new RangeError(`invalid OID ${text}`);
    const out: number[] = [];
    for (const arc of [a * 40n + b, ...arcs.slice(2)]) {
      const group: number[] = [Number(arc & 0x7fn)];
      for (let v = arc >> 7n; v > 0n; v >>= 7n) group.unshift(Number(v & 0x7fn) | 0x80);
      out.push(...group);
    }
    return tlv(TAG.OID, new Uint8Array(out));
  },
  /** OCTET STRING of the given bytes. */
  octets: (bytes: Uint8Array): Uint8Array => tlv(TAG.OCTET_STRING, bytes),
  /** BIT STRING of whole octets, or with `unusedBits` trailing bits unused (and zeroed). */
  bits: (bytes: Uint8Array, unusedBits = 0): Uint8Array => {
    if (unusedBits < 0 || unusedBits > 7 || (bytes.length === 0 && unusedBits))
      throw new RangeError('bad unused-bit count');
    const body = concat([Uint8Array.of(unusedBits), bytes]);
    if (bytes.length) body[body.length - 1] = (body[body.length - 1] as number) & (0xff << unusedBits);
    return tlv(TAG.BIT_STRING, body);
  },
  /** Named-bit BIT STRING (KeyUsage) from bit numbers, trailing zero bits dropped (X.690 §11.2.2). */
  flags: (bitNumbers: Iterable<number>): Uint8Array => {
    const set = [...bitNumbers];
    if (set.length === 0) return tlv(TAG.BIT_STRING, new Uint8Array(1));
    const top = set.reduce((a, b) => Math.max(a, b), 0);
    const bytes = new Uint8Array((top >> 3) + 1);
    for (const i of set) bytes[i >> 3] = (bytes[i >> 3] as number) | (0x80 >> (i & 7));
    return der.bits(bytes, 7 - (top & 7));
  },
  /** BOOLEAN in DER form (0xff for true). */
  bool: (v: boolean): Uint8Array => tlv(TAG.BOOLEAN, Uint8Array.of(v ? 0xff : 0)),
  /** NULL. */
  null: (): Uint8Array => Uint8Array.of(TAG.NULL, 0),
  /** UTF8String. */
  utf8: (s: string): Uint8Array => tlv(TAG.UTF8_STRING, new TextEncoder().encode(s)),
  /** PrintableString; RangeError for a character outside its set (X.680 §41.4). */
  printable: (s: string): Uint8Array =>
    tlv(TAG.PRINTABLE_STRING, ascii(s, /^[A-Za-z0-9 '()+,\-./:=?]*$/, 'PrintableString')),
  /** NumericString (digits and space); RangeError otherwise. */
  numeric: (s: string): Uint8Array => tlv(TAG.NUMERIC_STRING, ascii(s, /^[0-9 ]*$/, 'NumericString')),
  /** IA5String (ASCII); RangeError otherwise. */
  ia5: (s: string): Uint8Array => tlv(TAG.IA5_STRING, ascii(s, /^[\p{ASCII}]*$/u, 'IA5String')),
  /** BMPString (UTF-16BE); RangeError for characters outside the BMP. */
  bmp: (s: string): Uint8Array => tlv(TAG.BMP_STRING, utf16(s, 2)),
  /** UTCTime, YYMMDDHHMMSSZ (years 1950-2049). */
  utcTime: (d: Date): Uint8Array => {
    const y = d.getUTCFullYear();
    if (y < 1950 || y > 2049) throw new RangeError(`UTCTime cannot hold the year ${y}`);
    return tlv(TAG.UTC_TIME, timeText(d, false));
  },
  /** GeneralizedTime, YYYYMMDDHHMMSS[.fff]Z. */
  generalizedTime: (d: Date): Uint8Array => tlv(TAG.GENERALIZED_TIME, timeText(d, true)),
  /** RFC 5280 §4.1.2.5 Time: UTCTime through 2049, GeneralizedTime after (whole seconds). */
  time: (d: Date): Uint8Array => {
    const whole = new Date(Math.floor(d.getTime() / 1000) * 1000);
    const y = whole.getUTCFullYear();
    return y >= 1950 && y <= 2049 ? der.utcTime(whole) : der.generalizedTime(whole);
  },
  /** Explicit context tag `[n]` around one TLV. */
  explicit: (n: number, inner: Uint8Array): Uint8Array => tlv(contextTag(n, true), inner),
  /** Implicit context tag `[n]`: the TLV re-tagged, keeping its form (primitive or constructed). */
  implicit: (n: number, inner: Uint8Array): Uint8Array => {
    const node = decodeDer(inner, 'implicit');
    return tlv(contextTag(n, node.constructed), node.value);
  },
  /** The bytes of several TLVs one after another (no header added). */
  concat,
} as const;
