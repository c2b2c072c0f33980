// Hostile certificates and CRLs (issue 7, "Bad input"; RFC 5280 §4.2, §5.3, §6.1): size limits, deep and cyclic chains, duplicate extensions, absurd name constraints — typed outcomes only.
import { type Der, decodeDer, der } from '@eds/core/asn1';
import { parseCrl } from '@eds/core/crl';
import { DecodeError } from '@eds/core/errors';
import { createTestCa, type TestCa } from '@eds/core/testing';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { checkCrl } from '@eds/verify/crl-check';
import { PathValidationError } from '@eds/verify/errors';
import { buildPath, PathBuildError } from '@eds/verify/path';
import { createTrustStore } from '@eds/verify/trust';
import { validatePath } from '@eds/verify/validate';
import { beforeAll, describe, expect, it } from 'vitest';

const T0 = new Date('2026-06-01T12:00:00Z');
const DAY = 86_400_000;
const AT = new Date(T0.getTime() + 3_600_000);
const ECDSA = { type: 'ecdsa', curve: 'P-256' } as const;
const MIB = 1024 * 1024;
const ascii = (s: string) => new TextEncoder().encode(s);

/** The settled outcome of `p`: its value or what it threw. */
async function outcome<T>(p: Promise<T>): Promise<{ value?: T; error?: unknown }> {
  try {
    return { value: await p };
  } catch (error) {
    return { error };
  }
}

async function pathFailure(p: Promise<unknown>): Promise<PathValidationError> {
  const { error } = await outcome(p);
  expect(error).toBeInstanceOf(PathValidationError);
  return error as PathValidationError;
}

/** A CRL v2 of `entries` signed by `ca` (thisUpdate T0, nextUpdate a week later). */
async function signedCrl(ca: TestCa, entries: readonly Uint8Array[]): Promise<Uint8Array> {
  const alg = ca.signer.algorithm.identifier();
  const list = entries.length ? [der.tlv(0x30, der.concat(entries))] : [];
  const tbs = der.seq(
    der.int(1),
    alg,
    ca.subject,
    der.utcTime(T0),
    der.utcTime(new Date(T0.getTime() + 7 * DAY)),
    ...list,
  );
  return der.seq(tbs, alg, der.bits(await ca.signer.sign(tbs)));
}

function extension(oid: string, value: Uint8Array, critical = false): Uint8Array {
  return der.seq(der.oid(oid), ...(critical ? [der.bool(true)] : []), der.octets(value));
}

function entry(serial: bigint, ...extensions: Uint8Array[]): Uint8Array {
  return der.seq(der.int(serial), der.utcTime(T0), ...(extensions.length ? [der.seq(...extensions)] : []));
}

const reason = (code: number) => extension('2.5.29.21', der.enumerated(code));

/** A certificate of `issuer`'s with its extension list edited, re-signed by `issuer`. */
async function resigned(
  certificate: Uint8Array,
  issuer: TestCa,
  edit: (extensions: Uint8Array[]) => Uint8Array[],
): Promise<Uint8Array> {
  const tbs = decodeDer(certificate, 'Certificate').children()[0] as Der;
  const fields = tbs.children();
  const last = fields[fields.length - 1] as Der;
  const extensions = last
    .explicit(3)
    .children()
    .map((e) => e.bytes);
  const body = der.seq(...fields.slice(0, -1).map((f) => f.bytes), der.explicit(3, der.seq(...edit(extensions))));
  const alg = issuer.signer.algorithm.identifier();
  return der.seq(body, alg, der.bits(await issuer.signer.sign(body)));
}

