// Test support for the RFC 3161 tests: TSTInfo, TimeStampToken and TimeStampResp built field by field with `der` (RFC 3161 §2.4.2), and a fake Fetcher that plays a TSA.
import { decodeDer, der, TAG } from '@eds/core/asn1';
import type { Fetcher, FetchRequest, FetchResponse } from '@eds/core/fetcher';
import { parseCertificate } from '@eds/core/x509';

export interface TstFields {
  hashOid: string;
  hash: Uint8Array;
  /** hashAlgorithm parameters: absent (default) or NULL. */
  nullParams?: boolean;
  nonce?: bigint;
  policy?: string;
  serial?: bigint;
  genTime?: Date;
  accuracy?: Uint8Array;
  ordering?: boolean;
  tsa?: Uint8Array;
}

/** A DER TSTInfo. */
export function tstInfo(f: TstFields): Uint8Array {
  const alg = f.nullParams ? der.seq(der.oid(f.hashOid), der.null()) : der.seq(der.oid(f.hashOid));
  const fields = [
    der.int(1),
    der.oid(f.policy ?? '1.2.3.4.1'),
    der.seq(alg, der.octets(f.hash)),
    der.int(f.serial ?? 42n),
    der.generalizedTime(f.genTime ?? new Date(Date.UTC(2025, 0, 2, 3, 4, 5, 678))),
  ];
  if (f.accuracy) fields.push(f.accuracy);
  if (f.ordering) fields.push(der.bool(true));
  if (f.nonce !== undefined) fields.push(der.int(f.nonce));
  if (f.tsa) fields.push(der.explicit(0, f.tsa));
  return der.seq(...fields);
}

export interface TokenOptions {
  /** Certificates for the SignedData. */
  certificates?: Uint8Array[];
  /** The certificate the sid names (by issuer and serial, or by SKI with `bySki`). */
  signer?: Uint8Array;
  bySki?: boolean;
  /** Number of SignerInfos (default 1). */
  signerCount?: number;
  contentType?: string;
}

/** A TimeStampToken (ContentInfo with SignedData) around a TSTInfo; the signature is dummy bytes. */
export function token(tst: Uint8Array, o: TokenOptions = {}): Uint8Array {
  let sid = der.seq(der.seq(), der.int(1));
  if (o.signer) {
    const c = parseCertificate(o.signer);
    sid = o.bySki
      ? der.tlv(0x80, c.subjectKeyIdentifier as Uint8Array)
      : der.seq(c.issuer.raw, der.int(c.serialNumber));
  }
  const signerInfo = der.seq(
    der.int(o.bySki ? 3 : 1),
    sid,
    der.seq(der.oid('2.16.840.1.101.3.4.2.1')),
    der.seq(der.oid('1.2.840.10045.4.3.2')),
    der.octets(new Uint8Array(64).fill(0x5a)),
  );
  const certs = o.certificates?.length ? [der.tlv(0xa0, ...o.certificates)] : [];
  const signedData = der.seq(
    der.int(3),
    der.setOf(der.seq(der.oid('2.16.840.1.101.3.4.2.1'))),
    der.seq(der.oid(o.contentType ?? '1.2.840.113549.1.9.16.1.4'), der.explicit(0, der.octets(tst))),
    ...certs,
    der.setOf(...Array.from({ length: o.signerCount ?? 1 }, () => signerInfo)),
  );
  return der.seq(der.oid('1.2.840.113549.1.7.2'), der.explicit(0, signedData));
}

/** A TimeStampResp: PKIStatusInfo (status, texts, failure bits) and an optional token. */
export function response(
  status: number,
  tokenDer?: Uint8Array,
  o: { text?: string[]; failBits?: number[] } = {},
): Uint8Array {
  const info = [der.int(status)];
  if (o.text) info.push(der.seq(...o.text.map(der.utf8)));
  if (o.failBits) info.push(der.flags(o.failBits));
  return der.seq(der.seq(...info), ...(tokenDer ? [tokenDer] : []));
}

/** The imprint, nonce and policy of a DER TimeStampReq. */
export function readRequest(tsq: Uint8Array): {
  hashOid: string;
  hash: Uint8Array;
  nonce?: bigint;
  policy?: string;
  certReq: boolean;
} {
  const r = decodeDer(tsq).read();
  r.next(TAG.INTEGER, 'version');
  const imprint = r.next(TAG.SEQUENCE, 'messageImprint').read();
  const hashOid = imprint.next(TAG.SEQUENCE, 'alg').read().next(TAG.OID, 'oid').oid();
  const hash = imprint.next(TAG.OCTET_STRING, 'hash').octets();
  const policy = r.optional(TAG.OID, 'policy')?.oid();
  const nonce = r.optional(TAG.INTEGER, 'nonce')?.integer();
  const certReq = r.optional(TAG.BOOLEAN, 'certReq')?.bool() ?? false;
  r.end();
  return { hashOid, hash, nonce, policy, certReq };
}

/** A Fetcher that answers every POST with `answer(request)`; records the requests. */
export function fakeFetcher(
  answer: (req: FetchRequest) => Partial<FetchResponse> & { body: Uint8Array },
): Fetcher & { requests: FetchRequest[] } {
  const requests: FetchRequest[] = [];
  return {
    requests,
    async fetch(url, request = {}) {
      requests.push(request);
      return { url, status: 200, contentType: 'application/timestamp-reply', ...answer(request) };
    },
  };
}

/** A fake TSA: a granted response to each request, with `tweak` applied to the TSTInfo fields. */
export function fakeTsa(
  signer: Uint8Array,
  tweak: (f: TstFields) => TstFields = (f) => f,
  tokenOptions: TokenOptions = {},
): Fetcher & { requests: FetchRequest[] } {
  return fakeFetcher((req) => {
    const q = readRequest(req.body as Uint8Array);
    const fields = tweak({ hashOid: q.hashOid, hash: q.hash, nonce: q.nonce, policy: q.policy });
    const certificates = q.certReq ? [signer] : [];
    return { body: response(0, token(tstInfo(fields), { certificates, signer, ...tokenOptions })) };
  });
}
