// Text and binary encodings of signature objects: Base64 (RFC 4648 §4), hex, PEM (RFC 7468),
// and detection of what a caller handed in (DER, PEM or bare Base64).
import { DecodeError } from './errors';

/** Largest input the decoders accept unless told otherwise (64 MiB). */
export const DEFAULT_MAX_INPUT = 64 * 1024 * 1024;

const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';

function decodeTable(alphabet: string): Int8Array {
  const table = new Int8Array(128).fill(-1);
  for (let i = 0; i < 64; i++) table[alphabet.charCodeAt(i)] = i;
  return table;
}
let tables: { std: Int8Array; url: Int8Array } | undefined;

/**
 * Encodes bytes as Base64 (RFC 4648 §4, padded) or base64url (§5, unpadded).
 *
 * @example
 * ```ts
 * base64Encode(new Uint8Array([1, 2, 3])); // 'AQID'
 * ```
 */
export function base64Encode(bytes: Uint8Array, options: { url?: boolean } = {}): string {
  const alphabet = options.url ? B64URL : B64;
  const codes = new Uint8Array(64);
  for (let i = 0; i < 64; i++) codes[i] = alphabet.charCodeAt(i);
  // ASCII codes into a byte buffer, decoded once: far faster than growing a string.
  const out = new Uint8Array(Math.ceil(bytes.length / 3) * 4);
  let o = 0;
  let i = 0;
  for (; i + 2 < bytes.length; i += 3) {
    const n = ((bytes[i] as number) << 16) | ((bytes[i + 1] as number) << 8) | (bytes[i + 2] as number);
    out[o++] = codes[n >>> 18] as number;
    out[o++] = codes[(n >>> 12) & 63] as number;
    out[o++] = codes[(n >>> 6) & 63] as number;
    out[o++] = codes[n & 63] as number;
  }
  const rest = bytes.length - i;
  if (rest > 0) {
    const n = ((bytes[i] as number) << 16) | (rest === 2 ? (bytes[i + 1] as number) << 8 : 0);
    out[o++] = codes[n >>> 18] as number;
    out[o++] = codes[(n >>> 12) & 63] as number;
    if (rest === 2) out[o++] = codes[(n >>> 6) & 63] as number;
    else if (!options.url) out[o++] = 0x3d;
    if (!options.url) out[o++] = 0x3d;
  }
  return new TextDecoder().decode(out.subarray(0, o));
}

/**
 * Decodes Base64 (RFC 4648 §4) or base64url (§5). ASCII white space is ignored anywhere;
 * padding is optional but, when present, must be correct. Non-canonical encodings (non-zero
 * unused bits) are rejected, so one byte string has exactly one accepted text form.
 *
 * @throws DecodeError `ERR_DECODE_BASE64` with the character offset of the first bad character;
 *   `ERR_DECODE_TOO_LARGE` past `maxBytes` characters.
 * @example
 * ```ts
 * base64Decode('AQID'); // Uint8Array [1, 2, 3]
 * ```
 */
export function base64Decode(text: string, options: { url?: boolean; maxBytes?: number } = {}): Uint8Array {
  checkSize(text.length, options.maxBytes);
  tables ??= { std: decodeTable(B64), url: decodeTable(B64URL) };
  const table = options.url ? tables.url : tables.std;
  const out = new Uint8Array(Math.floor((text.length * 3) / 4) + 3);
  let acc = 0;
  let bits = 0;
  let n = 0;
  let digits = 0;
  let pad = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) continue;
    if (c === 0x3d /* = */) {
      pad++;
      if (pad > 2) throw badBase64(i, 'too much padding');
      continue;
    }
    const v = c < 128 ? (table[c] as number) : -1;
    if (v < 0) throw badBase64(i, `invalid character ${JSON.stringify(text[i])}`);
    if (pad > 0) throw badBase64(i, 'data after padding');
    acc = ((acc << 6) | v) & 0xffffff;
    bits += 6;
    digits++;
    if (bits >= 8) {
      bits -= 8;
      out[n++] = (acc >>> bits) & 0xff;
    }
  }
  const tail = digits % 4;
  if (tail === 1) throw badBase64(text.length, 'truncated input');
  if (pad > 0 && (tail === 0 || tail + pad !== 4)) throw badBase64(text.length, 'wrong padding');
  if ((acc & ((1 << bits) - 1)) !== 0) throw badBase64(text.length, 'non-canonical trailing bits');
  return out.slice(0, n);
}

function badBase64(offset: number, why: string): DecodeError {
  return new DecodeError('ERR_DECODE_BASE64', `invalid Base64 at offset ${offset}: ${why}`, { offset });
}

function checkSize(length: number, max = DEFAULT_MAX_INPUT): void {
  if (length > max) {
    throw new DecodeError('ERR_DECODE_TOO_LARGE', `input of ${length} exceeds the limit of ${max}`);
  }
}

/**
 * Encodes bytes as lowercase hex.
 *
 * @example
 * ```ts
 * hexEncode(new Uint8Array([0xde, 0xad])); // 'dead'
 * ```
 */
