// Tests of certificate policy processing on the RFC 9618 graph (RFC 5280 §6.1.3 d-f, §6.1.4 a-b, h-j, §6.1.5 g).
import type { Certificate } from '@eds/core/x509';
import {
  ANY_POLICY,
  finishPolicies,
  initialPolicyState,
  PolicyFailure,
  processMappings,
  processPolicies,
  updateCounters,
} from '@eds/verify/_policy';
import { describe, expect, it } from 'vitest';

const P1 = '1.2.3.1';
const P2 = '1.2.3.2';
const P3 = '1.2.3.3';

interface Fake {
  policies?: string[];
  mappings?: [string, string][];
  requireExplicit?: number;
  inhibitMapping?: number;
  inhibitAny?: number;
  selfIssued?: boolean;
}

/** The parts of a Certificate policy processing reads. */
function fake(f: Fake): Certificate & { inhibitAny?: number } {
  return {
    certificatePolicies: f.policies?.map((oid) => ({ oid, qualifiers: [] })),
    policyMappings: f.mappings?.map(([issuerDomainPolicy, subjectDomainPolicy]) => ({
      issuerDomainPolicy,
      subjectDomainPolicy,
    })),
    policyConstraints:
      f.requireExplicit === undefined && f.inhibitMapping === undefined
        ? undefined
        : { requireExplicitPolicy: f.requireExplicit, inhibitPolicyMapping: f.inhibitMapping },
    isSelfIssued: f.selfIssued ?? false,
    inhibitAny: f.inhibitAny,
  } as unknown as Certificate & { inhibitAny?: number };
}

/** RFC 5280 §6.1.3-§6.1.5 policy steps over a path given anchor side first, as validate.ts runs them. */
function run(
  path: Fake[],
  inputs: {
    initial?: string[];
    explicitPolicy?: boolean;
    policyMappingInhibit?: boolean;
    anyPolicyInhibit?: boolean;
  } = {},
): string[] | 'POLICY' {
  const n = path.length;
  const state = initialPolicyState(n, inputs);
  try {
    path.forEach((f, idx) => {
      const cert = fake(f);
      const i = idx + 1;
      processPolicies(state, cert, i, n);
      if (i < n) {
        processMappings(state, cert);
        updateCounters(state, cert, cert.inhibitAny);
      }
    });
    return finishPolicies(state, fake(path[n - 1] as Fake), inputs.initial ?? [ANY_POLICY]);
  } catch (e) {
    if (e instanceof PolicyFailure) return 'POLICY';
    throw e;
  }
}

describe('certificate policies on the RFC 9618 graph', () => {
  it('intersects the policies of the path and reports them in the anchor domain', () => {
    expect(run([{ policies: [P1, P2] }, { policies: [P1, P2] }, { policies: [P1] }])).toEqual([P1]);
    expect(run([{ policies: [ANY_POLICY] }, { policies: [ANY_POLICY] }])).toEqual([ANY_POLICY]);
    expect(run([{ policies: [ANY_POLICY] }, { policies: [P2] }], { initial: [P1, P2] })).toEqual([P2]);
    expect(run([{ policies: [P1] }, {}])).toEqual([]);
  });

  it('requires a policy only when explicit policy is on or requested by a CA', () => {
    expect(run([{ policies: [P1] }, {}], { explicitPolicy: true })).toBe('POLICY');
    expect(run([{ policies: [P1], requireExplicit: 0 }, {}])).toBe('POLICY');
    // SkipCerts counts the certificates after the CA: 2 reaches the end entity, 3 does not.
    expect(run([{ policies: [P1], requireExplicit: 2 }, { policies: [P1] }, {}])).toBe('POLICY');
    expect(run([{ policies: [P1], requireExplicit: 3 }, { policies: [P1] }, {}])).toEqual([]);
    expect(run([{ policies: [P1] }, { policies: [P1] }], { explicitPolicy: true, initial: [P2] })).toBe('POLICY');
  });

  it('applies policy mappings and reports the issuer-domain policy', () => {
    const mapped = [{ policies: [P1], mappings: [[P1, P2]] as [string, string][] }, { policies: [P2] }];
    expect(run(mapped, { initial: [P1] })).toEqual([P1]);
    expect(run(mapped, { initial: [P2], explicitPolicy: true })).toBe('POLICY');
    expect(run(mapped, { policyMappingInhibit: true, explicitPolicy: true })).toBe('POLICY');
    expect(run([{ policies: [ANY_POLICY], mappings: [[P1, P3]] }, { policies: [P3] }])).toEqual([P1]);
  });

  it('rejects a mapping from or to anyPolicy', () => {
    expect(run([{ policies: [P1], mappings: [[ANY_POLICY, P1]] }, { policies: [P1] }])).toBe('POLICY');
    expect(run([{ policies: [P1], mappings: [[P1, ANY_POLICY]] }, { policies: [P1] }])).toBe('POLICY');
  });

  it('honours inhibitAnyPolicy, except for a self-issued intermediate', () => {
    const path: Fake[] = [{ policies: [P1], inhibitAny: 0 }, { policies: [ANY_POLICY] }, { policies: [P1] }];
    expect(run(path, { explicitPolicy: true })).toBe('POLICY');
    expect(run([{ policies: [P1] }, { policies: [ANY_POLICY] }, { policies: [P1] }], { explicitPolicy: true })).toEqual(
      [P1],
    );
    expect(run([{ policies: [ANY_POLICY] }, { policies: [ANY_POLICY] }], { anyPolicyInhibit: true })).toEqual([]);
    const selfIssued: Fake[] = [
      { policies: [P1], inhibitAny: 0 },
      { policies: [ANY_POLICY], selfIssued: true },
      { policies: [P1] },
    ];
    expect(run(selfIssued, { explicitPolicy: true })).toEqual([P1]);
  });

  it('stays polynomial where the RFC 5280 tree would be exponential (RFC 9618 §1)', () => {
    const ids = Array.from({ length: 40 }, (_, i) => `1.2.3.100.${i}`);
    const all = ids.flatMap((a) => ids.map((b) => [a, b] as [string, string]));
    const path: Fake[] = Array.from({ length: 12 }, () => ({ policies: ids, mappings: all }));
    const out = run(path);
    expect(out).toEqual([...ids].sort());
  });

  it('rejects a graph past its size limit as a policy failure', () => {
    const ids = Array.from({ length: 400 }, (_, i) => `1.2.3.200.${i}`);
    const all = ids.flatMap((a) => ids.map((b) => [a, b] as [string, string]));
    expect(run([{ policies: ids, mappings: all }, { policies: ids, mappings: all }, { policies: ids }])).toBe('POLICY');
  });
});
