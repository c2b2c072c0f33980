// Internal: the hash index of a CRL's revoked entries (RFC 5280 §5.1.2.6) behind Crl.entryIndex, read from the DER headers (X.690 §8.1, §10) without an object per entry.

import { Der, decodeDer, der, TAG } from './asn1';
import type { CrlEntryIndex, RevokedEntry } from './crl';
import { DecodeError } from './errors';
import type { GeneralName } from './extensions';

// One pass over revokedCertificates reading TLV headers with the rules of the DER
// reader (X.690 §10: definite minimal lengths, primitive strings), then an open-addressing hash
// table of positions keyed by the serial's minimal INTEGER contents.

/** The nesting limit of parseCrl's reader (decodeDer's default), for entry nodes made here. */
const READER_MAX_DEPTH = 64;
/** Largest serial contents (RFC 5280 §4.1.2.2 allows 20 octets; the reader is lenient up to this). */
const MAX_ENTRY_SERIAL = 128;
/** Largest number of extensions in one entry, as the extension list reader allows. */
const MAX_ENTRY_EXTENSIONS = 256;
/** Longest extnID contents, as the OID reader allows. */
const MAX_OID_LENGTH = 256;
/** extnID contents of certificateIssuer (id-ce 29). */
const CERTIFICATE_ISSUER_OID = Uint8Array.of(0x55, 0x1d, 0x1d);

/**
 * FNV-1a (32-bit) of `buf[start..end)` from a per-index random basis, then the MurmurHash3
 * finaliser so that the high bits reach the slot bits: serials chosen to collide cannot be
 * prepared in advance.
 */
function hash(buf: Uint8Array, start: number, end: number, seed: number): number {
  let h = 0x811c9dc5 ^ seed;
  for (let i = start; i < end; i++) h = Math.imul(h ^ (buf[i] as number), 0x01000193);
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
  return (h ^ (h >>> 16)) >>> 0;
}

/** Probe steps allowed per entry while building: past this the entries defeat the hash, and lookups scan. */
const MAX_PROBES_PER_ENTRY = 32;

/** Start of the INTEGER contents without redundant sign octets (X.690 §8.3.2). */
function minimalStart(buf: Uint8Array, start: number, end: number): number {
  let i = start;
  while (i + 1 < end) {
    const a = buf[i] as number;
    const b = buf[i + 1] as number;
    if (!((a === 0 && b < 0x80) || (a === 0xff && b >= 0x80))) break;
    i++;
  }
  return i;
}

function rangeEquals(buf: Uint8Array, start: number, end: number, want: Uint8Array): boolean {
  if (end - start !== want.length) return false;
  for (let i = 0; i < want.length; i++) if (buf[start + i] !== want[i]) return false;
  return true;
}

/** True when `buf[a..a+n)` equals `buf[b..b+n)`. */
function sameBytes(buf: Uint8Array, a: number, b: number, n: number): boolean {
  for (let i = 0; i < n; i++) if (buf[a + i] !== buf[b + i]) return false;
  return true;
}

/** Reads TLV headers in the contents of revokedCertificates; errors name the entry. */
class HeaderReader {
  /** Contents start and end of the last header read. */
  start = 0;
  end = 0;
  constructor(
    readonly buf: Uint8Array,
    readonly base: number,
    readonly path: string,
  ) {}

  fail(why: string, at: number, position: number): DecodeError {
    const offset = this.base + at;
    const path = `${this.path}[${position}]`;
    return new DecodeError('ERR_DECODE_DER', `${path}: ${why} (at byte ${offset})`, { offset, path });
  }