export function hexEncode(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += (b < 16 ? '0' : '') + b.toString(16);
  return out;
}

/**
 * Decodes hex, either case; white space and `:` separators (as printed by OpenSSL) are ignored.
 *
 * @throws DecodeError `ERR_DECODE_HEX` for a non-hex character or an odd number of digits.
 * @example
 * ```ts
 * hexDecode('DE:AD'); // Uint8Array [0xde, 0xad]
 * ```
 */
export function hexDecode(text: string, options: { maxBytes?: number } = {}): Uint8Array {
  checkSize(text.length, options.maxBytes);
  const out = new Uint8Array(text.length >>> 1);
  let n = 0;
  let high = -1;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09 || c === 0x3a) continue;
    const v = c >= 48 && c <= 57 ? c - 48 : c >= 97 && c <= 102 ? c - 87 : c >= 65 && c <= 70 ? c - 55 : -1;
    if (v < 0) throw new DecodeError('ERR_DECODE_HEX', `invalid hex character at offset ${i}`, { offset: i });
    if (high < 0) high = v;
    else {
      out[n++] = (high << 4) | v;
      high = -1;
    }
  }
  if (high >= 0) throw new DecodeError('ERR_DECODE_HEX', 'odd number of hex digits', { offset: text.length });
  return out.slice(0, n);
}

/** One PEM block (RFC 7468 §2): its label and the decoded bytes. */
export interface PemBlock {
  /** The label between `BEGIN ` and the dashes, e.g. `CERTIFICATE`. */
  label: string;
  bytes: Uint8Array;
}

/**
 * Encodes bytes as a PEM block with 64-character lines (RFC 7468 §2, strict form).
 *
 * @throws RangeError for a label that is not printable ASCII without `-`.
 * @example
 * ```ts
 * encodePem('CERTIFICATE', der); // '-----BEGIN CERTIFICATE-----\nMII...\n-----END CERTIFICATE-----\n'
 * ```
 */
export function encodePem(label: string, bytes: Uint8Array): string {
  if (!/^[\x21-\x2c\x2e-\x7e]+( [\x21-\x2c\x2e-\x7e]+)*$/.test(label)) {
    throw new RangeError(`invalid PEM label ${JSON.stringify(label)}`);
  }
  const b64 = base64Encode(bytes);
  const lines: string[] = [];
  for (let i = 0; i < b64.length; i += 64) lines.push(b64.slice(i, i + 64));
  return `-----BEGIN ${label}-----\n${lines.join('\n')}${lines.length ? '\n' : ''}-----END ${label}-----\n`;
}

const PEM_BEGIN = /-----BEGIN ([\x21-\x2c\x2e-\x7e]+(?: [\x21-\x2c\x2e-\x7e]+)*)-----/g;

/**
 * Decodes every PEM block in a text, in order (RFC 7468 §2, lax parsing: text between blocks
 * and white space inside them are ignored). Blocks with RFC 1421 headers (`Proc-Type:`, as in
 * legacy encrypted keys) are rejected rather than misread.
 *
 * @throws DecodeError `ERR_DECODE_PEM` for a missing END line, a mismatched label, headers, or
 *   no block at all; `ERR_DECODE_BASE64` for a bad body; `ERR_DECODE_TOO_LARGE` past
 *   `maxBytes` characters or `maxBlocks` blocks (default 10,000).
 * @example
 * ```ts
 * const [cert] = decodePem(text).filter((b) => b.label === 'CERTIFICATE');
 * ```
 */
export function decodePem(text: string, options: { maxBytes?: number; maxBlocks?: number } = {}): PemBlock[] {
  checkSize(text.length, options.maxBytes);
  const maxBlocks = options.maxBlocks ?? 10_000;
  const blocks: PemBlock[] = [];
  PEM_BEGIN.lastIndex = 0;
  for (let m = PEM_BEGIN.exec(text); m; m = PEM_BEGIN.exec(text)) {
    const label = m[1] as string;
    const bodyStart = m.index + m[0].length;
    const end = `-----END ${label}-----`;
    const endAt = text.indexOf('-----END ', bodyStart);
    if (endAt < 0) throw badPem(m.index, `no END line for "${label}"`);
    if (!text.startsWith(end, endAt)) throw badPem(endAt, `END line does not match "${label}"`);
    const body = text.slice(bodyStart, endAt);
    if (body.includes(':')) throw badPem(bodyStart, 'PEM headers (RFC 1421) are not supported');
    if (blocks.length >= maxBlocks) {
      throw new DecodeError('ERR_DECODE_TOO_LARGE', `more than ${maxBlocks} PEM blocks`);
    }
    try {
      blocks.push({ label, bytes: base64Decode(body) });
    } catch (cause) {
      const offset = cause instanceof DecodeError && cause.offset !== undefined ? bodyStart + cause.offset : bodyStart;
      throw new DecodeError('ERR_DECODE_BASE64', `bad Base64 in PEM block "${label}"`, { offset, cause });
    }
    PEM_BEGIN.lastIndex = endAt + end.length;
  }
  if (blocks.length === 0) throw badPem(0, 'no PEM block found');
  return blocks;
}

