// Tests of buildPath: pools, cross-certificates, backtracking, order independence, depth and signature budgets.
import { DecodeError } from '@eds/core/errors';
import { createTestCa, type KeySpec, type TestCa } from '@eds/core/testing';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { damagedCopies } from '@eds/test-support/inputs';
import { PathValidationError } from '@eds/verify/errors';
import { buildPath, PathBuildError } from '@eds/verify/path';
import { createTrustStore } from '@eds/verify/trust';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

const cert = (der: Uint8Array) => parseCertificate(der);
const DAY = 86_400_000;

async function failure(p: Promise<unknown>): Promise<PathBuildError> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PathBuildError);
  expect(e).toBeInstanceOf(PathValidationError);
  return e as PathBuildError;
}

for (const keySpec of [{ type: 'gost2012-256' }, { type: 'ecdsa', curve: 'P-256' }] as KeySpec[]) {
  describe(`buildPath (${keySpec.type})`, () => {
    let rootCa: TestCa;
    let ca: TestCa;
    let root: Certificate;
    let inter: Certificate;
    let leaf: Certificate;
    beforeAll(async () => {
      rootCa = await createTestCa({ keySpec });
      ca = await rootCa.issueIntermediate();
      root = cert(rootCa.certificate);
      inter = cert(ca.certificate);
      leaf = cert((await ca.issue()).certificate);
    });

    it('builds leaf -> intermediate -> root from a pool', async () => {
      const v = await buildPath(leaf, { trust: createTrustStore(root), intermediates: [root, inter, leaf] });
      expect(v.certificates).toEqual([leaf, inter, root]);
      expect(v.anchor.certificate).toBe(root);
    });

    it('accepts a target that is itself an anchor', async () => {
      const v = await buildPath(root, { trust: createTrustStore(root) });
      expect(v.certificates).toEqual([root]);
    });

    it('fails with NO_PATH and the rejected candidate when the intermediate is missing', async () => {
      const e = await failure(buildPath(leaf, { trust: createTrustStore(root) }));
      expect(e.reason).toBe('NO_PATH');
      expect(e.index).toBe(0);
      expect(e.rejected).toHaveLength(1);
      expect(e.rejected[0]?.certificates).toEqual([leaf]);
    });

    it('reports the most progressed candidate: an expired intermediate over a dead end', async () => {
      const old = await rootCa.issueIntermediate({
        key: ca.key,
        subject: inter.subject.raw,
        validity: { notBefore: new Date(Date.now() - 30 * DAY), notAfter: new Date(Date.now() - DAY) },
      });
      const decoy = await rootCa.issueIntermediate({ subject: inter.subject.raw });
      const e = await failure(
        buildPath(leaf, {
          trust: createTrustStore(root),
          intermediates: [cert(decoy.certificate), cert(old.certificate)],
        }),
      );
      expect(e.reason).toBe('EXPIRED');
      expect(e.index).toBe(1);
      expect(e.rejected.map((r) => r.reason).sort()).toEqual(['EXPIRED', 'SIGNATURE']);
    });

    it('answers damaged intermediates and leaves with a typed error, never a crash or a pass', async () => {
      await fc.assert(
        fc.asyncProperty(damagedCopies(inter.raw), damagedCopies(leaf.raw), async (i, l) => {
          let pool: Certificate[];
          let target: Certificate;
          try {
            pool = [cert(i)];
            target = cert(l);
          } catch (e) {
            expect(e).toBeInstanceOf(DecodeError);
            return;
          }
          const r = await buildPath(target, { trust: createTrustStore(root), intermediates: pool }).then(
            () => 'valid',
            (e: unknown) => (e instanceof PathValidationError ? 'rejected' : e),
          );
          expect(r).toBe('rejected');
        }),
        { numRuns: 40 },
      );
    });

    it('enforces maxDepth, counting the target and the anchor', async () => {
      const e = await failure(buildPath(leaf, { trust: createTrustStore(root), intermediates: [inter], maxDepth: 2 }));
      expect(e.reason).toBe('PATH_LENGTH');
      await expect(
        buildPath(leaf, { trust: createTrustStore(root), intermediates: [inter], maxDepth: 3 }),
      ).resolves.toBeDefined();
    });
  });
}

