// A small, strict DER reader for tests (ITU-T X.690 §8 and §10): TLV walk, OIDs, INTEGER, OCTET / BIT STRING, explicit tags, PEM (RFC 7468).

// Test code only: the SDK's packages carry no ASN.1 of their own here. It reads what a test needs
// from official vectors and refuses anything that is not DER, so that a vector which parses is
// known to be read exactly as written: definite, minimal lengths; primitive strings; minimal
// INTEGER and OID encodings; zero padding bits in BIT STRING; nothing after the outer TLV.

/** Why a DER input was rejected; stable strings for tests to check. */
export type DerErrorCode =
  | 'ERR_DER_TRUNCATED'
  | 'ERR_DER_INDEFINITE_LENGTH'
  | 'ERR_DER_NON_MINIMAL_LENGTH'
  | 'ERR_DER_BAD_TAG'
  | 'ERR_DER_TRAILING_DATA'
  | 'ERR_DER_TOO_DEEP'
  | 'ERR_DER_TOO_LARGE'
  | 'ERR_DER_UNEXPECTED'
  | 'ERR_DER_BAD_OID'
  | 'ERR_DER_BAD_INTEGER'
  | 'ERR_DER_BAD_BIT_STRING'
  | 'ERR_DER_BAD_PEM';

/**
 * A DER input was malformed or not what the caller expected.
 *
 * @example
 * ```ts
 * try { parseDer(bytes); } catch (e) { if (e instanceof DerError && e.code === 'ERR_DER_TRUNCATED') ... }
 * ```
 */
export class DerError extends Error {
  constructor(
    readonly code: DerErrorCode,
    message: string,
    /** Byte offset in the outermost input of the TLV (or content) at fault, when known. */
    readonly offset?: number,
  ) {
    super(offset === undefined ? message : `${message} (at byte ${offset})`);
    this.name = 'DerError';
  }
}

/** The tag class, bits 8-7 of the identifier octet (X.690 §8.1.2.2). */
export type TagClass = 'universal' | 'application' | 'context' | 'private';

/** Universal tag numbers used by the helpers (X.680 §8.4). */
export const TAG = {
  INTEGER: 2,
  BIT_STRING: 3,
  OCTET_STRING: 4,
  NULL: 5,
  OID: 6,
  SEQUENCE: 16,
  SET: 17,
} as const;

/** Bounds on the work a parse may do. */
export interface DerLimits {
  /** Deepest nesting allowed; the outer TLV is depth 0. Default 32. */
  maxDepth?: number;
  /** Largest input accepted, in bytes. Default 1 MiB. */
  maxSize?: number;
}

const DEFAULT_MAX_DEPTH = 32;
const DEFAULT_MAX_SIZE = 1 << 20;
/** Length octets after 0x8n: four give 4 GiB, more than any test input. */
const MAX_LENGTH_OCTETS = 4;
const CLASSES: readonly TagClass[] = ['universal', 'application', 'context', 'private'];

/**
 * One TLV of a DER input. `value` (contents octets) and `raw` (the whole TLV) are views of the
 * input, not copies; `offset` is where the TLV starts in the outermost input.
 */
export class DerNode {
  /** @internal use `parseDer`. */
  constructor(
    readonly tagClass: TagClass,
    readonly constructed: boolean,
    readonly tagNumber: number,
    readonly offset: number,
    readonly raw: Uint8Array,
    readonly value: Uint8Array,
    readonly depth: number,
    private readonly maxDepth: number,
  ) {}

  /** Where the contents octets (`value`) start in the outermost input. */
  get contentOffset(): number {
    return this.offset + this.raw.length - this.value.length;
  }

  /** True for a universal tag with this number. */
  isUniversal(tagNumber: number): boolean {
    return this.tagClass === 'universal' && this.tagNumber === tagNumber;
  }

  /** True for a context-specific tag [tagNumber]. */
  isContext(tagNumber: number): boolean {
    return this.tagClass === 'context' && this.tagNumber === tagNumber;
  }

  /**
   * The TLVs inside a constructed node, in order; they must fill its contents exactly.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for a primitive node, `ERR_DER_TOO_DEEP` past the
   *   depth limit, or any parse error of the contents.
   */
  children(): DerNode[] {
    if (!this.constructed) throw this.unexpected('a constructed encoding');
    const depth = this.depth + 1;
    if (depth > this.maxDepth) {
      throw new DerError('ERR_DER_TOO_DEEP', `nesting deeper than ${this.maxDepth}`, this.offset);
    }
    const out: DerNode[] = [];
    const base = this.contentOffset;
    for (let at = 0; at < this.value.length; ) {
      const node = readTlv(this.value, at, base, depth, this.maxDepth);
      out.push(node);
      at += node.raw.length;
    }
    return out;
  }

