// Internal: GeneralName and GeneralNames (RFC 5280 §4.2.1.6) and nameConstraints (RFC 5280 §4.2.1.10).

import { retag } from './_describe';
import { type Extension, openExtension as open } from './_extension-list';
import { contextTag, type Der, TAG } from './asn1';
import { type Name, parseName } from './name';

/**
 * One GeneralName. `iPAddress` keeps the octets (4 or 16, or 8/32 with a mask in name
 * constraints); `otherName` keeps the DER of its value; x400Address and ediPartyName stay raw.
 *
 * ```asn1
 * GeneralName ::= CHOICE { otherName [0] OtherName, rfc822Name [1] IA5String, dNSName [2] IA5String,
 *   x400Address [3] ORAddress, directoryName [4] Name, ediPartyName [5] EDIPartyName,
 *   uniformResourceIdentifier [6] IA5String, iPAddress [7] OCTET STRING, registeredID [8] OBJECT IDENTIFIER }
 * ```
 */
export type GeneralName =
  | { readonly type: 'otherName'; readonly typeId: string; readonly value: Uint8Array }
  | { readonly type: 'rfc822Name' | 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'x400Address' | 'ediPartyName'; readonly raw: Uint8Array }
  | { readonly type: 'directoryName'; readonly value: Name }
  | { readonly type: 'iPAddress'; readonly value: Uint8Array }
  | { readonly type: 'registeredID'; readonly value: string };

/** Decodes one GeneralName node. */
export function readGeneralName(node: Der): GeneralName {
  if ((node.tag & 0xc0) !== 0x80) throw node.error('expected a context-tagged GeneralName');
  switch (node.tag) {
    case contextTag(0, true): {
      const r = node.read(node.tag);
      const typeId = r.next(TAG.OID, 'type-id').oid();
      const value = r.next(contextTag(0, true), 'value').explicit(0).bytes;
      r.end();
      return { type: 'otherName', typeId, value };
    }
    case contextTag(1, false):
      return { type: 'rfc822Name', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(2, false):
      return { type: 'dNSName', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(3, true):
      return { type: 'x400Address', raw: node.bytes };
    case contextTag(4, true):
      return { type: 'directoryName', value: parseName(node.explicit(4)) };
    case contextTag(5, true):
      return { type: 'ediPartyName', raw: node.bytes };
    case contextTag(6, false):
      return { type: 'uniformResourceIdentifier', value: retag(node, TAG.IA5_STRING).string() };
    case contextTag(7, false):
      return { type: 'iPAddress', value: node.value };
    case contextTag(8, false):
      return { type: 'registeredID', value: retag(node, TAG.OID).oid() };
    default:
      throw node.error(`unknown GeneralName choice [${node.tagNumber}]`);
  }
}

/** GeneralNames ::= SEQUENCE SIZE (1..MAX) OF GeneralName, under `tag` (SEQUENCE or an implicit tag). */
export function readGeneralNames(node: Der, tag: number = TAG.SEQUENCE): GeneralName[] {
  node.expect(tag);
  const out: GeneralName[] = [];
  for (const item of node.iterate()) out.push(readGeneralName(item));
  if (out.length === 0) throw node.error('empty GeneralNames');
  return out;
}

/**
 * subjectAltName / issuerAltName / certificateIssuer (RFC 5280 §4.2.1.6, §4.2.1.7, §5.3.3).
 *
 * @throws DecodeError for malformed DER.
 * @example
 * ```ts
 * decodeGeneralNames(ext).filter((n) => n.type === 'rfc822Name');
 * ```
 */
export function decodeGeneralNames(input: Extension | Uint8Array): GeneralName[] {
  return readGeneralNames(open(input, 'GeneralNames'));
}
/** One GeneralSubtree; `maximum` undefined means unbounded. */
export interface GeneralSubtree {
  readonly base: GeneralName;
  readonly minimum: number;
  readonly maximum?: number | undefined;
}

/** NameConstraints: permitted and excluded subtrees. */
export interface NameConstraints {
  readonly permitted?: readonly GeneralSubtree[] | undefined;
  readonly excluded?: readonly GeneralSubtree[] | undefined;
}

function readSubtrees(node: Der): GeneralSubtree[] {
  const out: GeneralSubtree[] = [];
  for (const item of node.iterate()) {
    const r = item.read();
    const base = readGeneralName(r.next(undefined, 'base'));
    const min = r.optional(contextTag(0, false), 'minimum');
    const max = r.optional(contextTag(1, false), 'maximum');
    r.end();
    out.push({
      base,
      minimum: min ? retag(min, TAG.INTEGER).smallInt() : 0,
      maximum: max ? retag(max, TAG.INTEGER).smallInt() : undefined,
    });
  }
  if (out.length === 0) throw node.error('empty GeneralSubtrees');
  return out;
}

/**
 * nameConstraints (RFC 5280 §4.2.1.10).
 *
 * ```asn1
 * NameConstraints ::= SEQUENCE { permittedSubtrees [0] GeneralSubtrees OPTIONAL, excludedSubtrees [1] GeneralSubtrees OPTIONAL }
 * GeneralSubtree ::= SEQUENCE { base GeneralName, minimum [0] BaseDistance DEFAULT 0, maximum [1] BaseDistance OPTIONAL }
 * ```
 *
 * @throws DecodeError for malformed DER or an empty NameConstraints.
 * @example
 * ```ts
 * decodeNameConstraints(ext).permitted?.map((s) => s.base);
 * ```
 */
export function decodeNameConstraints(input: Extension | Uint8Array): NameConstraints {
  const node = open(input, 'NameConstraints');
  const r = node.read();
  const permitted = r.optional(contextTag(0, true), 'permittedSubtrees');
  const excluded = r.optional(contextTag(1, true), 'excludedSubtrees');
  r.end();
  if (!permitted && !excluded) throw node.error('empty NameConstraints');
  return {
    permitted: permitted ? readSubtrees(permitted) : undefined,
    excluded: excluded ? readSubtrees(excluded) : undefined,
  };
}
