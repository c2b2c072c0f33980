// Tests of createTrustStore: PEM bundles, DER, certificates, purposes, duplicates and garbage (RFC 5280 §6.1.1 d).
import { encodePem } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import { createTestCa } from '@eds/core/testing';
import { type Certificate, parseCertificate } from '@eds/core/x509';
import { createTrustStore, nameKey } from '@eds/verify/trust';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';

describe('createTrustStore', () => {
  let a: Certificate;
  let b: Certificate;
  let leafOfA: Certificate;
  beforeAll(async () => {
    const ca = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'russian-qualified' });
    a = parseCertificate(ca.certificate);
    b = parseCertificate((await createTestCa()).certificate);
    leafOfA = parseCertificate((await ca.issue()).certificate);
  });

  it('reads a PEM bundle with several CERTIFICATE blocks and collapses duplicates', () => {
    const bundle = [a, b, a].map((c) => encodePem('CERTIFICATE', c.raw)).join('\n');
    const store = createTrustStore(bundle, { label: 'bundle.pem' });
    expect(store.anchors.map((x) => x.certificate.raw)).toEqual([a.raw, b.raw]);
    expect(store.anchors.every((x) => x.label === 'bundle.pem' && x.purposes === undefined)).toBe(true);
  });

  it('reads DER bytes, parsed certificates and mixed lists', () => {
    const store = createTrustStore([a.raw, b, encodePem('CERTIFICATE', b.raw)]);
    expect(store.anchors).toHaveLength(2);
    expect(createTrustStore(a).anchors[0]?.certificate).toBe(a);
  });

  it('finds anchors by the issuer name of a certificate', () => {
    const store = createTrustStore([a, b]);
    expect(store.findByName(leafOfA.issuer).map((x) => x.certificate)).toEqual([a]);
    expect(store.findByName(leafOfA.subject)).toEqual([]);
    expect(nameKey(leafOfA.issuer)).toBe(nameKey(a.subject));
  });

  it('keeps per-anchor purposes and labels; duplicates join their purposes', () => {
    const store = createTrustStore(
      [
        { certificate: a, purposes: ['document-signing'], label: 'Минцифры' },
        { certificate: a.raw, purposes: ['timestamping'] },
        b,
      ],
      { purposes: ['ocsp-signing'] },
    );
    const [first, second] = store.anchors;
    expect([...(first?.purposes ?? [])].sort()).toEqual(['document-signing', 'timestamping']);
    expect(first?.label).toBe('Минцифры');
    expect([...(second?.purposes ?? [])]).toEqual(['ocsp-signing']);
    const open = createTrustStore([{ certificate: a, purposes: ['timestamping'] }, a]);
    expect(open.anchors[0]?.purposes).toBeUndefined();
  });

  it('throws DecodeError for garbage and for input without certificates', () => {
    expect(() => createTrustStore('no certificates here')).toThrow(DecodeError);
    expect(() => createTrustStore(Uint8Array.of(1, 2, 3))).toThrow(DecodeError);
    expect(() => createTrustStore('-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n')).toThrow(
      DecodeError,
    );
    expect(() => createTrustStore([a, b], { maxAnchors: 1 })).toThrow(DecodeError);
  });

  it('never fails with anything but DecodeError on random bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 256 }), (bytes) => {
        try {
          createTrustStore(bytes);
        } catch (e) {
          expect(e).toBeInstanceOf(DecodeError);
        }
      }),
    );
  });
});
