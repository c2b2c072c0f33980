// Internal: the Extensions list of certificates, CRLs and OCSP messages (RFC 5280 §4.1.2.9) and access to each extension's DER.

import { Der, decodeDer, TAG } from './asn1';

/** One extension as found in the list: OID, criticality, and the contents of its OCTET STRING. */
export interface Extension {
  readonly oid: string;
  readonly critical: boolean;
  /** Contents of `extnValue` (the DER of the extension's own type). */
  readonly value: Uint8Array;
  /** Offset of `value` in the outermost input, for error messages. */
  readonly offset: number;
}

// Decoders read the value through the node it came from, so error offsets are absolute.
const nodes = new WeakMap<Extension, Der>();

/** Upper bound on extensions in one list. */
const MAX_EXTENSIONS = 256;

/**
 * Decodes an Extensions list (RFC 5280 §4.1.2.9). Unknown extensions are kept raw; an OID that
 * appears twice is an error (RFC 5280 §4.2). `critical` encoded as an explicit FALSE (a DER
 * violation found in issued certificates) is accepted.
 *
 * ```asn1
 * Extensions ::= SEQUENCE SIZE (1..MAX) OF Extension
 * Extension ::= SEQUENCE { extnID OBJECT IDENTIFIER, critical BOOLEAN DEFAULT FALSE, extnValue OCTET STRING }
 * ```
 *
 * @throws DecodeError `ERR_DECODE_DER` for malformed DER, an empty list or a duplicate OID.
 * @example
 * ```ts
 * for (const e of parseExtensions(der)) console.log(e.oid, e.critical);
 * ```
 */
export function parseExtensions(input: Uint8Array | Der): Extension[] {
  const node = input instanceof Der ? input : decodeDer(input, 'Extensions');
  node.expect(TAG.SEQUENCE);
  const out: Extension[] = [];
  const seen = new Set<string>();
  for (const item of node.iterate()) {
    if (out.length >= MAX_EXTENSIONS) throw item.error(`more than ${MAX_EXTENSIONS} extensions`);
    const r = item.read();
    const oid = r.next(TAG.OID, 'extnID').oid();
    const crit = r.optional(TAG.BOOLEAN, 'critical');
    const valueNode = r.next(TAG.OCTET_STRING, 'extnValue');
    r.end();
    if (seen.has(oid)) throw item.error(`duplicate extension ${oid}`);
    seen.add(oid);
    const ext: Extension = {
      oid,
      critical: crit ? crit.bool() : false,
      value: valueNode.value,
      offset: valueNode.valueOffset,
    };
    nodes.set(ext, valueNode.named(`${item.path}(${oid})`));
    out.push(ext);
  }
  if (out.length === 0) throw node.error('empty Extensions');
  return out;
}

/** The DER inside an extension value (or inside given bytes), read through the original node so error offsets are absolute. */
export function openExtension(input: Extension | Uint8Array, name: string): Der {
  if (input instanceof Uint8Array) return decodeDer(input, name);
  const node = nodes.get(input);
  return node ? node.inner(name) : decodeDer(input.value, name);
}

/** The extension with `oid` in a list, or undefined. */
export function findExtension(list: readonly Extension[] | undefined, oid: string): Extension | undefined {
  return list?.find((e) => e.oid === oid);
}
