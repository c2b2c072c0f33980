// A small streaming parser of multipart/form-data (RFC 7578 on RFC 2046 §5.1): parts one at a time, each body streamed, every length bounded.

/** A malformed multipart body; `reason` is safe to show to the client. */
export class MultipartError extends Error {
  override readonly name = 'MultipartError';
}

/** Bounds of {@link parseMultipart}; the part bodies are bounded by their consumer. */
export interface MultipartLimits {
  /** Most parts read (default 8). */
  readonly maxParts?: number | undefined;
  /** Largest header block of one part, in bytes (default 8 KiB). */
  readonly maxHeaderBytes?: number | undefined;
  /** Largest preamble before the first boundary, in bytes (default 4 KiB). */
  readonly maxPreambleBytes?: number | undefined;
}

/** One part: its form field name, optional file name and type, and its body as a one-time stream. */
export interface MultipartPart {
  readonly name: string;
  readonly filename: string | undefined;
  readonly contentType: string | undefined;
  /** The bytes of the part. Read it before asking for the next part, or the parser skips the rest. */
  readonly body: AsyncIterable<Uint8Array>;
}

const CRLF = Buffer.from('\r\n');
const HEADER_END = Buffer.from('\r\n\r\n');

/**
 * The boundary of a `multipart/form-data` Content-Type, or undefined when the type is another
 * one. RFC 2046 §5.1.1: 1 to 70 characters from a restricted set, possibly quoted.
 *
 * @throws MultipartError for a multipart type without a valid boundary.
 * @example
 * ```ts
 * boundaryOf('multipart/form-data; boundary=----x'); // '----x'
 * ```
 */
export function boundaryOf(contentType: string): string | undefined {
  const [type, ...params] = contentType.split(';');
  if (type?.trim().toLowerCase() !== 'multipart/form-data') return undefined;
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0 || param.slice(0, eq).trim().toLowerCase() !== 'boundary') continue;
    let value = param.slice(eq + 1).trim();
    if (value.startsWith('"') && value.endsWith('"') && value.length >= 2) value = value.slice(1, -1);
    if (/^[0-9A-Za-z'()+_,\-./:=? ]{0,69}[0-9A-Za-z'()+_,\-./:=?]$/.test(value)) return value;
    throw new MultipartError('the multipart boundary is not valid (RFC 2046 §5.1.1)');
  }
  throw new MultipartError('multipart/form-data without a boundary');
}

/** The value of `key` in a header's parameters (`form-data; name="document"; filename="a.pdf"`). */
function parameter(header: string, key: string): string | undefined {
  const re = new RegExp(`;\\s*${key}\\s*=\\s*(?:"((?:[^"\\\\]|\\\\.)*)"|([^;\\s]+))`, 'i');
  const m = re.exec(header);
  if (!m) return undefined;
  return m[1] !== undefined ? m[1].replace(/\\(.)/g, '$1') : m[2];
}

