// Tests of validatePath (RFC 5280 §6.1) with test-CA chains (GOST and ECDSA): valid paths, every failure reason, revocation.
import { ecdsaSha256 } from '@eds/core/algorithms';
import { der } from '@eds/core/asn1';
import { createTestCa, type KeySpec, type TestCa } from '@eds/core/testing';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { type PathFailureReason, PathValidationError } from '@eds/verify/errors';
import { createTrustStore } from '@eds/verify/trust';
import type { PathValidationOptions, RevocationChecker, TrustAnchor } from '@eds/verify/types';
import { validatePath } from '@eds/verify/validate';
import { beforeAll, describe, expect, it } from 'vitest';

const KC1 = '1.2.643.100.113.1';
const KC2 = '1.2.643.100.113.2';

interface Pki {
  rootCa: TestCa;
  ca: TestCa;
  root: Certificate;
  inter: Certificate;
  leaf: Certificate;
  anchor: TrustAnchor;
  options: PathValidationOptions;
}

async function makePki(keySpec: KeySpec, profile: 'plain' | 'russian-qualified'): Promise<Pki> {
  const rootCa = await createTestCa({ keySpec, profile });
  const ca = await rootCa.issueIntermediate();
  const leaf = parseCertificate((await ca.issue()).certificate);
  const root = parseCertificate(rootCa.certificate);
  const trust = createTrustStore(root);
  return {
    rootCa,
    ca,
    root,
    inter: parseCertificate(ca.certificate),
    leaf,
    anchor: trust.anchors[0] as TrustAnchor,
    options: { trust },
  };
}

async function reasonOf(p: Promise<unknown>): Promise<{ reason: PathFailureReason; index: number | undefined }> {
  const e = await p.then(
    () => undefined,
    (x: unknown) => x,
  );
  expect(e).toBeInstanceOf(PathValidationError);
  const err = e as PathValidationError;
  return { reason: err.reason, index: err.index };
}

const now = () => new Date();

describe('validatePath: valid chains', () => {
  it('accepts a GOST R 34.10-2012 chain in the Russian profile and returns its policies', async () => {
    const p = await makePki({ type: 'gost2012-256' }, 'russian-qualified');
    const v = await validatePath([p.leaf, p.inter, p.root], p.anchor, p.options);
    expect(v.certificates).toHaveLength(3);
    expect(v.anchor).toBe(p.anchor);
    expect(v.policies).toEqual([KC1, KC2]);
    expect(v.revocation).toEqual([undefined, undefined, undefined]);
    const constrained = await validatePath([p.leaf, p.inter, p.root], p.anchor, {
      ...p.options,
      initialPolicySet: [KC2, '1.2.3.4'],
      explicitPolicy: true,
    });
    expect(constrained.policies).toEqual([KC2]);
  });

  it('accepts an ECDSA chain and a path of the anchor alone', async () => {
    const p = await makePki({ type: 'ecdsa', curve: 'P-256' }, 'plain');
    await expect(validatePath([p.leaf, p.inter, p.root], p.anchor, p.options)).resolves.toBeDefined();
    const alone = await validatePath([p.root], p.anchor, p.options);
    expect(alone.certificates).toEqual([p.root]);
  });
});