  /**
   * The one DER TLV that the contents of this node hold, e.g. an OCTET STRING or BIT STRING that
   * wraps an encoding; offsets stay those of the outermost input and the depth counts on.
   *
   * @throws {DerError} `ERR_DER_TRAILING_DATA` if the contents hold more than one TLV,
   *   `ERR_DER_TOO_DEEP` past the depth limit, or any header error.
   */
  decodeContents(): DerNode {
    return this.decodeBytes(this.value, this.contentOffset);
  }

  /**
   * As `decodeContents()` for a BIT STRING of whole octets (a DER-wrapped public key): the TLV in
   * the bytes after the unused-bits octet.
   *
   * @throws {DerError} as `bitStringBytes()` and `decodeContents()`.
   */
  decodeBitStringContents(): DerNode {
    return this.decodeBytes(this.bitStringBytes(), this.contentOffset + 1);
  }

  private decodeBytes(bytes: Uint8Array, base: number): DerNode {
    const depth = this.depth + 1;
    if (depth > this.maxDepth) {
      throw new DerError('ERR_DER_TOO_DEEP', `nesting deeper than ${this.maxDepth}`, this.offset);
    }
    const node = readTlv(bytes, 0, base, depth, this.maxDepth);
    if (node.raw.length !== bytes.length) {
      throw new DerError('ERR_DER_TRAILING_DATA', `${bytes.length - node.raw.length} bytes after the TLV`, base);
    }
    return node;
  }

  /**
   * `children()` after checking the tag: a universal SEQUENCE by default.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag; as `children()`.
   */
  sequence(tagNumber: number = TAG.SEQUENCE, tagClass: TagClass = 'universal'): DerNode[] {
    this.expectTag(tagClass, tagNumber, true);
    return this.children();
  }

  /** `children()` of a universal SET. */
  set(): DerNode[] {
    return this.sequence(TAG.SET);
  }

  /**
   * The one TLV inside an explicit context tag [tagNumber] (X.690 §8.14.2).
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag or not exactly one element inside.
   */
  explicit(tagNumber: number): DerNode {
    const inner = this.sequence(tagNumber, 'context');
    if (inner.length !== 1) throw this.unexpected(`one element inside [${tagNumber}]`);
    return inner[0] as DerNode;
  }

  /**
   * An OBJECT IDENTIFIER as a dotted string (X.690 §8.19), minimal base-128 arcs.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag, `ERR_DER_BAD_OID` for a bad encoding.
   */
  oid(): string {
    this.expectTag('universal', TAG.OID, false);
    return decodeOid(this.value, this.offset);
  }

  /**
   * An INTEGER (X.690 §8.3), two's complement, minimal.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag, `ERR_DER_BAD_INTEGER` for an empty
   *   or non-minimal encoding.
   */
  integer(): bigint {
    this.expectTag('universal', TAG.INTEGER, false);
    const v = this.value;
    if (v.length === 0) throw new DerError('ERR_DER_BAD_INTEGER', 'empty INTEGER', this.offset);
    const first = v[0] as number;
    if (v.length > 1 && ((first === 0 && (v[1] as number) < 0x80) || (first === 0xff && (v[1] as number) >= 0x80))) {
      throw new DerError('ERR_DER_BAD_INTEGER', 'INTEGER not minimally encoded', this.offset);
    }
    let n = 0n;
    for (const b of v) n = (n << 8n) | BigInt(b);
    return first >= 0x80 ? n - (1n << BigInt(8 * v.length)) : n;
  }

  /**
   * The contents of a primitive OCTET STRING (DER forbids the constructed form), or of an
   * implicitly tagged one when a context tag number is given.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag or a constructed encoding.
   */
  octetString(contextTag?: number): Uint8Array {
    if (contextTag === undefined) this.expectTag('universal', TAG.OCTET_STRING, false);
    else this.expectTag('context', contextTag, false);
    return this.value;
  }

  /**
   * A primitive BIT STRING (X.690 §8.6, §11.2): the bytes after the unused-bits octet, and that
   * count. The unused bits must be zero, and there are none in an empty string.
   *
   * @throws {DerError} `ERR_DER_UNEXPECTED` for another tag, `ERR_DER_BAD_BIT_STRING` for a bad
   *   unused-bits octet or non-zero padding.
   */
  bitString(): { bytes: Uint8Array; unusedBits: number } {
    this.expectTag('universal', TAG.BIT_STRING, false);
    const v = this.value;
    if (v.length === 0) throw new DerError('ERR_DER_BAD_BIT_STRING', 'BIT STRING without its first octet', this.offset);
    const unusedBits = v[0] as number;
    const bytes = v.subarray(1);
    if (unusedBits > 7 || (bytes.length === 0 && unusedBits !== 0)) {
      throw new DerError('ERR_DER_BAD_BIT_STRING', `bad unused-bits count ${unusedBits}`, this.offset);
    }
    if (unusedBits > 0 && ((bytes[bytes.length - 1] as number) & ((1 << unusedBits) - 1)) !== 0) {
      throw new DerError('ERR_DER_BAD_BIT_STRING', 'non-zero padding bits', this.offset);
    }
    return { bytes, unusedBits };
  }

