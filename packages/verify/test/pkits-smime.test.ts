// NIST PKITS S/MIME end to end (verification.md §4.1): each of the 224 detached SignedData messages through verify() with only the trust anchor, the embedded certificates and CRLs (revocation required), at 2011-04-15; TOTAL_PASSED exactly where PKITS expects a valid path.
import { readVector, readVectorText } from '@eds/test-support/vectors';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { describe, expect, it } from 'vitest';

interface PkitsCase {
  id: string;
  section: string;
  chain: string[];
  validation_time: string;
  initial_policy_set: string[];
  initial_explicit_policy: boolean;
  initial_policy_mapping_inhibit: boolean;
  initial_inhibit_any_policy: boolean;
  expected: { valid: boolean };
  smime_der: string;
}

/**
 * Messages whose verdict differs from PKITS, each failing closed (never TOTAL_PASSED where PKITS
 * expects invalid):
 * - 4.1.4, 4.1.5: DSA signatures (4.1.5 with parameters inherited from the issuer); DSA is outside
 *   the algorithm set of a WebCrypto-based SDK, so these paths PKITS calls valid come out
 *   INDETERMINATE (CRYPTO_CONSTRAINTS_FAILURE_NO_POE), never TOTAL_PASSED.
 */
const KNOWN_GAPS = new Set(['4.1.4', '4.1.5']);

/** The message of a PKITS test and the settings to verify it with: the default-settings subpart when there is one. */
function messages(cases: PkitsCase[]): PkitsCase[] {
  const byMessage = new Map<string, PkitsCase>();
  const isDefault = (c: PkitsCase) =>
    c.initial_policy_set.length === 1 &&
    c.initial_policy_set[0] === 'anyPolicy' &&
    !c.initial_explicit_policy &&
    !c.initial_policy_mapping_inhibit &&
    !c.initial_inhibit_any_policy;
  for (const c of cases) {
    const seen = byMessage.get(c.smime_der);
    if (!seen || (!isDefault(seen) && isDefault(c))) byMessage.set(c.smime_der, c);
  }
  return [...byMessage.values()];
}

describe('NIST PKITS S/MIME messages through verify()', () => {
  it('224 messages: TOTAL_PASSED exactly where PKITS expects valid, apart from the listed gaps', async () => {
    const suite = JSON.parse(await readVectorText('nist-pkits/pkits_testcases.json')) as {
      conventions: { policy_names: Record<string, string> };
      cases: PkitsCase[];
    };
    const content = await readVector('nist-pkits/smime-der/signed-content.bin');
    const list = messages(suite.cases);
    expect(list).toHaveLength(224);
    const disagree: string[] = [];
    let passed = 0;
    for (const c of list) {
      const anchor = await readVector(`nist-pkits/${c.chain[0]}`);
      const report = await verify({
        signature: await readVector(`nist-pkits/${c.smime_der}`),
        content,
        trust: createTrustStore(anchor),
        time: new Date(c.validation_time),
        initialPolicySet: c.initial_policy_set.map((n) => suite.conventions.policy_names[n] as string),
        explicitPolicy: c.initial_explicit_policy,
        policyMappingInhibit: c.initial_policy_mapping_inhibit,
        anyPolicyInhibit: c.initial_inhibit_any_policy,
      });
      const valid = report.indication === 'TOTAL_PASSED';
      if (valid) passed++;
      if (valid !== c.expected.valid) {
        disagree.push(
          `${c.id} expected ${c.expected.valid ? 'valid' : 'invalid'}, got ${report.indication}/${report.subIndication}`,
        );
        // a gap may only fail closed
        expect(valid, `${c.id} passes where PKITS expects invalid`).toBe(false);
      }
    }
    console.log(
      `PKITS S/MIME: ${list.length - disagree.length}/${list.length} agree, ${passed} TOTAL_PASSED; differences: ${disagree.join('; ') || 'none'}`,
    );
    expect(disagree.map((d) => d.split(' ')[0]?.split('#')[0])).toEqual([...KNOWN_GAPS]);
  }, 120_000);
});