describe('validatePath: every failure reason', () => {
  let p: Pki;
  beforeAll(async () => {
    p = await makePki({ type: 'ecdsa', curve: 'P-256' }, 'plain');
  });
  const path = () => [p.leaf, p.inter, p.root];

  it('SIGNATURE for a certificate signed by another key under the same name', async () => {
    const impostor = await p.rootCa.issueIntermediate({ subject: p.inter.subject.raw });
    const other = parseCertificate((await impostor.issue()).certificate);
    expect(await reasonOf(validatePath([other, p.inter, p.root], p.anchor, p.options))).toEqual({
      reason: 'SIGNATURE',
      index: 0,
    });
  });

  it('NAME_CHAINING when the issuer name does not match', async () => {
    expect(await reasonOf(validatePath([p.leaf, p.root], p.anchor, p.options))).toEqual({
      reason: 'NAME_CHAINING',
      index: 0,
    });
  });

  it('EXPIRED and NOT_YET_VALID at times outside the validity', async () => {
    const late = new Date(p.leaf.notAfter.getTime() + 1000);
    expect((await reasonOf(validatePath(path(), p.anchor, { ...p.options, time: late }))).reason).toBe('EXPIRED');
    const early = new Date(p.inter.notBefore.getTime() - 1000);
    expect(await reasonOf(validatePath(path(), p.anchor, { ...p.options, time: early }))).toEqual({
      reason: 'NOT_YET_VALID',
      index: 1,
    });
  });

  it('NOT_CA for an issuer whose basicConstraints says cA false', async () => {
    const notCa = await p.rootCa.issueIntermediate({
      extensions: [{ oid: '2.5.29.19', critical: true, value: der.seq() }],
    });
    const leaf = parseCertificate((await notCa.issue()).certificate);
    const r = await reasonOf(validatePath([leaf, parseCertificate(notCa.certificate), p.root], p.anchor, p.options));
    expect(r).toEqual({ reason: 'NOT_CA', index: 1 });
  });

  it('PATH_LENGTH when a pathLenConstraint of 0 has an intermediate below it', async () => {
    const ca0 = await p.rootCa.issueIntermediate({ pathLen: 0 });
    const sub = await ca0.issueIntermediate();
    const leaf = parseCertificate((await sub.issue()).certificate);
    const chain = [leaf, parseCertificate(sub.certificate), parseCertificate(ca0.certificate), p.root];
    expect(await reasonOf(validatePath(chain, p.anchor, p.options))).toEqual({ reason: 'PATH_LENGTH', index: 1 });
  });

  it('KEY_USAGE for an issuer without keyCertSign and for a signing leaf without a signing usage', async () => {
    const noSign = await p.rootCa.issueIntermediate({
      extensions: [{ oid: '2.5.29.15', critical: true, value: der.flags([6]) }],
    });
    const leaf = parseCertificate((await noSign.issue()).certificate);
    const r = await reasonOf(validatePath([leaf, parseCertificate(noSign.certificate), p.root], p.anchor, p.options));
    expect(r).toEqual({ reason: 'KEY_USAGE', index: 1 });
    const enc = parseCertificate((await p.ca.issue({ keyUsage: ['keyEncipherment'] })).certificate);
    expect(await reasonOf(validatePath([enc, p.inter, p.root], p.anchor, p.options))).toEqual({
      reason: 'KEY_USAGE',
      index: 0,
    });
  });

  it('EXTENDED_KEY_USAGE for the wrong purpose, and requiredEku widens what is accepted', async () => {
    const tls = parseCertificate((await p.ca.issue({ extKeyUsage: ['serverAuth'] })).certificate);
    const chain = [tls, p.inter, p.root];
    expect((await reasonOf(validatePath(chain, p.anchor, p.options))).reason).toBe('EXTENDED_KEY_USAGE');
    expect((await reasonOf(validatePath(chain, p.anchor, { ...p.options, purpose: 'timestamping' }))).reason).toBe(
      'EXTENDED_KEY_USAGE',
    );
    await expect(
      validatePath(chain, p.anchor, { ...p.options, requiredEku: ['1.3.6.1.5.5.7.3.1'] }),
    ).resolves.toBeDefined();
    await expect(validatePath(chain, p.anchor, { ...p.options, purpose: 'server-auth' })).resolves.toBeDefined();
  });

  it('NAME_CONSTRAINTS for a SAN outside the permitted subtree of an intermediate', async () => {
    // NameConstraints { permittedSubtrees [0] { GeneralSubtree { dNSName example.com } } }
    const nc = der.seq(der.explicit(0, der.seq(der.implicit(2, der.ia5('example.com')))));
    const constrained = await p.rootCa.issueIntermediate({
      extensions: [{ oid: '2.5.29.30', critical: true, value: nc }],
    });
    const inter = parseCertificate(constrained.certificate);
    const good = parseCertificate(
      (await constrained.issue({ subjectAltName: [{ dns: 'a.example.com' }] })).certificate,
    );
    const bad = parseCertificate((await constrained.issue({ subjectAltName: [{ dns: 'example.org' }] })).certificate);
    await expect(validatePath([good, inter, p.root], p.anchor, p.options)).resolves.toBeDefined();
    expect(await reasonOf(validatePath([bad, inter, p.root], p.anchor, p.options))).toEqual({
      reason: 'NAME_CONSTRAINTS',
      index: 0,
    });
  });

  it('POLICY when an explicit policy is required and none is asserted', async () => {
    const r = await reasonOf(
      validatePath(path(), p.anchor, { ...p.options, explicitPolicy: true, initialPolicySet: [KC1] }),
    );
    expect(r.reason).toBe('POLICY');
  });

  it('UNKNOWN_CRITICAL_EXTENSION and MALFORMED', async () => {
    const odd = parseCertificate(
      (await p.ca.issue({ extensions: [{ oid: '1.2.3.4.5', critical: true, value: der.null() }] })).certificate,
    );
    expect(await reasonOf(validatePath([odd, p.inter, p.root], p.anchor, p.options))).toEqual({
      reason: 'UNKNOWN_CRITICAL_EXTENSION',
      index: 0,
    });
    const signsCerts = parseCertificate(
      (await p.ca.issue({ keyUsage: ['digitalSignature', 'keyCertSign'] })).certificate,
    );
    expect((await reasonOf(validatePath([signsCerts, p.inter, p.root], p.anchor, p.options))).reason).toBe('MALFORMED');
  });

  it('UNSUPPORTED_ALGORITHM when the algorithm set lacks the chain algorithm', async () => {
    const g = await makePki({ type: 'gost2012-256' }, 'plain');
    const r = await reasonOf(
      validatePath([g.leaf, g.inter, g.root], g.anchor, { ...g.options, algorithms: [ecdsaSha256] }),
    );
    expect(r).toEqual({ reason: 'UNSUPPORTED_ALGORITHM', index: 1 });
  });

  it('ANCHOR_NOT_ALLOWED for an anchor restricted to other purposes', async () => {
    const trust = createTrustStore({ certificate: p.root, purposes: ['timestamping'] });
    const anchor = trust.anchors[0] as TrustAnchor;
    expect((await reasonOf(validatePath(path(), anchor, { trust }))).reason).toBe('ANCHOR_NOT_ALLOWED');
  });

  it('NO_PATH for a path that does not end with the anchor', async () => {
    expect((await reasonOf(validatePath([p.leaf, p.inter], p.anchor, p.options))).reason).toBe('NO_PATH');
  });
});

