// Tests of the name-constraint matcher (RFC 5280 §4.2.1.10): DN, rfc822, DNS, URI, IP, fail-closed forms, work bounds.
import { der } from '@eds/core/asn1';
import type { GeneralName, NameConstraints } from '@eds/core/extensions';
import { parseName } from '@eds/core/name';
import type { Certificate } from '@eds/core/x509';
import { constrainedNames, nameConstraintsProblem, nameConstraintsViolation } from '@eds/verify/_name-constraints';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

const CN = '2.5.4.3';
const O = '2.5.4.10';
const C = '2.5.4.6';
const EMAIL = '1.2.840.113549.1.9.1';

/** A Name from (type, value) pairs, most significant first; emailAddress as IA5String. */
function dn(...pairs: [string, string][]) {
  return parseName(
    der.seq(...pairs.map(([t, v]) => der.setOf(der.seq(der.oid(t), t === EMAIL ? der.ia5(v) : der.utf8(v))))),
  );
}

/** The parts of a Certificate the name-constraint check reads. */
function fakeCert(subject: ReturnType<typeof dn>, san?: GeneralName[]): Certificate {
  return { subject, subjectAltName: san } as unknown as Certificate;
}

const permit = (...bases: GeneralName[]): NameConstraints => ({
  permitted: bases.map((base) => ({ base, minimum: 0 })),
});
const exclude = (...bases: GeneralName[]): NameConstraints => ({
  excluded: bases.map((base) => ({ base, minimum: 0 })),
});
const dns = (value: string): GeneralName => ({ type: 'dNSName', value });
const email = (value: string): GeneralName => ({ type: 'rfc822Name', value });
const uri = (value: string): GeneralName => ({ type: 'uniformResourceIdentifier', value });
const ip = (...bytes: number[]): GeneralName => ({ type: 'iPAddress', value: Uint8Array.from(bytes) });

const subject = dn([C, 'RU'], [O, 'Example'], [CN, 'Ivan']);
const check = (san: GeneralName[], nc: NameConstraints, s = subject) =>
  nameConstraintsViolation(fakeCert(s, san), [nc]);