  /**
   * The bytes of a BIT STRING that holds whole octets (a key, a signature).
   *
   * @throws {DerError} `ERR_DER_BAD_BIT_STRING` if bits are unused; as `bitString()`.
   */
  bitStringBytes(): Uint8Array {
    const { bytes, unusedBits } = this.bitString();
    if (unusedBits !== 0) throw new DerError('ERR_DER_BAD_BIT_STRING', 'BIT STRING is not whole octets', this.offset);
    return bytes;
  }

  /** Throws `ERR_DER_UNEXPECTED` unless the node has this class, number and form. */
  expectTag(tagClass: TagClass, tagNumber: number, constructed: boolean): this {
    if (this.tagClass !== tagClass || this.tagNumber !== tagNumber || this.constructed !== constructed) {
      const form = constructed ? 'constructed' : 'primitive';
      throw this.unexpected(`${tagClass} [${tagNumber}] ${form}`);
    }
    return this;
  }

  private unexpected(wanted: string): DerError {
    const form = this.constructed ? 'constructed' : 'primitive';
    return new DerError(
      'ERR_DER_UNEXPECTED',
      `expected ${wanted}, found ${this.tagClass} [${this.tagNumber}] ${form}`,
      this.offset,
    );
  }
}

/**
 * Element `index` of a list of TLVs (`children()`, `sequence()`, `set()`), which must exist.
 *
 * @throws {DerError} `ERR_DER_UNEXPECTED` if the list is shorter.
 * @example
 * ```ts
 * const algorithm = nth(parseDer(spki).sequence(), 0);
 * ```
 */
export function nth(nodes: readonly DerNode[], index: number): DerNode {
  const node = nodes[index];
  if (node === undefined) {
    throw new DerError('ERR_DER_UNEXPECTED', `expected an element ${index}, found ${nodes.length} elements`);
  }
  return node;
}

/**
 * The node reached from the TLV in `bytes` by following child indexes, e.g. `at(der, 1, 0, 2)`
 * for the third child of the first child of the second child.
 *
 * @throws {DerError} as `parseDer()`, `children()` and `nth()`.
 * @example
 * ```ts
 * const encryptedContent = at(contentInfo, 1, 0, 2, 2).value;
 * ```
 */
export function at(bytes: Uint8Array, ...indexes: number[]): DerNode {
  return indexes.reduce((node, index) => nth(node.children(), index), parseDer(bytes));
}

/**
 * Parses one DER TLV that must span the whole input. Children are parsed on demand by
 * `children()`, each checked against its parent's length.
 *
 * @throws {DerError} `ERR_DER_TOO_LARGE` over the size limit, `ERR_DER_TRAILING_DATA` for bytes
 *   after the TLV, or any header error (`ERR_DER_TRUNCATED`, `ERR_DER_INDEFINITE_LENGTH`,
 *   `ERR_DER_NON_MINIMAL_LENGTH`, `ERR_DER_BAD_TAG`).
 * @example
 * ```ts
 * const [version, algorithm, key] = parseDer(pkcs8).sequence();
 * ```
 */
export function parseDer(bytes: Uint8Array, limits: DerLimits = {}): DerNode {
  if (!(bytes instanceof Uint8Array)) throw new TypeError('parseDer: expected a Uint8Array');
  const maxSize = limits.maxSize ?? DEFAULT_MAX_SIZE;
  const maxDepth = limits.maxDepth ?? DEFAULT_MAX_DEPTH;
  if (bytes.length > maxSize) {
    throw new DerError('ERR_DER_TOO_LARGE', `input of ${bytes.length} bytes exceeds the limit of ${maxSize}`);
  }
  const node = readTlv(bytes, 0, 0, 0, maxDepth);
  if (node.raw.length !== bytes.length) {
    throw new DerError(
      'ERR_DER_TRAILING_DATA',
      `${bytes.length - node.raw.length} bytes after the TLV`,
      node.raw.length,
    );
  }
  return node;
}