  /** The identifier octet at `at`, a TLV that must end by `limit`; sets start and end. */
  header(at: number, limit: number, position: number): number {
    const buf = this.buf;
    if (at + 2 > limit) throw this.fail('input ends inside a TLV header', at, position);
    const tag = buf[at] as number;
    if ((tag & 0x1f) === 0x1f) throw this.fail('unexpected high tag number', at, position);
    if ((tag & 0xe0) === 0x20 && tag !== TAG.SEQUENCE && tag !== TAG.SET)
      throw this.fail('constructed string (BER, not DER)', at, position);
    let pos = at + 1;
    let length = buf[pos++] as number;
    if (length === 0x80) throw this.fail('indefinite length (BER, not DER)', at, position);
    if (length > 0x80) {
      const count = length & 0x7f;
      if (count > 4 || pos + count > limit || buf[pos] === 0) throw this.fail('bad length octets', at, position);
      length = 0;
      for (let i = 0; i < count; i++) length = length * 256 + (buf[pos++] as number);
      if (length < 0x80) throw this.fail('length not minimal', at, position);
    }
    if (pos + length > limit) throw this.fail(`length ${length} runs past the end of its container`, at, position);
    this.start = pos;
    this.end = pos + length;
    return tag;
  }

  /** Reads a header that must carry `tag`. */
  expect(tag: number, at: number, limit: number, position: number, what: string): void {
    if (at >= limit) throw this.fail(`missing ${what}`, at, position);
    if (this.header(at, limit, position) !== tag) throw this.fail(`bad ${what}`, at, position);
  }
}

/** Entry extension OIDs met so far: a few recent ones compared as bytes, all of them by a string key. */
class OidTally {
  /** Key (the extnID contents as char codes) to the dotted OID and whether it was ever critical. */
  private readonly seen = new Map<string, { oid: string; critical: boolean }>();
  private readonly recent: { start: number; end: number; key: string }[] = [];
  constructor(private readonly reader: HeaderReader) {}

  add(start: number, end: number, critical: boolean, position: number): void {
    const buf = this.reader.buf;
    let key: string | undefined;
    for (const r of this.recent) {
      if (r.end - r.start === end - start && sameBytes(buf, start, r.start, end - start)) {
        key = r.key;
        break;
      }
    }
    key ??= String.fromCharCode(...buf.subarray(start, end));
    let found = this.seen.get(key);
    if (!found) {
      found = { oid: this.dotted(start, end, position), critical };
      this.seen.set(key, found);
      if (this.recent.length < 8) this.recent.push({ start, end, key });
    }
    if (critical) found.critical = true;
  }

  /** The extnID in dotted form (X.690 §8.19), checked by the DER reader. */
  private dotted(start: number, end: number, position: number): string {
    try {
      return decodeDer(der.tlv(TAG.OID, this.reader.buf.subarray(start, end)), 'extnID').oid();
    } catch (e) {
      if (!(e instanceof DecodeError)) throw e;
      throw this.reader.fail(`bad extnID: ${e.message}`, start, position);
    }
  }

  /** Each OID met, mapped to true when at least one occurrence is critical. */
  result(): Map<string, boolean> {
    return new Map([...this.seen.values()].map((v) => [v.oid, v.critical]));
  }
}

/** The index behind `Crl.entryIndex`: built once, in one pass, by the constructor. */
export class EntryIndex implements CrlEntryIndex {
  readonly count: number;
  readonly entryExtensions: ReadonlyMap<string, boolean>;
  /** Start of each entry in the contents of revokedCertificates. */
  private readonly offsets: Uint32Array;
  /** Hash slots: position + 1 of the first entry of a serial, 0 when empty; a power of two, at least twice the entries. */
  private readonly slots: Uint32Array;
  /** Position + 1 of the next entry with the same serial, 0 for the last. */
  private readonly next: Uint32Array;
  /** Positions of the entries carrying certificateIssuer, ascending. */
  private readonly issuerPositions: number[] = [];
  private readonly reader: HeaderReader;
  /** Random basis of the hash, fixed for this index. */
  private readonly seed = (Math.random() * 0x1_0000_0000) >>> 0;
  /** Start of the last serial read by serialRange (its end is the reader's `end`). */
  private serialStart = 0;
  /** extnID ranges of the entry being checked, for the duplicate test. */
  private readonly seen = new Uint32Array(2 * MAX_ENTRY_EXTENSIONS);