describe('name constraints (RFC 5280 §4.2.1.10)', () => {
  it('directoryName: a prefix of RDNs, compared case- and space-insensitively', () => {
    const base: GeneralName = { type: 'directoryName', value: dn([C, 'ru'], [O, '  EXAMPLE ']) };
    expect(check([], permit(base))).toBeUndefined();
    expect(check([], permit({ type: 'directoryName', value: dn([C, 'RU'], [O, 'Other']) }))).toMatch(/outside/);
    expect(check([], exclude(base))).toMatch(/excluded/);
  });

  it('dNSName: the name itself and names with labels added on the left', () => {
    expect(check([dns('example.com')], permit(dns('example.com')))).toBeUndefined();
    expect(check([dns('a.b.EXAMPLE.com')], permit(dns('example.com')))).toBeUndefined();
    expect(check([dns('notexample.com')], permit(dns('example.com')))).toMatch(/outside/);
    expect(check([dns('x.example.com')], exclude(dns('example.com')))).toMatch(/excluded/);
    expect(check([dns('bad_name.example.com')], permit(dns('example.com')))).toMatch(/malformed/);
  });

  it('dNSName wildcards: permitted only inside, excluded when they might match', () => {
    expect(check([dns('*.foo.com')], permit(dns('foo.com')))).toBeUndefined();
    expect(check([dns('*.example.com')], permit(dns('foo.example.com')))).toMatch(/outside/);
    expect(check([dns('*.example.com')], exclude(dns('bar.example.com')))).toMatch(/excluded/);
  });

  it('rfc822Name: mailbox, host and .domain forms, asterisks literal; emailAddress in the DN too', () => {
    expect(check([email('u@example.com')], permit(email('example.com')))).toBeUndefined();
    expect(check([email('u@mail.example.com')], permit(email('example.com')))).toMatch(/outside/);
    expect(check([email('u@mail.example.com')], permit(email('.example.com')))).toBeUndefined();
    expect(check([email('*@example.com')], permit(email('*@example.com')))).toBeUndefined();
    expect(check([email('user@example.com')], permit(email('*@example.com')))).toMatch(/outside/);
    expect(check([email('a@b@example.com')], permit(email('example.com')))).toMatch(/malformed/);
    const withEmail = dn([CN, 'Ivan'], [EMAIL, 'ivan@other.org']);
    expect(check([], permit(email('example.com')), withEmail)).toMatch(/outside/);
    expect(constrainedNames(fakeCert(withEmail))).toHaveLength(2);
  });

  it('URI: the host of the authority, exact or .domain; no host fails', () => {
    expect(check([uri('https://example.com/x')], permit(uri('example.com')))).toBeUndefined();
    expect(check([uri('https://a.example.com:8443/')], permit(uri('.example.com')))).toBeUndefined();
    expect(check([uri('https://a.example.com/')], permit(uri('example.com')))).toMatch(/outside/);
    expect(check([uri('urn:isbn:123')], permit(uri('example.com')))).toMatch(/malformed/);
  });

  it('iPAddress: IPv4 and IPv6 with masks; the other family is outside', () => {
    const v4 = ip(192, 0, 2, 0, 255, 255, 255, 0);
    expect(check([ip(192, 0, 2, 7)], permit(v4))).toBeUndefined();
    expect(check([ip(192, 0, 3, 7)], permit(v4))).toMatch(/outside/);
    const loop6 = ip(...new Array(15).fill(0), 1, ...new Array(16).fill(255));
    expect(check([ip(...new Array(15).fill(0), 1)], exclude(loop6))).toMatch(/excluded/);
    expect(check([ip(...new Array(15).fill(0), 1)], permit(v4))).toMatch(/outside/);
    expect(check([ip(192, 0, 2, 0, 255, 255, 255, 0)], permit(v4))).toMatch(/malformed/);
  });

  it('other name forms fail closed under a constraint of their form and are ignored otherwise', () => {
    const other: GeneralName = { type: 'otherName', typeId: '1.2.3', value: der.utf8('x') };
    expect(check([other], exclude(other))).toMatch(/not supported/);
    expect(check([other], exclude(dns('example.com')))).toBeUndefined();
    expect(check([dns('example.org')], permit(ip(192, 0, 2, 0, 255, 255, 255, 0)))).toBeUndefined();
  });

  it('every constraint applies: the intersection of permitted subtrees', () => {
    const cert = fakeCert(subject, [dns('foo.example.com')]);
    const both = [permit(dns('foo.example.com'), dns('bar.example.com')), permit(dns('bar.example.com'))];
    expect(nameConstraintsViolation(cert, both)).toMatch(/outside/);
    expect(nameConstraintsViolation(cert, [])).toBeUndefined();
  });

  it('flags malformed constraints', () => {
    expect(nameConstraintsProblem(permit(dns('*.example.com')))).toMatch(/dNSName/);
    expect(nameConstraintsProblem(permit(dns('.example.com')))).toMatch(/dNSName/);
    expect(nameConstraintsProblem(permit(ip(192, 0, 2, 0)))).toMatch(/iPAddress/);
    expect(nameConstraintsProblem(permit(ip(10, 0, 0, 0, 255, 0, 255, 0)))).toMatch(/mask/);
    expect(nameConstraintsProblem(permit(email('a@b@example.com')))).toMatch(/rfc822/);
    expect(nameConstraintsProblem({ permitted: [{ base: dns('a.com'), minimum: 1 }] })).toMatch(/minimum/);
    expect(
      nameConstraintsProblem(permit(dns('example.com'), email('.example.com'), uri('.example.com'))),
    ).toBeUndefined();
  });

  it('bounds the work: huge constraint sets against many names fail closed instead of running long', () => {
    const many = permit(...Array.from({ length: 2048 }, (_, i) => dns(`n${i}.example.com`)));
    const manyEx = exclude(...Array.from({ length: 2048 }, (_, i) => dns(`x${i}.example.com`)));
    const names = Array.from({ length: 1024 }, (_, i) => dns(`n${i}.example.com`));
    expect(nameConstraintsViolation(fakeCert(subject, names), [many, manyEx])).toMatch(/too large/);
  });

  it('never throws on arbitrary DNS names and constraints', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), (name, base) => {
        const r = check([dns(name)], permit(dns(base)));
        expect(r === undefined || typeof r === 'string').toBe(true);
        expect(typeof (nameConstraintsProblem(permit(dns(base))) ?? '')).toBe('string');
      }),
    );
  });
});