describe('validatePath: revocation', () => {
  let p: Pki;
  beforeAll(async () => {
    p = await makePki({ type: 'ecdsa', curve: 'P-256' }, 'plain');
  });

  it('checks every certificate but the anchor, anchor side first, after the signatures', async () => {
    const seen: number[] = [];
    const revocation: RevocationChecker = async (_cert, _issuer, ctx) => {
      seen.push(ctx.index);
      return { status: 'good', source: 'crl' };
    };
    const v = await validatePath([p.leaf, p.inter, p.root], p.anchor, { ...p.options, revocation });
    expect(seen).toEqual([1, 0]);
    expect(v.revocation.map((r) => r?.status)).toEqual(['good', 'good', undefined]);
  });

  it('maps revoked, suspended and unknown to REVOKED, SUSPENDED and REVOCATION_UNKNOWN', async () => {
    for (const [status, reason] of [
      ['revoked', 'REVOKED'],
      ['suspended', 'SUSPENDED'],
      ['unknown', 'REVOCATION_UNKNOWN'],
    ] as const) {
      const revocation: RevocationChecker = async (_c, _i, ctx) =>
        ctx.index === 0 ? { status, source: 'ocsp', reason: 'keyCompromise' } : { status: 'good', source: 'ocsp' };
      const r = await reasonOf(validatePath([p.leaf, p.inter, p.root], p.anchor, { ...p.options, revocation }));
      expect(r).toEqual({ reason, index: 0 });
    }
    const throwing: RevocationChecker = async () => {
      throw new Error('network down');
    };
    const r = await reasonOf(validatePath([p.leaf, p.inter, p.root], p.anchor, { ...p.options, revocation: throwing }));
    expect(r).toEqual({ reason: 'REVOCATION_UNKNOWN', index: 1 });
  });

  it('is not consulted when a signature fails', async () => {
    let calls = 0;
    const revocation: RevocationChecker = async () => {
      calls++;
      return { status: 'good', source: 'crl' };
    };
    const impostor = await p.rootCa.issueIntermediate({ subject: p.inter.subject.raw });
    const other = parseCertificate((await impostor.issue()).certificate);
    await reasonOf(validatePath([other, p.inter, p.root], p.anchor, { ...p.options, revocation }));
    expect(calls).toBe(0);
  });

  it('gives the checker a validateSigner that builds and validates a signer certificate', async () => {
    const responder = parseCertificate((await p.ca.issue({ extKeyUsage: ['OCSPSigning'] })).certificate);
    const stranger = parseCertificate((await (await createTestCa()).issue()).certificate);
    const outcomes: string[] = [];
    const revocation: RevocationChecker = async (_c, _i, ctx) => {
      // Only for the outer path: the signer's own validation calls this checker too.
      if (ctx.path[0] !== p.leaf || ctx.index !== 0) return { status: 'good', source: 'ocsp' };
      const ok = await ctx.validateSigner(responder, { purpose: 'ocsp-signing', time: ctx.time });
      outcomes.push(`${ok.certificates.length}`);
      const bad = await ctx.validateSigner(stranger, { purpose: 'ocsp-signing', time: ctx.time }).then(
        () => 'valid',
        (e: PathValidationError) => e.reason,
      );
      outcomes.push(bad);
      return { status: 'good', source: 'ocsp' };
    };
    await validatePath([p.leaf, p.inter, p.root], p.anchor, { ...p.options, revocation });
    expect(outcomes).toEqual(['3', 'NO_PATH']);
  });
});

