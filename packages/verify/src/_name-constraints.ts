// Internal: name constraints processing (RFC 5280 §4.2.1.10, §6.1.3 b-c, §6.1.4 g) for DN, rfc822, DNS, URI and IP names.
import type { GeneralName, GeneralSubtree, NameConstraints } from '@eds/core/extensions';
import { prepareString } from '@eds/core/name';
import type { Certificate } from '@eds/core/x509';

type Name = Certificate['subject'];
type Rdn = Name['rdns'][number];

const OID_EMAIL_ADDRESS = '1.2.840.113549.1.9.1';

/** Most (name, subtree) comparisons per certificate before the check gives up, failing closed. */
export const MAX_NAME_COMPARISONS = 1 << 20;

/** The forms this module evaluates; a constraint of another form fails closed when a name of that form appears. */
const SUPPORTED = new Set(['directoryName', 'rfc822Name', 'dNSName', 'uniformResourceIdentifier', 'iPAddress']);

/** A name to check: a GeneralName, or the subject DN / an emailAddress of the subject DN. */
type Subject = GeneralName;

/**
 * Checks one nameConstraints value for forms RFC 5280 §4.2.1.10 does not allow: minimum other
 * than 0 or a maximum, dNSName with a wildcard or a leading period, iPAddress not 8 or 32 octets or
 * with a non-contiguous mask, rfc822Name that is neither a mailbox, a host nor a `.domain`.
 *
 * @returns a description of the first problem, or undefined when the value is well formed.
 */
export function nameConstraintsProblem(nc: NameConstraints): string | undefined {
  for (const s of [...(nc.permitted ?? []), ...(nc.excluded ?? [])]) {
    const p = subtreeProblem(s);
    if (p) return p;
  }
  return undefined;
}

function subtreeProblem(s: GeneralSubtree): string | undefined {
  if (s.minimum !== 0 || s.maximum !== undefined)
    return 'a GeneralSubtree with minimum or maximum (RFC 5280 §4.2.1.10)';
  const b = s.base;
  if (b.type === 'dNSName') {
    if (b.value !== '' && !isDnsName(b.value, false)) return `malformed dNSName constraint ${JSON.stringify(b.value)}`;
  } else if (b.type === 'iPAddress') {
    if (b.value.length !== 8 && b.value.length !== 32) return 'an iPAddress constraint that is not address and mask';
    if (!contiguousMask(b.value.subarray(b.value.length / 2)))
      return 'an iPAddress constraint with a non-contiguous mask';
  } else if (b.type === 'rfc822Name') {
    if (!rfc822Constraint(b.value)) return `malformed rfc822Name constraint ${JSON.stringify(b.value)}`;
  } else if (b.type === 'uniformResourceIdentifier') {
    if (!isDnsName(b.value.startsWith('.') ? b.value.slice(1) : b.value, false))
      return `malformed URI constraint ${JSON.stringify(b.value)}`;
  }
  return undefined;
}

function contiguousMask(mask: Uint8Array): boolean {
  let zero = false;
  for (const byte of mask) {
    for (let bit = 7; bit >= 0; bit--) {
      const one = ((byte >> bit) & 1) === 1;
      if (one && zero) return false;
      if (!one) zero = true;
    }
  }
  return true;
}