describe('hostile input', () => {
  let root: TestCa;
  let ca: TestCa;
  let rootCert: Certificate;
  let caCert: Certificate;
  beforeAll(async () => {
    root = await createTestCa({ keySpec: ECDSA, now: T0, subject: { commonName: 'Hostile Root' } });
    ca = await root.issueIntermediate({ keySpec: ECDSA, now: T0, subject: { commonName: 'Hostile CA' }, crlUrl: null });
    rootCert = parseCertificate(root.certificate);
    caCert = parseCertificate(ca.certificate);
  });

  describe('size limits', () => {
    it('a 1.5 MiB certificate is ERR_DECODE_TOO_LARGE under the default 1 MiB limit, and parses under a larger one', async () => {
      const big = await ca.issue({
        keySpec: ECDSA,
        now: T0,
        crlUrl: null,
        extensions: [{ oid: '1.2.3.4.5', value: der.octets(new Uint8Array(1.5 * MIB)) }],
      });
      const { error } = await outcome(Promise.resolve().then(() => parseCertificate(big.certificate)));
      expect(error).toBeInstanceOf(DecodeError);
      expect((error as DecodeError).code).toBe('ERR_DECODE_TOO_LARGE');
      const parsed = parseCertificate(big.certificate, { maxSize: 4 * MIB });
      const v = await validatePath(
        [parsed, caCert, rootCert],
        { certificate: rootCert },
        {
          trust: createTrustStore(rootCert),
          time: AT,
        },
      );
      expect(v.certificates).toHaveLength(3);
    });

    it('a CRL over maxSize is ERR_DECODE_TOO_LARGE; checkCrl of an unparseable CRL is unknown', async () => {
      const crl = await signedCrl(
        ca,
        Array.from({ length: 2000 }, (_, i) => entry(BigInt(i + 1))),
      );
      expect(() => parseCrl(crl, { maxSize: 16 * 1024 })).toThrow(
        expect.objectContaining({ code: 'ERR_DECODE_TOO_LARGE' }),
      );
      const leaf = parseCertificate((await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
      const truncated = crl.subarray(0, crl.length - 10);
      expect(await checkCrl(truncated, leaf, caCert, { time: AT })).toMatchObject({
        status: 'unknown',
        detail: expect.stringMatching(/malformed CRL/),
      });
    });

    it('a CRL of 100,000 entries answers revoked and good through the index', async () => {
      const listed = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null, serial: 0x7777_0000_0001n });
      const other = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null, serial: 0x7777_0000_0002n });
      const entries = Array.from({ length: 100_000 }, (_, i) => entry(0x1000_0000n + BigInt(i) * 3n, reason(1)));
      entries[73_123] = entry(listed.serial, reason(1));
      const crl = parseCrl(await signedCrl(ca, entries));
      expect(crl.revokedCount).toBe(100_000);
      const revoked = await checkCrl(crl, parseCertificate(listed.certificate), caCert, { time: AT });
      expect(revoked).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
      const good = await checkCrl(crl, parseCertificate(other.certificate), caCert, { time: AT });
      expect(good.status).toBe('good');
    });

    it('one serial listed 50,000 times: the index chains repeats, revoked comes back', async () => {
      const leaf = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null });
      const bytes = await signedCrl(
        ca,
        Array.from({ length: 50_000 }, () => entry(leaf.serial, reason(1))),
      );
      const crl = parseCrl(bytes);
      expect(crl.entryIndex().positions(leaf.serial)).toHaveLength(50_000);
      expect(crl.isRevoked(leaf.serial)).toBe(true);
      expect(crl.isRevoked(leaf.serial + 1n)).toBe(false);
      const r = await checkCrl(crl, parseCertificate(leaf.certificate), caCert, { time: AT });
      expect(r).toMatchObject({ status: 'revoked', reason: 'keyCompromise' });
    });

    it('a CRL entry with a 200 KB serial makes the CRL unusable (unknown), not slow', async () => {
      const leaf = parseCertificate((await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
      const huge = der.seq(der.tlv(0x02, new Uint8Array(200_000).fill(0x11)), der.utcTime(T0));
      const crl = await signedCrl(ca, [entry(5n), huge]);
      expect(await checkCrl(crl, leaf, caCert, { time: AT })).toMatchObject({
        status: 'unknown',
        detail: expect.stringMatching(/malformed CRL entry/),
      });
      expect(() => parseCrl(crl).isRevoked(leaf.serialNumber)).toThrow(DecodeError);
    });
  });

  describe('deep and cyclic chains', () => {
    let chain: TestCa[];
    let leaf: Certificate;
    beforeAll(async () => {
      // Root -> CA 1 -> ... -> CA 199 -> leaf: a 201-certificate path.
      chain = [root];
      for (let i = 1; i < 200; i++) {
        const parent = chain[i - 1] as TestCa;
        chain.push(
          await parent.issueIntermediate({ keySpec: ECDSA, now: T0, subject: { commonName: `Deep CA ${i}` } }),
        );
      }
      const last = chain[chain.length - 1] as TestCa;
      leaf = parseCertificate((await last.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
    }, 120_000);

    it('a 200-certificate chain stops at the default maxDepth (PATH_LENGTH) or the budget', async () => {
      const intermediates = chain.slice(1).map((c) => parseCertificate(c.certificate));
      const e = await pathFailure(buildPath(leaf, { trust: createTrustStore(rootCert), intermediates, time: AT }));
      expect(e).toBeInstanceOf(PathBuildError);
      expect(['PATH_LENGTH', 'BUDGET']).toContain(e.reason);
    });

    it('with maxDepth raised, the signature budget stops it (BUDGET); a large enough budget builds it', async () => {
      const intermediates = chain.slice(1).map((c) => parseCertificate(c.certificate));
      const trust = createTrustStore(rootCert);
      const e = await pathFailure(
        buildPath(leaf, { trust, intermediates, time: AT, maxDepth: 500, maxSignatureChecks: 50 }),
      );
      expect(e.reason).toBe('BUDGET');
      const v = await buildPath(leaf, { trust, intermediates, time: AT, maxDepth: 500, maxSignatureChecks: 1000 });
      expect(v.certificates).toHaveLength(201);
    });

    it('cyclic cross-certificates (A signs B, B signs A): the builder terminates, and finds the way out when there is one', async () => {
      const a = await createTestCa({ keySpec: ECDSA, now: T0, subject: { commonName: 'Cycle A' } });
      const b = await createTestCa({ keySpec: ECDSA, now: T0, subject: { commonName: 'Cycle B' } });
      const bByA = await a.issueIntermediate({ key: b.key, now: T0, subject: { commonName: 'Cycle B' } });
      const aByB = await b.issueIntermediate({ key: a.key, now: T0, subject: { commonName: 'Cycle A' } });
      const aByRoot = await root.issueIntermediate({ key: a.key, now: T0, subject: { commonName: 'Cycle A' } });
      const l = parseCertificate((await b.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
      const cycle = [bByA, aByB].map((c) => parseCertificate(c.certificate));
      const lost = await pathFailure(
        buildPath(l, { trust: createTrustStore(rootCert), intermediates: cycle, time: AT }),
      );
      expect(['NO_PATH', 'BUDGET']).toContain(lost.reason);
      const out = parseCertificate(aByRoot.certificate);
      const v = await buildPath(l, { trust: createTrustStore(rootCert), intermediates: [...cycle, out], time: AT });
      expect(v.certificates.map((c) => c.subject.commonName)).toEqual([
        l.subject.commonName,
        'Cycle B',
        'Cycle A',
        'Hostile Root',
      ]);
    });

    it('a three-way cycle with no anchor and a generous budget still ends (NO_PATH or BUDGET)', async () => {
      const names = ['Ring P', 'Ring Q', 'Ring R'];
      const cas = await Promise.all(
        names.map((n) => createTestCa({ keySpec: ECDSA, now: T0, subject: { commonName: n } })),
      );
      const links: Certificate[] = [];
      for (let i = 0; i < 3; i++) {
        const signer = cas[i] as TestCa;
        const next = cas[(i + 1) % 3] as TestCa;
        const cross = await signer.issueIntermediate({
          key: next.key,
          now: T0,
          subject: { commonName: names[(i + 1) % 3] },
        });
        links.push(parseCertificate(cross.certificate));
      }
      const l = parseCertificate(
        (await (cas[0] as TestCa).issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate,
      );
      const e = await pathFailure(
        buildPath(l, {
          trust: createTrustStore(rootCert),
          intermediates: links,
          time: AT,
          maxDepth: 100,
          maxSignatureChecks: 10_000,
        }),
      );
      expect(['NO_PATH', 'BUDGET']).toContain(e.reason);
    });
  });

  describe('many candidates with the same name', () => {
    let decoys: Certificate[];
    let real: TestCa;
    beforeAll(async () => {
      real = await root.issueIntermediate({ keySpec: ECDSA, now: T0, subject: { commonName: 'Same Name CA' } });
      const other = await createTestCa({ keySpec: ECDSA, now: T0, subject: { commonName: 'Elsewhere' } });
      decoys = [];
      for (let i = 0; i < 60; i++) {
        const d = await other.issueIntermediate({ keySpec: ECDSA, now: T0, subject: { commonName: 'Same Name CA' } });
        decoys.push(parseCertificate(d.certificate));
      }
    }, 120_000);

    it('sixty decoys with the issuer name: the real issuer is still found, whatever the order', async () => {
      const leaf = parseCertificate((await real.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
      const realCert = parseCertificate(real.certificate);
      for (const pool of [
        [...decoys, realCert],
        [realCert, ...decoys],
      ]) {
        const v = await buildPath(leaf, { trust: createTrustStore(rootCert), intermediates: pool, time: AT });
        expect(v.certificates[1]?.raw).toEqual(realCert.raw);
      }
    });

    it('only decoys: a typed failure within the signature budget', async () => {
      const leaf = parseCertificate((await real.issue({ keySpec: ECDSA, now: T0, crlUrl: null })).certificate);
      const e = await pathFailure(
        buildPath(leaf, { trust: createTrustStore(rootCert), intermediates: decoys, time: AT, maxSignatureChecks: 10 }),
      );
      expect(e).toBeInstanceOf(PathBuildError);
      expect(['NO_PATH', 'SIGNATURE', 'BUDGET', 'NAME_CHAINING']).toContain(e.reason);
    });
  });

  describe('duplicate extensions', () => {
    it('a certificate with keyUsage twice: DecodeError on reading, or MALFORMED from validation', async () => {
      const issued = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null });
      const dup = await resigned(issued.certificate, ca, (exts) => [
        ...exts,
        exts.find((e) => isOid(e, '2.5.29.15')) as Uint8Array,
      ]);
      let cert: Certificate | undefined;
      try {
        cert = parseCertificate(dup);
      } catch (e) {
        expect(e).toBeInstanceOf(DecodeError);
        return;
      }
      const e = await pathFailure(
        validatePath(
          [cert, caCert, rootCert],
          { certificate: rootCert },
          { trust: createTrustStore(rootCert), time: AT },
        ),
      );
      expect(e.reason).toBe('MALFORMED');
    });

    it('a CRL entry with reasonCode twice makes the CRL unusable (unknown)', async () => {
      const leaf = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null });
      const crl = await signedCrl(ca, [entry(leaf.serial, reason(1), reason(1))]);
      expect(await checkCrl(crl, parseCertificate(leaf.certificate), caCert, { time: AT })).toMatchObject({
        status: 'unknown',
        detail: expect.stringMatching(/duplicate/),
      });
    });
  });

  describe('absurd name constraints', () => {
    it('3,000 excluded subtrees against 1,000 SANs: bounded by MAX_NAME_COMPARISONS, NAME_CONSTRAINTS', async () => {
      // Every name is inside the permitted subtree and must be compared with every excluded one.
      const excluded = Array.from({ length: 3000 }, (_, i) => der.seq(der.tlv(0x82, ascii(`e${i}.excluded.test`))));
      const permitted = der.seq(der.tlv(0x82, ascii('permitted.test')));
      const nameConstraints = der.seq(der.tlv(0xa0, permitted), der.tlv(0xa1, der.concat(excluded)));
      const constrained = await root.issueIntermediate({
        keySpec: ECDSA,
        now: T0,
        subject: { commonName: 'Constrained CA' },
        extensions: [{ oid: '2.5.29.30', critical: true, value: nameConstraints }],
      });
      const sans = Array.from({ length: 1000 }, (_, i) => der.tlv(0x82, ascii(`n${i}.permitted.test`)));
      const leaf = await constrained.issue({
        keySpec: ECDSA,
        now: T0,
        crlUrl: null,
        subject: { commonName: 'Many names' },
        extensions: [{ oid: '2.5.29.17', value: der.seq(...sans) }],
      });
      const path = [parseCertificate(leaf.certificate), parseCertificate(constrained.certificate), rootCert];
      const e = await pathFailure(
        validatePath(path, { certificate: rootCert }, { trust: createTrustStore(rootCert), time: AT }),
      );
      expect(e.reason).toBe('NAME_CONSTRAINTS');
      expect(e.message).toMatch(/too large/);
      // Control: one SAN, inside the permitted subtree and outside every excluded one, passes.
      const fine = await constrained.issue({
        keySpec: ECDSA,
        now: T0,
        crlUrl: null,
        subject: { commonName: 'One name' },
        extensions: [{ oid: '2.5.29.17', value: der.seq(der.tlv(0x82, ascii('one.permitted.test'))) }],
      });
      const ok = await validatePath(
        [parseCertificate(fine.certificate), parseCertificate(constrained.certificate), rootCert],
        { certificate: rootCert },
        { trust: createTrustStore(rootCert), time: AT },
      );
      expect(ok.certificates).toHaveLength(3);
    });
  });

  describe('CRL entry extensions', () => {
    it('an unhandled critical entry extension on any entry makes the CRL unusable; non-critical is ignored', async () => {
      const leaf = await ca.issue({ keySpec: ECDSA, now: T0, crlUrl: null });
      const cert = parseCertificate(leaf.certificate);
      const odd = (critical: boolean) => entry(leaf.serial + 1n, extension('1.2.3.4.99', der.null(), critical));
      const critical = await signedCrl(ca, [entry(3n, reason(1)), odd(true)]);
      expect(await checkCrl(critical, cert, caCert, { time: AT })).toMatchObject({
        status: 'unknown',
        detail: expect.stringMatching(/unhandled critical CRL entry extension 1\.2\.3\.4\.99/),
      });
      const plain = await signedCrl(ca, [entry(3n, reason(1)), odd(false)]);
      expect((await checkCrl(plain, cert, caCert, { time: AT })).status).toBe('good');
      const listed = await signedCrl(ca, [entry(leaf.serial, reason(1)), odd(false)]);
      expect((await checkCrl(listed, cert, caCert, { time: AT })).status).toBe('revoked');
    });
  });
});

function isOid(extension: Uint8Array, oid: string): boolean {
  return (decodeDer(extension, 'Extension').children()[0] as Der).oid() === oid;
}