describe('validatePath: revocation signers and anchor purposes', () => {
  it('validates a signer under an anchor restricted to the outer purpose, and only under that anchor', async () => {
    const p = await makePki({ type: 'ecdsa', curve: 'P-256' }, 'plain');
    const other = await createTestCa();
    const foreign = parseCertificate((await other.issue({ extKeyUsage: ['OCSPSigning'] })).certificate);
    const responder = parseCertificate((await p.ca.issue({ extKeyUsage: ['OCSPSigning'] })).certificate);
    const trust = createTrustStore([
      { certificate: p.root, purposes: ['document-signing'] },
      parseCertificate(other.certificate),
    ]);
    const anchor = trust.findByName(p.root.subject)[0] as TrustAnchor;
    const outcomes: string[] = [];
    const revocation: RevocationChecker = async (_c, _i, ctx) => {
      if (ctx.path[0] !== p.leaf || ctx.index !== 0) return { status: 'good', source: 'ocsp' };
      for (const signer of [responder, foreign]) {
        outcomes.push(
          await ctx.validateSigner(signer, { purpose: 'ocsp-signing', time: ctx.time }).then(
            (v) => v.anchor.certificate.subject.toString(),
            (e: PathValidationError) => e.reason,
          ),
        );
      }
      return { status: 'good', source: 'ocsp' };
    };
    await validatePath([p.leaf, p.inter, p.root], anchor, { trust, revocation });
    expect(outcomes).toEqual([p.root.subject.toString(), 'NO_PATH']);
  });
});

describe('validatePath: time precision', () => {
  it('compares the time at whole seconds (RFC 5280 §4.1.2.5)', async () => {
    const p = await makePki({ type: 'ecdsa', curve: 'P-256' }, 'plain');
    const end = new Date(p.leaf.notAfter.getTime() + 999);
    await expect(validatePath([p.leaf, p.inter, p.root], p.anchor, { ...p.options, time: end })).resolves.toBeDefined();
    expect(now().getTime()).toBeLessThan(p.leaf.notAfter.getTime());
  });
});