function badPem(offset: number, why: string): DecodeError {
  return new DecodeError('ERR_DECODE_PEM', `invalid PEM at offset ${offset}: ${why}`, { offset });
}

/** What an input looks like: binary DER/BER, PEM text, bare Base64 text, or none of these. */
export type Encoding = 'der' | 'pem' | 'base64' | 'unknown';

/**
 * Guesses the encoding of a signature object handed in by a user: DER (or BER with an
 * indefinite length, as CryptoPro writes CMS) starting with a SEQUENCE, PEM armour, or bare
 * Base64. Variable-time; looks at the structure only, never trusts it.
 *
 * @example
 * ```ts
 * detectEncoding(fileBytes); // 'der' | 'pem' | 'base64' | 'unknown'
 * ```
 */
export function detectEncoding(input: Uint8Array | string): Encoding {
  // PEM may follow other text (comments, `openssl x509 -text` output), as RFC 7468 §5.2 allows:
  // the whole input is searched, text or bytes alike.
  if (typeof input === 'string') {
    if (/-----BEGIN [\x21-\x7e]/.test(input)) return 'pem';
    return /^[A-Za-z0-9+/=\s]+$/.test(input) && /[A-Za-z0-9+/]/.test(input) ? 'base64' : 'unknown';
  }
  if (looksLikeDer(input)) return 'der';
  if (hasPemBegin(input)) return 'pem';
  return looksLikeBase64(input) ? 'base64' : 'unknown';
}

const PEM_MARKER = /* @__PURE__ */ Uint8Array.from('-----BEGIN ', (c) => c.charCodeAt(0));

/** `-----BEGIN ` and a printable character anywhere in the bytes, without making a string. */
function hasPemBegin(b: Uint8Array): boolean {
  const m = PEM_MARKER.length;
  for (let at = b.indexOf(0x2d); at >= 0 && at + m < b.length; at = b.indexOf(0x2d, at + 1)) {
    let i = 1;
    while (i < m && b[at + i] === PEM_MARKER[i]) i++;
    const next = b[at + m] as number;
    if (i === m && next >= 0x21 && next <= 0x7e) return true;
  }
  return false;
}

/** The bytes-side twin of the string test: Base64 characters and white space only, at least one character. */
function looksLikeBase64(b: Uint8Array): boolean {
  let digits = false;
  for (let i = 0; i < b.length; i++) {
    const c = b[i] as number;
    const digit =
      (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || (c >= 0x30 && c <= 0x39) || c === 0x2b || c === 0x2f;
    // `\s` on the Latin-1 reading of a byte: TAB..CR, space and no-break space.
    if (digit) digits = true;
    else if (c !== 0x3d && c !== 0x20 && c !== 0xa0 && (c < 0x09 || c > 0x0d)) return false;
  }
  return digits;
}

/** SEQUENCE tag and a length that fits the buffer exactly (DER), or the BER indefinite form. */
function looksLikeDer(b: Uint8Array): boolean {
  if (b.length < 2 || b[0] !== 0x30) return false;
  const first = b[1] as number;
  if (first === 0x80) return true;
  if (first < 0x80) return 2 + first === b.length;
  const n = first & 0x7f;
  if (n > 4 || b.length < 2 + n) return false;
  let len = 0;
  for (let i = 0; i < n; i++) len = len * 256 + (b[2 + i] as number);
  return 2 + n + len === b.length;
}

/**
 * Normalises a user-supplied object to DER bytes: DER passes through; PEM (text or bytes) gives
 * the first block whose label is in `labels` (any label when omitted); bare Base64 is decoded.
 *
 * @throws DecodeError `ERR_DECODE_FORMAT` when the input is none of these or no PEM block has an
 *   accepted label; the PEM and Base64 errors of the decoders otherwise.
 * @example
 * ```ts
 * const der = toDer(await file.text(), { labels: ['CERTIFICATE'] });
 * ```
 */
export function toDer(
  input: Uint8Array | string,
  options: { labels?: readonly string[]; maxBytes?: number } = {},
): Uint8Array {
  const size = typeof input === 'string' ? input.length : input.length;
  checkSize(size, options.maxBytes);
  const kind = detectEncoding(input);
  if (kind === 'der' && typeof input !== 'string') return input;
  const text = typeof input === 'string' ? input : new TextDecoder('latin1').decode(input);
  if (kind === 'pem') {
    const blocks = decodePem(text, options);
    const block = options.labels ? blocks.find((b) => options.labels?.includes(b.label)) : blocks[0];
    if (!block) {
      throw new DecodeError(
        'ERR_DECODE_FORMAT',
        `no PEM block labelled ${options.labels?.join(' or ')} (found ${blocks.map((b) => b.label).join(', ')})`,
      );
    }
    return block.bytes;
  }
  if (kind === 'base64') return base64Decode(text, options);
  throw new DecodeError('ERR_DECODE_FORMAT', 'input is neither DER, PEM nor Base64', { offset: 0 });
}