  constructor(
    private readonly list: Der | undefined,
    private readonly version: number,
    private readonly decode: (node: Der) => RevokedEntry,
  ) {
    const buf = list?.value ?? new Uint8Array(0);
    this.reader = new HeaderReader(buf, list?.valueOffset ?? 0, list?.path ?? 'revokedCertificates');
    const tally = new OidTally(this.reader);
    this.offsets = this.scan(tally);
    this.count = this.offsets.length;
    this.entryExtensions = tally.result();
    let size = 2;
    while (size < 2 * this.count) size *= 2;
    this.slots = new Uint32Array(size);
    this.next = new Uint32Array(this.count);
    this.insertAll(buf, size - 1);
  }

  /**
   * Puts the first entry of each serial into the slots (linear probing) and chains later entries
   * of the same serial behind it, so repeated serials do not lengthen the probe sequences.
   */
  private insertAll(buf: Uint8Array, mask: number): void {
    const tail = new Uint32Array(this.count);
    let probes = 1024 + MAX_PROBES_PER_ENTRY * this.count;
    for (let i = 0; i < this.count; i++) {
      this.serialRange(i);
      const start = this.serialStart;
      const end = this.reader.end;
      let slot = hash(buf, start, end, this.seed) & mask;
      for (; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
        const first = (this.slots[slot] as number) - 1;
        this.serialRange(first);
        if (
          this.reader.end - this.serialStart === end - start &&
          sameBytes(buf, start, this.serialStart, end - start)
        ) {
          this.next[tail[first] as number] = i + 1;
          tail[first] = i;
          break;
        }
        if (--probes < 0)
          throw this.reader.fail('serial numbers collide too often to index', this.offsets[i] as number, i);
      }
      if (this.slots[slot] === 0) {
        this.slots[slot] = i + 1;
        tail[i] = i;
      }
    }
  }

  static empty(version: number): EntryIndex {
    return new EntryIndex(undefined, version, () => {
      throw new RangeError('no entries');
    });
  }

  /** Checks every entry and returns their offsets. */
  private scan(tally: OidTally): Uint32Array {
    const r = this.reader;
    const n = r.buf.length;
    let offsets = new Uint32Array(Math.max(16, n >>> 5));
    let count = 0;
    for (let at = 0; at < n; count++) {
      if (count === offsets.length) {
        const grown = new Uint32Array(offsets.length * 2);
        grown.set(offsets);
        offsets = grown;
      }
      offsets[count] = at;
      at = this.scanEntry(at, count, tally);
    }
    return offsets.length > count * 1.25 ? offsets.slice(0, count) : offsets.subarray(0, count);
  }

  /** Checks the entry at `at` (RFC 5280 §5.1.2.6); returns where the next one starts. */
  private scanEntry(at: number, position: number, tally: OidTally): number {
    const r = this.reader;
    r.expect(TAG.SEQUENCE, at, r.buf.length, position, 'revoked certificate entry');
    const end = r.end;
    r.expect(TAG.INTEGER, r.start, end, position, 'userCertificate');
    const serialLength = r.end - r.start;
    if (serialLength === 0 || serialLength > MAX_ENTRY_SERIAL)
      throw r.fail(`serial number of ${serialLength} bytes`, r.start, position);
    if (r.end >= end) throw r.fail('missing revocationDate', r.end, position);
    const time = r.header(r.end, end, position);
    if (time !== TAG.UTC_TIME && time !== TAG.GENERALIZED_TIME) throw r.fail('expected a time', r.start, position);
    if (r.end < end) {
      const extAt = r.end;
      r.expect(TAG.SEQUENCE, extAt, end, position, 'crlEntryExtensions');
      if (this.version !== 2) throw r.fail('crlEntryExtensions in a v1 CRL', extAt, position);
      if (r.end !== end) throw r.fail('unexpected data after crlEntryExtensions', r.end, position);
      this.scanExtensions(r.start, end, position, tally);
    }
    return end;
  }

