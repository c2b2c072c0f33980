// A minimal DER walker for the key-wrap tests: enough to pull fields out of GOST CMS EnvelopedData (definite lengths only, no validation).

/** One TLV: the tag byte and where its contents lie in the buffer. */
export interface Tlv {
  tag: number;
  start: number;
  end: number;
}

/** Reads the TLV at `at` (short or long definite length). */
export function readTlv(der: Uint8Array, at: number): Tlv {
  const tag = der[at] as number;
  let len = der[at + 1] as number;
  let start = at + 2;
  if (len & 0x80) {
    const count = len & 0x7f;
    len = 0;
    for (let i = 0; i < count; i++) len = len * 256 + (der[start + i] as number);
    start += count;
  }
  return { tag, start, end: start + len };
}

/** The TLVs inside a constructed one. */
export function children(der: Uint8Array, parent: Tlv): Tlv[] {
  const out: Tlv[] = [];
  for (let at = parent.start; at < parent.end; ) {
    const t = readTlv(der, at);
    out.push(t);
    at = t.end;
  }
  return out;
}

/** Follows child indexes from the outermost TLV and returns the contents reached. */
export function field(der: Uint8Array, ...indexes: number[]): Uint8Array {
  const t = walk(der, ...indexes);
  return der.subarray(t.start, t.end);
}

/** The TLV reached by following child indexes from the outermost one. */
export function walk(der: Uint8Array, ...indexes: number[]): Tlv {
  let t = readTlv(der, 0);
  for (const i of indexes) {
    const c = children(der, t)[i];
    if (!c) throw new Error(`DER: no child ${i} at offset ${t.start}`);
    t = c;
  }
  return t;
}

/** Dotted form of an OBJECT IDENTIFIER's contents. */
export function decodeOid(b: Uint8Array): string {
  const arcs: number[] = [];
  let v = 0;
  for (const x of b) {
    v = v * 128 + (x & 0x7f);
    if (!(x & 0x80)) {
      arcs.push(v);
      v = 0;
    }
  }
  const first = arcs.shift() as number;
  const top = Math.min(2, Math.floor(first / 40));
  return [top, first - 40 * top, ...arcs].join('.');
}

/** The last `size` bytes of a GOST SubjectPublicKey BIT STRING's contents: x ‖ y little-endian. */
export function gostPublicKey(bitString: Uint8Array, size: number): Uint8Array {
  return bitString.subarray(bitString.length - size);
}