/** Reads the TLV at `buf[at]`; `base` is the offset of `buf` in the outermost input. */
function readTlv(buf: Uint8Array, at: number, base: number, depth: number, maxDepth: number): DerNode {
  let pos = at;
  const byte = (): number => {
    if (pos >= buf.length) throw new DerError('ERR_DER_TRUNCATED', 'input ends inside a TLV header', base + at);
    return buf[pos++] as number;
  };
  const id = byte();
  const tagClass = CLASSES[id >> 6] as TagClass;
  const constructed = (id & 0x20) !== 0;
  let tagNumber = id & 0x1f;
  if (tagNumber === 0x1f) tagNumber = readHighTag(byte, base + at);
  const length = readLength(byte, base + at);
  const end = pos + length;
  if (end > buf.length) {
    throw new DerError('ERR_DER_TRUNCATED', `length ${length} runs past the end of its container`, base + at);
  }
  return new DerNode(
    tagClass,
    constructed,
    tagNumber,
    base + at,
    buf.subarray(at, end),
    buf.subarray(pos, end),
    depth,
    maxDepth,
  );
}

/** High tag numbers (X.690 §8.1.2.4): base 128, no leading 0x80, and only for numbers >= 31. */
function readHighTag(byte: () => number, offset: number): number {
  let n = 0;
  for (let i = 0; ; i++) {
    const b = byte();
    if (i === 0 && b === 0x80) throw new DerError('ERR_DER_BAD_TAG', 'tag number with a leading zero group', offset);
    if (i >= 4) throw new DerError('ERR_DER_BAD_TAG', 'tag number too large', offset);
    n = n * 128 + (b & 0x7f);
    if ((b & 0x80) === 0) break;
  }
  if (n < 0x1f) throw new DerError('ERR_DER_BAD_TAG', `tag number ${n} must use the short form`, offset);
  return n;
}

/** Definite lengths only, in the fewest octets (X.690 §10.1). */
function readLength(byte: () => number, offset: number): number {
  const first = byte();
  if (first < 0x80) return first;
  if (first === 0x80) throw new DerError('ERR_DER_INDEFINITE_LENGTH', 'indefinite length is not DER', offset);
  const count = first & 0x7f;
  if (count > MAX_LENGTH_OCTETS) throw new DerError('ERR_DER_TOO_LARGE', `${count} length octets`, offset);
  let length = 0;
  for (let i = 0; i < count; i++) {
    const b = byte();
    if (i === 0 && b === 0) throw new DerError('ERR_DER_NON_MINIMAL_LENGTH', 'length with a leading zero', offset);
    length = length * 256 + b;
  }
  if (length < 0x80)
    throw new DerError('ERR_DER_NON_MINIMAL_LENGTH', `length ${length} must use the short form`, offset);
  return length;
}

/** X.690 §8.19: the first subidentifier is 40·X + Y; every arc in minimal base 128. */
function decodeOid(v: Uint8Array, offset: number): string {
  if (v.length === 0) throw new DerError('ERR_DER_BAD_OID', 'empty OBJECT IDENTIFIER', offset);
  if (((v[v.length - 1] as number) & 0x80) !== 0) {
    throw new DerError('ERR_DER_BAD_OID', 'OBJECT IDENTIFIER ends inside an arc', offset);
  }
  const arcs: bigint[] = [];
  let n = 0n;
  let start = true;
  for (const b of v) {
    if (start && b === 0x80) throw new DerError('ERR_DER_BAD_OID', 'arc with a leading zero group', offset);
    n = (n << 7n) | BigInt(b & 0x7f);
    start = (b & 0x80) === 0;
    if (start) {
      arcs.push(n);
      n = 0n;
    }
  }
  const first = arcs[0] as bigint;
  const x = first < 40n ? 0n : first < 80n ? 1n : 2n;
  return [x, first - 40n * x, ...arcs.slice(1)].join('.');
}

/**
 * The bytes of the one PEM block with this label (RFC 7468 §2, strict base64).
 *
 * @throws {DerError} `ERR_DER_BAD_PEM` if there is not exactly one such block or its base64 is bad.
 * @example
 * ```ts
 * const der = decodePem(await readVectorText('gost/tc26-cms-2019/recipient256_key.pem'), 'PRIVATE KEY');
 * ```
 */
export function decodePem(text: string, label: string): Uint8Array {
  const begin = `-----BEGIN ${label}-----`;
  const end = `-----END ${label}-----`;
  const first = text.indexOf(begin);
  if (first < 0 || text.indexOf(begin, first + 1) >= 0) {
    throw new DerError('ERR_DER_BAD_PEM', `expected exactly one "${label}" PEM block`);
  }
  const stop = text.indexOf(end, first);
  if (stop < 0) throw new DerError('ERR_DER_BAD_PEM', `no "${end}" line`);
  const body = text.slice(first + begin.length, stop).replace(/\s+/g, '');
  if (!/^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/.test(body)) {
    throw new DerError('ERR_DER_BAD_PEM', 'bad base64 in the PEM body');
  }
  return Uint8Array.from(atob(body), (c) => c.charCodeAt(0));
}