/** Preferred name syntax (RFC 1034 §3.5, RFC 1123 §2.1); `wildcard` allows a leading `*.` label. */
function isDnsName(name: string, wildcard: boolean): boolean {
  let n = name;
  if (wildcard && n.startsWith('*.')) n = n.slice(2);
  if (n.length === 0 || n.length > 253) return false;
  return n.split('.').every((l) => /^[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/.test(l));
}

function rfc822Constraint(v: string): boolean {
  const at = v.indexOf('@');
  if (at >= 0) return mailbox(v) !== undefined;
  return isDnsName(v.startsWith('.') ? v.slice(1) : v, false);
}

/** Splits a mailbox `local@host`; undefined when it has no single `@`, an empty local part or a bad host. */
function mailbox(v: string): { local: string; host: string } | undefined {
  const at = v.lastIndexOf('@');
  if (at <= 0 || v.indexOf('@') !== at) return undefined;
  const host = v.slice(at + 1);
  if (!isDnsName(host, false)) return undefined;
  return { local: v.slice(0, at), host: host.toLowerCase() };
}

// ---------------------------------------------------------------------------------------------
// Matching

function attrEquals(a: Rdn[number], b: Rdn[number]): boolean {
  if (a.type !== b.type) return false;
  if (a.isString && b.isString) return prepareString(a.value) === prepareString(b.value);
  if (a.raw.length !== b.raw.length) return false;
  return a.raw.every((x, i) => x === b.raw[i]);
}

function rdnEquals(a: Rdn, b: Rdn): boolean {
  if (a.length !== b.length) return false;
  const used = new Set<number>();
  return a.every((x) => {
    const j = b.findIndex((y, k) => !used.has(k) && attrEquals(x, y));
    if (j < 0) return false;
    used.add(j);
    return true;
  });
}

/** True when `base` is a prefix of `name` RDN by RDN (RFC 5280 §7.1 comparison). */
function dnWithin(name: Name, base: Name): boolean {
  if (base.rdns.length > name.rdns.length) return false;
  return base.rdns.every((rdn, i) => rdnEquals(rdn, name.rdns[i] as Rdn));
}

function dnsWithin(name: string, base: string): boolean {
  const n = name.toLowerCase();
  const b = base.toLowerCase();
  return b === '' || n === b || n.endsWith(`.${b}`);
}

/** Could a wildcard name `*.X` match a name inside the subtree `base`? (defensive, for excluded subtrees) */
function wildcardMayMatch(name: string, base: string): boolean {
  if (!name.startsWith('*.')) return false;
  const rest = name.slice(2).toLowerCase();
  const b = base.toLowerCase();
  const dot = b.indexOf('.');
  return dot > 0 && b.slice(dot + 1) === rest;
}

function emailWithin(box: { local: string; host: string }, base: string): boolean {
  if (base.includes('@')) {
    const m = mailbox(base);
    return m !== undefined && m.local === box.local && m.host === box.host;
  }
  const b = base.toLowerCase();
  if (b.startsWith('.')) return box.host.endsWith(b);
  return box.host === b;
}

function uriHost(uri: string): string | undefined {
  const m = /^[A-Za-z][A-Za-z0-9+.-]*:\/\/(?:[^/?#@]*@)?([^/?#:[\]]+)(?::\d*)?(?:[/?#]|$)/.exec(uri);
  const host = m?.[1];
  if (!host || !isDnsName(host, false) || /^[0-9.]+$/.test(host)) return undefined;
  return host.toLowerCase();
}

function uriWithin(host: string, base: string): boolean {
  const b = base.toLowerCase();
  if (b.startsWith('.')) return host.endsWith(b);
  return host === b;
}

function ipWithin(addr: Uint8Array, base: Uint8Array): boolean {
  if (base.length !== addr.length * 2) return false;
  for (let i = 0; i < addr.length; i++) {
    const mask = base[addr.length + i] as number;
    if (((addr[i] as number) & mask) !== ((base[i] as number) & mask)) return false;
  }
  return true;
}

/** A name read once for matching: the lower-cased DNS name, mailbox, URI host or address; undefined when malformed. */
type Prepared =
  | { readonly type: 'directoryName'; readonly value: Name }
  | { readonly type: 'dNSName' | 'uniformResourceIdentifier'; readonly value: string }
  | { readonly type: 'rfc822Name'; readonly value: { local: string; host: string } }
  | { readonly type: 'iPAddress'; readonly value: Uint8Array };

function prepare(name: Subject): Prepared | undefined {
  switch (name.type) {
    case 'directoryName':
      return name;
    case 'dNSName':
      return isDnsName(name.value, true) ? { type: name.type, value: name.value.toLowerCase() } : undefined;
    case 'rfc822Name': {
      const box = mailbox(name.value);
      return box ? { type: name.type, value: box } : undefined;
    }
    case 'uniformResourceIdentifier': {
      const host = uriHost(name.value);
      return host ? { type: name.type, value: host } : undefined;
    }
    case 'iPAddress':
      return name.value.length === 4 || name.value.length === 16 ? name : undefined;
    default:
      return undefined;
  }
}

/** Whether the prepared name lies in the subtree `base` of the same form. */
function within(name: Prepared, base: GeneralName, excluded: boolean): boolean {
  switch (name.type) {
    case 'directoryName':
      return dnWithin(name.value, (base as { value: Name }).value);
    case 'dNSName': {
      const b = (base as { value: string }).value;
      return dnsWithin(name.value, b) || (excluded && wildcardMayMatch(name.value, b));
    }
    case 'rfc822Name':
      return emailWithin(name.value, (base as { value: string }).value);
    case 'uniformResourceIdentifier':
      return uriWithin(name.value, (base as { value: string }).value);
    case 'iPAddress':
      return ipWithin(name.value, (base as { value: Uint8Array }).value);
  }
}

/** The names of a certificate that name constraints apply to: subject DN, its emailAddress values, SANs. */
export function constrainedNames(cert: Certificate): Subject[] {
  const out: Subject[] = [];
  if (!cert.subject.isEmpty) out.push({ type: 'directoryName', value: cert.subject });
  for (const a of cert.subject.attributes) {
    if (a.type === OID_EMAIL_ADDRESS && a.isString) out.push({ type: 'rfc822Name', value: a.value });
  }
  out.push(...(cert.subjectAltName ?? []));
  return out;
}

/** One nameConstraints value grouped by name form. */
type Grouped = Map<string, { permitted: GeneralSubtree[]; excluded: GeneralSubtree[] }>;

function group(nc: NameConstraints): Grouped {
  const out: Grouped = new Map();
  const slot = (t: string) => {
    const g = out.get(t) ?? { permitted: [], excluded: [] };
    out.set(t, g);
    return g;
  };
  for (const s of nc.permitted ?? []) slot(s.base.type).permitted.push(s);
  for (const s of nc.excluded ?? []) slot(s.base.type).excluded.push(s);
  return out;
}

/** A counter shared by the checks of one certificate. */
interface Budget {
  left: number;
}

function spend(budget: Budget, n: number): void {
  budget.left -= n;
  if (budget.left < 0) throw new RangeError('too many name-constraint comparisons');
}

function checkOne(name: Subject, nc: Grouped, budget: Budget): string | undefined {
  const g = nc.get(name.type);
  if (!g) return undefined;
  if (!SUPPORTED.has(name.type))
    return `a ${name.type} name under a ${name.type} constraint (not supported: fail closed)`;
  const prepared = prepare(name);
  if (!prepared) return `a malformed ${name.type} name under a ${name.type} constraint`;
  spend(budget, g.excluded.length + g.permitted.length);
  for (const s of g.excluded) if (within(prepared, s.base, true)) return `${describe(name)} is in an excluded subtree`;
  if (g.permitted.length === 0) return undefined;
  for (const s of g.permitted) if (within(prepared, s.base, false)) return undefined;
  return `${describe(name)} is outside the permitted subtrees`;
}

function describe(name: Subject): string {
  if (name.type === 'directoryName') return `the name ${name.value.toString()}`;
  if (name.type === 'iPAddress') return `the address ${[...name.value].join('.')}`;
  if ('value' in name && typeof name.value === 'string') return `the ${name.type} ${JSON.stringify(name.value)}`;
  return `a ${name.type} name`;
}

/**
 * Checks a certificate's subject DN, emailAddress attributes and subjectAltName entries against
 * every nameConstraints value collected from the certificates above it (RFC 5280 §6.1.3 b, c):
 * each name must lie in a permitted subtree of its form of every constraint that has one, and in
 * no excluded subtree. Names of a form this module does not evaluate (otherName, x400Address,
 * ediPartyName, registeredID) fail when a constraint of that form applies; malformed names fail
 * under a constraint of their form.
 *
 * @returns why the certificate violates the constraints, or undefined when it satisfies them.
 * @throws nothing: an exhausted comparison budget is reported as a violation.
 */
export function nameConstraintsViolation(
  cert: Certificate,
  constraints: readonly NameConstraints[],
): string | undefined {
  if (constraints.length === 0) return undefined;
  const budget = { left: MAX_NAME_COMPARISONS };
  const grouped = constraints.map(group);
  try {
    for (const name of constrainedNames(cert)) {
      for (const nc of grouped) {
        const why = checkOne(name, nc, budget);
        if (why) return why;
      }
    }
  } catch (e) {
    if (e instanceof RangeError) return 'name constraints too large to evaluate (fail closed)';
    throw e;
  }
  return undefined;
}
