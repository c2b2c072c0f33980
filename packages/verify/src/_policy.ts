// Internal: certificate policy processing (RFC 5280 §6.1.2-§6.1.5 d-g) on the policy graph of RFC 9618, not the exponential tree.
import type { Certificate } from '@eds/core/x509';

/** anyPolicy (RFC 5280 §4.2.1.4). */
export const ANY_POLICY = '2.5.29.32.0';

/** Most nodes plus edges the graph may hold; past this the path is rejected as a policy failure. */
const MAX_GRAPH_SIZE = 200_000;

/** A node of the valid_policy_graph (RFC 9618 §3.2): one valid_policy at one depth, with all its parents. */
interface PolicyNode {
  readonly policy: string;
  expected: Set<string>;
  readonly parents: Set<PolicyNode>;
  children: number;
}

/** The policy-processing state variables of RFC 5280 §6.1.2 (a, d, e, f) over the RFC 9618 graph. */
export interface PolicyState {
  /** Level i of the graph, by valid_policy (anyPolicy included); an empty last level is the NULL tree. */
  levels: Map<string, PolicyNode>[];
  explicitPolicy: number;
  inhibitAnyPolicy: number;
  policyMapping: number;
  size: number;
}

/** A policy failure, reported by the caller as reason `POLICY`. */
export class PolicyFailure extends Error {}

/**
 * The initial state for a prospective path of `n` certificates (RFC 5280 §6.1.2 a, d, e, f).
 *
 * @throws nothing.
 */
export function initialPolicyState(
  n: number,
  inputs: { explicitPolicy?: boolean; policyMappingInhibit?: boolean; anyPolicyInhibit?: boolean },
): PolicyState {
  const root: PolicyNode = { policy: ANY_POLICY, expected: new Set([ANY_POLICY]), parents: new Set(), children: 0 };
  return {
    levels: [new Map([[ANY_POLICY, root]])],
    explicitPolicy: inputs.explicitPolicy ? 0 : n + 1,
    inhibitAnyPolicy: inputs.anyPolicyInhibit ? 0 : n + 1,
    policyMapping: inputs.policyMappingInhibit ? 0 : n + 1,
    size: 1,
  };
}

function last(state: PolicyState): Map<string, PolicyNode> {
  return state.levels[state.levels.length - 1] as Map<string, PolicyNode>;
}

function addNode(
  state: PolicyState,
  level: Map<string, PolicyNode>,
  policy: string,
  parents: Iterable<PolicyNode>,
): void {
  let node = level.get(policy);
  if (!node) {
    node = { policy, expected: new Set([policy]), parents: new Set(), children: 0 };
    level.set(policy, node);
    state.size++;
  }
  for (const p of parents) {
    if (node.parents.has(p)) continue;
    node.parents.add(p);
    p.children++;
    state.size++;
  }
  if (state.size > MAX_GRAPH_SIZE) throw new PolicyFailure('the policy graph is too large');
}

/** Index of level i-1: expected policy → nodes that expect it (anyPolicy's node is not indexed). */
function expectedIndex(level: Map<string, PolicyNode>): Map<string, PolicyNode[]> {
  const idx = new Map<string, PolicyNode[]>();
  for (const node of level.values()) {
    if (node.policy === ANY_POLICY) continue;
    for (const e of node.expected) {
      const l = idx.get(e);
      if (l) l.push(node);
      else idx.set(e, [node]);
    }
  }
  return idx;
}

/** Deletes childless nodes from the levels above the last one, bottom up (RFC 5280 §6.1.3 d.3). */
function prune(state: PolicyState): void {
  for (let d = state.levels.length - 2; d >= 0; d--) {
    const level = state.levels[d] as Map<string, PolicyNode>;
    for (const [k, node] of level) {
      if (node.children > 0) continue;
      level.delete(k);
      for (const p of node.parents) p.children--;
    }
  }
}

/**
 * RFC 5280 §6.1.3 d-f for certificate i of n: grows the graph by one level from the certificate's
 * policies (anyPolicy honoured while inhibit_anyPolicy > 0, or for a self-issued intermediate),
 * prunes it, and checks that explicit_policy > 0 or the graph is not NULL.
 *
 * @throws PolicyFailure when the graph is NULL and an explicit policy is required, or it grows too large.
 */
export function processPolicies(state: PolicyState, cert: Certificate, i: number, n: number): void {
  const prev = last(state);
  const next = new Map<string, PolicyNode>();
  const policies = cert.certificatePolicies;
  if (policies && prev.size > 0) {
    const idx = expectedIndex(prev);
    const anyPrev = prev.get(ANY_POLICY);
    let hasAny = false;
    for (const p of policies) {
      if (p.oid === ANY_POLICY) {
        hasAny = true;
        continue;
      }
      const parents = idx.get(p.oid);
      if (parents) addNode(state, next, p.oid, parents);
      else if (anyPrev) addNode(state, next, p.oid, [anyPrev]);
    }
    if (hasAny && (state.inhibitAnyPolicy > 0 || (i < n && cert.isSelfIssued))) {
      for (const [q, parents] of idx) if (!next.has(q)) addNode(state, next, q, parents);
      if (anyPrev) addNode(state, next, ANY_POLICY, [anyPrev]);
    }
  }
  state.levels.push(next);
  prune(state);
  if (state.explicitPolicy === 0 && next.size === 0) {
    throw new PolicyFailure('no valid policy for the path and an explicit policy is required');
  }
}