/** Parses one part's header block (RFC 7578 §4.2: Content-Disposition form-data with a name). */
function partHeaders(block: Buffer): Omit<MultipartPart, 'body'> {
  const headers = new Map<string, string>();
  for (const line of block.toString('utf8').split('\r\n')) {
    if (line === '') continue;
    const colon = line.indexOf(':');
    if (colon <= 0) throw new MultipartError('a part header line has no name');
    headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition');
  if (!disposition || !/^form-data\s*(;|$)/i.test(disposition))
    throw new MultipartError('a part has no Content-Disposition: form-data');
  const name = parameter(disposition, 'name');
  if (name === undefined) throw new MultipartError('a part has no name');
  return { name, filename: parameter(disposition, 'filename'), contentType: headers.get('content-type') };
}

/**
 * Parses a multipart/form-data body as it arrives: yields each part with its body as a stream,
 * so a large document reaches the verifier (and its hash) without being held whole. Only the
 * boundary's length of bytes is kept back between chunks; header blocks, the preamble and the
 * number of parts are bounded. A part's body left unread is skipped when the next part is asked for.
 *
 * @throws MultipartError (from the iteration) for a body that does not follow RFC 2046 §5.1.1 or
 *   passes a limit; the errors of `source`.
 * @example
 * ```ts
 * for await (const part of parseMultipart(request, boundaryOf(request.headers['content-type'])!)) {
 *   for await (const chunk of part.body) hash.update(chunk);
 * }
 * ```
 */
export async function* parseMultipart(
  source: AsyncIterable<Uint8Array>,
  boundary: string,
  limits: MultipartLimits = {},
): AsyncGenerator<MultipartPart> {
  const maxParts = limits.maxParts ?? 8;
  const maxHeader = limits.maxHeaderBytes ?? 8 << 10;
  const maxPreamble = limits.maxPreambleBytes ?? 4 << 10;
  // Every delimiter is CRLF "--" boundary; the body is read as if it began with a CRLF so that
  // the first one (at the very start) looks like the others.
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  const input = source[Symbol.asyncIterator]();
  let buf: Buffer = Buffer.from(CRLF);
  let ended = false;
  let inPart = false;
  let current = 0; // the number of the open part, so that a stale body stream reads nothing

  async function more(): Promise<boolean> {
    if (ended) return false;
    const next = await input.next();
    if (next.done) {
      ended = true;
      return false;
    }
    buf = buf.length === 0 ? Buffer.from(next.value) : Buffer.concat([buf, next.value]);
    return true;
  }

  /** The next body chunk of the open part, or undefined once its closing delimiter is reached. */
  async function bodyChunk(): Promise<Uint8Array | undefined> {
    while (inPart) {
      const at = buf.indexOf(delimiter);
      if (at >= 0) {
        const chunk = buf.subarray(0, at);
        buf = buf.subarray(at + delimiter.length);
        inPart = false;
        return chunk;
      }
      // keep back what could be the start of the delimiter
      const safe = buf.length - (delimiter.length - 1);
      if (safe > 0) {
        const chunk = buf.subarray(0, safe);
        buf = buf.subarray(safe);
        return chunk;
      }
      if (!(await more())) throw new MultipartError('the body ended inside a part (no closing boundary)');
    }
    return undefined;
  }

  async function* body(part: number): AsyncGenerator<Uint8Array> {
    while (part === current) {
      const chunk = await bodyChunk();
      if (chunk === undefined) return;
      if (chunk.length > 0) yield chunk;
    }
  }

  /** After a delimiter: true for the close delimiter, false for the start of a part (RFC 2046 §5.1.1 BNF). */
  async function afterDelimiter(): Promise<boolean> {
    while (buf.length < 2) if (!(await more())) throw new MultipartError('the body ended after a boundary');
    if (buf[0] === 0x2d && buf[1] === 0x2d) return true;
    for (;;) {
      let i = 0;
      while (i < buf.length && (buf[i] === 0x20 || buf[i] === 0x09)) i++; // transport padding
      if (i + 2 <= buf.length) {
        if (buf[i] !== 0x0d || buf[i + 1] !== 0x0a) throw new MultipartError('a boundary is not followed by CRLF');
        buf = buf.subarray(i + 2);
        return false;
      }
      if (buf.length > 256) throw new MultipartError('a boundary is followed by too much padding');
      if (!(await more())) throw new MultipartError('the body ended after a boundary');
    }
  }

  async function headerBlock(): Promise<Buffer> {
    for (;;) {
      if (buf.length >= 2 && buf[0] === 0x0d && buf[1] === 0x0a) {
        buf = buf.subarray(2); // a part without headers
        return Buffer.alloc(0);
      }
      const at = buf.indexOf(HEADER_END);
      if (at >= 0) {
        if (at > maxHeader) break;
        const block = buf.subarray(0, at);
        buf = buf.subarray(at + HEADER_END.length);
        return block;
      }
      if (buf.length > maxHeader) break;
      if (!(await more())) throw new MultipartError('the body ended inside the headers of a part');
    }
    throw new MultipartError(`the headers of a part are longer than ${maxHeader} bytes`);
  }

  // the preamble, up to the first delimiter
  for (;;) {
    const at = buf.indexOf(delimiter);
    if (at >= 0) {
      buf = buf.subarray(at + delimiter.length);
      break;
    }
    if (buf.length > maxPreamble + delimiter.length)
      throw new MultipartError('no multipart boundary at the start of the body');
    if (!(await more())) throw new MultipartError('the body has no multipart boundary');
  }
  for (let count = 0; ; count++) {
    if (await afterDelimiter()) return; // the epilogue is ignored
    if (count >= maxParts) throw new MultipartError(`more than ${maxParts} parts`);
    const headers = partHeaders(await headerBlock());
    inPart = true;
    current = count + 1;
    yield { ...headers, body: body(current) };
    while ((await bodyChunk()) !== undefined); // skip what the consumer left unread
  }
}