describe('buildPath: cross-certificates, order independence, budgets', () => {
  let rootA: Certificate;
  let rootB: Certificate;
  let viaA: Certificate;
  let viaB: Certificate;
  let leaf: Certificate;
  let pool: Certificate[];
  beforeAll(async () => {
    const caA = await createTestCa({ subject: { commonName: 'Root A' } });
    const caB = await createTestCa({ subject: { commonName: 'Root B' } });
    // One logical CA X with one key, certified by both roots; viaA is newer so it is tried first.
    const xB = await caB.issueIntermediate({
      subject: { commonName: 'CA X' },
      validity: { notBefore: new Date(Date.now() - 2 * DAY) },
    });
    const xA = await caA.issueIntermediate({
      key: xB.key,
      subject: { commonName: 'CA X' },
      validity: { notBefore: new Date(Date.now() - DAY) },
    });
    rootA = cert(caA.certificate);
    rootB = cert(caB.certificate);
    viaA = cert(xA.certificate);
    viaB = cert(xB.certificate);
    leaf = cert((await xB.issue()).certificate);
    const decoys = await Promise.all(
      [1, 2, 3].map(async () => cert((await caA.issueIntermediate({ subject: { commonName: 'CA X' } })).certificate)),
    );
    pool = [viaA, viaB, rootA, rootB, ...decoys];
  });

  it('backtracks from the route whose anchor is not allowed to the valid one', async () => {
    const aOnlyTsa = createTrustStore([{ certificate: rootA, purposes: ['timestamping'] }, rootB]);
    const v = await buildPath(leaf, { trust: aOnlyTsa, intermediates: pool });
    expect(v.certificates).toEqual([leaf, viaB, rootB]);
    const bOnlyTsa = createTrustStore([rootA, { certificate: rootB, purposes: ['timestamping'] }]);
    const w = await buildPath(leaf, { trust: bOnlyTsa, intermediates: pool });
    expect(w.certificates).toEqual([leaf, viaA, rootA]);
    const neither = createTrustStore([rootA, rootB], { purposes: ['timestamping'] });
    const e = await failure(buildPath(leaf, { trust: neither, intermediates: pool }));
    expect(e.reason).toBe('ANCHOR_NOT_ALLOWED');
    expect(e.rejected.filter((r) => r.reason === 'ANCHOR_NOT_ALLOWED')).toHaveLength(2);
  });

  it('returns the same path for every order of the pool and of the anchors', async () => {
    const anchorsB = [{ certificate: rootA, purposes: ['timestamping' as const] }, rootB];
    const expected = (await buildPath(leaf, { trust: createTrustStore(anchorsB), intermediates: pool })).certificates;
    await fc.assert(
      fc.asyncProperty(fc.shuffledSubarray(pool, { minLength: pool.length }), fc.boolean(), async (shuffled, flip) => {
        const trust = createTrustStore(flip ? [...anchorsB].reverse() : anchorsB);
        const v = await buildPath(leaf, { trust, intermediates: shuffled });
        expect(v.certificates).toEqual(expected);
      }),
      { numRuns: 15 },
    );
  });

  it('stops with BUDGET, not a hang, when signature checks run out', async () => {
    const trust = createTrustStore(rootB);
    const decoys = pool.filter((c) => c !== viaA && c !== viaB);
    const e = await failure(buildPath(leaf, { trust, intermediates: decoys, maxSignatureChecks: 2 }));
    expect(e.reason).toBe('BUDGET');
    await expect(buildPath(leaf, { trust, intermediates: pool, maxSignatureChecks: 100 })).resolves.toBeDefined();
  });

  it('terminates on a cycle of cross-certified CAs with no anchor', async () => {
    const p = await createTestCa({ subject: { commonName: 'P' } });
    const q = await createTestCa({ subject: { commonName: 'Q' } });
    const pByQ = await q.issueIntermediate({ key: p.key, subject: { commonName: 'P' } });
    const qByP = await p.issueIntermediate({ key: q.key, subject: { commonName: 'Q' } });
    const l = cert((await p.issue()).certificate);
    const e = await failure(
      buildPath(l, {
        trust: createTrustStore(rootA),
        intermediates: [cert(pByQ.certificate), cert(qByP.certificate)],
      }),
    );
    expect(e.reason).toBe('NO_PATH');
  });
});