  /** Checks a crlEntryExtensions list: Extension ::= SEQUENCE { extnID, critical DEFAULT FALSE, extnValue }. */
  private scanExtensions(at: number, end: number, position: number, tally: OidTally): void {
    const r = this.reader;
    const buf = r.buf;
    const seen = this.seen;
    let count = 0;
    while (at < end) {
      if (count >= MAX_ENTRY_EXTENSIONS) throw r.fail(`more than ${MAX_ENTRY_EXTENSIONS} extensions`, at, position);
      r.expect(TAG.SEQUENCE, at, end, position, 'Extension');
      const itemEnd = r.end;
      r.expect(TAG.OID, r.start, itemEnd, position, 'extnID');
      const oidStart = r.start;
      const oidEnd = r.end;
      if (oidEnd === oidStart || oidEnd - oidStart > MAX_OID_LENGTH)
        throw r.fail('bad extnID length', oidStart, position);
      let critical = false;
      if (r.end < itemEnd && buf[r.end] === TAG.BOOLEAN) {
        r.header(r.end, itemEnd, position);
        const b = buf[r.start];
        if (r.end - r.start !== 1 || (b !== 0 && b !== 0xff))
          throw r.fail('BOOLEAN not in DER form', r.start, position);
        critical = b === 0xff;
      }
      r.expect(TAG.OCTET_STRING, r.end, itemEnd, position, 'extnValue');
      if (r.end !== itemEnd) throw r.fail('unexpected data in an Extension', r.end, position);
      for (let i = 0; i < 2 * count; i += 2) {
        const length = (seen[i + 1] as number) - (seen[i] as number);
        if (length === oidEnd - oidStart && sameBytes(buf, oidStart, seen[i] as number, length))
          throw r.fail('duplicate entry extension', at, position);
      }
      seen[2 * count] = oidStart;
      seen[2 * count + 1] = oidEnd;
      count++;
      tally.add(oidStart, oidEnd, critical, position);
      if (rangeEquals(buf, oidStart, oidEnd, CERTIFICATE_ISSUER_OID)) this.issuerPositions.push(position);
      at = itemEnd;
    }
    if (count === 0) throw r.fail('empty crlEntryExtensions', at, position);
  }

  /** Finds the entry's serial contents without redundant sign octets: serialStart to the reader's end. */
  private serialRange(position: number): void {
    const r = this.reader;
    r.header(this.offsets[position] as number, r.buf.length, position);
    r.header(r.start, r.end, position);
    this.serialStart = minimalStart(r.buf, r.start, r.end);
  }

  positions(serial: bigint): number[] {
    const want = decodeDer(der.int(serial), 'serial').value;
    const out: number[] = [];
    if (this.count === 0) return out;
    const mask = this.slots.length - 1;
    for (let slot = hash(want, 0, want.length, this.seed) & mask; this.slots[slot] !== 0; slot = (slot + 1) & mask) {
      const first = (this.slots[slot] as number) - 1;
      this.serialRange(first);
      if (!rangeEquals(this.reader.buf, this.serialStart, this.reader.end, want)) continue;
      for (let p = first + 1; p !== 0; p = this.next[p - 1] as number) out.push(p - 1);
      break;
    }
    return out;
  }

  entryAt(position: number): RevokedEntry {
    if (!Number.isInteger(position) || position < 0 || position >= this.count)
      throw new RangeError(`no CRL entry at position ${position}`);
    const r = this.reader;
    const at = this.offsets[position] as number;
    r.header(at, r.buf.length, position);
    const node = new Der(
      TAG.SEQUENCE,
      0x10,
      r.buf.subarray(at, r.end),
      r.buf.subarray(r.start, r.end),
      r.base + at,
      `${r.path}[${position}]`,
      (this.list?.depth ?? 0) + 1,
      READER_MAX_DEPTH,
    );
    return this.decode(node);
  }

  certificateIssuerAt(position: number): readonly GeneralName[] | undefined {
    const list = this.issuerPositions;
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if ((list[mid] as number) <= position) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? undefined : this.entryAt(list[lo - 1] as number).certificateIssuer;
  }
}