/**
 * RFC 5280 §6.1.4 a-b: checks the certificate's policyMappings (anyPolicy may not be mapped) and
 * applies them to the last level: a mapped node expects the subject-domain policies; under
 * policy_mapping 0 the mapped nodes are deleted.
 *
 * @throws PolicyFailure for a mapping from or to anyPolicy, or a graph that grows too large.
 */
export function processMappings(state: PolicyState, cert: Certificate): void {
  const mappings = cert.policyMappings;
  if (!mappings) return;
  const bySource = new Map<string, Set<string>>();
  for (const m of mappings) {
    if (m.issuerDomainPolicy === ANY_POLICY || m.subjectDomainPolicy === ANY_POLICY) {
      throw new PolicyFailure('a policy mapping from or to anyPolicy (RFC 5280 §6.1.4 a)');
    }
    const s = bySource.get(m.issuerDomainPolicy);
    if (s) s.add(m.subjectDomainPolicy);
    else bySource.set(m.issuerDomainPolicy, new Set([m.subjectDomainPolicy]));
  }
  const level = last(state);
  const anyHere = level.get(ANY_POLICY);
  for (const [source, targets] of bySource) {
    const node = level.get(source);
    if (state.policyMapping > 0) {
      if (node) node.expected = new Set(targets);
      else if (anyHere) {
        addNode(state, level, source, anyHere.parents);
        (level.get(source) as PolicyNode).expected = new Set(targets);
      }
    } else if (node) {
      level.delete(source);
      for (const p of node.parents) p.children--;
    }
  }
  prune(state);
}

/**
 * RFC 5280 §6.1.4 h-j for an intermediate certificate: decrements the counters (not for a
 * self-issued one) and applies policyConstraints and inhibitAnyPolicy.
 *
 * @throws nothing.
 */
export function updateCounters(state: PolicyState, cert: Certificate, inhibitAnyPolicy: number | undefined): void {
  if (!cert.isSelfIssued) {
    if (state.explicitPolicy > 0) state.explicitPolicy--;
    if (state.policyMapping > 0) state.policyMapping--;
    if (state.inhibitAnyPolicy > 0) state.inhibitAnyPolicy--;
  }
  const pc = cert.policyConstraints;
  if (pc?.requireExplicitPolicy !== undefined && pc.requireExplicitPolicy < state.explicitPolicy) {
    state.explicitPolicy = pc.requireExplicitPolicy;
  }
  if (pc?.inhibitPolicyMapping !== undefined && pc.inhibitPolicyMapping < state.policyMapping) {
    state.policyMapping = pc.inhibitPolicyMapping;
  }
  if (inhibitAnyPolicy !== undefined && inhibitAnyPolicy < state.inhibitAnyPolicy) {
    state.inhibitAnyPolicy = inhibitAnyPolicy;
  }
}

/**
 * RFC 5280 §6.1.5 a, b, g: the wrap-up for the target certificate. Returns the
 * user-constrained-policy-set: `[anyPolicy]` when anyPolicy survives to the end and the user
 * accepts any policy, else the sorted policy OIDs.
 *
 * @throws PolicyFailure when the set is empty and explicit_policy is 0.
 */
export function finishPolicies(state: PolicyState, target: Certificate, initial: readonly string[]): string[] {
  if (state.explicitPolicy > 0) state.explicitPolicy--;
  if (target.policyConstraints?.requireExplicitPolicy === 0) state.explicitPolicy = 0;
  const set = userConstrained(state, initial);
  if (state.explicitPolicy === 0 && set.length === 0) {
    throw new PolicyFailure('no policy of the user-initial-policy-set is valid for the path (RFC 5280 §6.1.5 g)');
  }
  return set;
}

function userConstrained(state: PolicyState, initial: readonly string[]): string[] {
  const leaf = last(state);
  if (leaf.size === 0) return [];
  // origin(node): the policies, in the anchor's domain, of the first non-anyPolicy nodes on the
  // paths from the root to it (RFC 5280 §6.1.5 g, valid_policy_node_set; RFC 9618 §4.4).
  let origins = new Map<PolicyNode, Set<string>>();
  for (const node of (state.levels[0] as Map<string, PolicyNode>).values()) origins.set(node, new Set([ANY_POLICY]));
  for (let d = 1; d < state.levels.length; d++) {
    const now = new Map<PolicyNode, Set<string>>();
    for (const node of (state.levels[d] as Map<string, PolicyNode>).values()) {
      const set = new Set<string>();
      for (const p of node.parents) {
        if (p.policy === ANY_POLICY) set.add(node.policy);
        else for (const o of origins.get(p) ?? []) set.add(o);
      }
      now.set(node, set);
    }
    origins = now;
  }
  const all = new Set<string>();
  for (const s of origins.values()) for (const o of s) all.add(o);
  if (initial.includes(ANY_POLICY)) return all.has(ANY_POLICY) ? [ANY_POLICY] : [...all].sort();
  const out = new Set(initial.filter((p) => all.has(p) || all.has(ANY_POLICY)));
  return [...out].sort();
}
