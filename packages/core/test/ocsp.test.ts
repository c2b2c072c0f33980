// OCSP response/request views: the BoringSSL OCSP corpus (36 cases), status and CertID decoding, fuzzing.
import { decodePem } from '@eds/core/encoding';
import { DecodeError } from '@eds/core/errors';
import { type OcspResponse, parseOcspRequest, parseOcspResponse } from '@eds/core/ocsp';
import { damagedCopies } from '@eds/test-support/inputs';
import { readVectorText } from '@eds/test-support/vectors';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';

interface Case {
  file: string;
  expected_response_status: string;
  expected_revocation_status: string;
}

async function blocks(file: string): Promise<Map<string, Uint8Array>> {
  return new Map(decodePem(await readVectorText(`boringssl-revocation/${file}`)).map((b) => [b.label, b.bytes]));
}

function tryParse(bytes: Uint8Array): OcspResponse | DecodeError {
  try {
    const r = parseOcspResponse(bytes);
    void [r.describe('ru'), JSON.stringify(r)];
    return r;
  } catch (e) {
    if (e instanceof DecodeError) return e;
    throw e;
  }
}

describe('BoringSSL OCSP corpus', () => {
  it('parse-error cases give DecodeError, the rest parse', async () => {
    const expected = JSON.parse(await readVectorText('boringssl-revocation/expected.json'));
    const cases = expected.ocsp.cases as Case[];
    let parsed = 0;
    for (const c of cases) {
      const b = await blocks(c.file);
      const r = tryParse(b.get('OCSP RESPONSE') as Uint8Array);
      const parseError = /^PARSE_RESPONSE/.test(c.expected_response_status);
      if (parseError) expect(r, c.file).toBeInstanceOf(DecodeError);
      else expect(r, `${c.file}: ${(r as Error).message}`).not.toBeInstanceOf(DecodeError);
      if (!(r instanceof DecodeError)) parsed++;
      const req = b.get('OCSP REQUEST');
      if (req) expect(parseOcspRequest(req).requests.length, c.file).toBe(1);
    }
    console.log(`BoringSSL OCSP: ${parsed} parsed, ${cases.length - parsed} DecodeError`);
    expect(parsed).toBe(cases.filter((c) => !/^PARSE_RESPONSE/.test(c.expected_response_status)).length);
  });

  it('good, revoked (with reason) and unknown statuses', async () => {
    const status = async (f: string) => {
      const r = parseOcspResponse((await blocks(`ocsp/${f}`)).get('OCSP RESPONSE') as Uint8Array);
      return r.basic?.responses[0]?.certStatus;
    };
    expect((await status('good_response.pem'))?.status).toBe('good');
    expect((await status('unknown_response.pem'))?.status).toBe('unknown');
    const revoked = await status('revoke_response_reason.pem');
    expect(revoked?.status).toBe('revoked');
    expect(revoked?.status === 'revoked' && revoked.reason).toBeTruthy();
  });

  it('malformedRequest has no basic response', async () => {
    const r = parseOcspResponse((await blocks('ocsp/malformed_request.pem')).get('OCSP RESPONSE') as Uint8Array);
    expect(r.responseStatus).toBe('malformedRequest');
    expect(r.basic).toBeUndefined();
  });

  it('the request CertID serial equals the target certificate serial', async () => {
    const { parseCertificate } = await import('@eds/core/x509');
    const b = await blocks('ocsp/good_response.pem');
    const req = parseOcspRequest(b.get('OCSP REQUEST') as Uint8Array);
    const cert = parseCertificate(b.get('CERTIFICATE') as Uint8Array);
    expect(req.requests[0]?.certId.serialNumber).toBe(cert.serialNumber);
    expect(req.requests[0]?.certId.hashAlgorithm.oid).toBe('1.3.14.3.2.26');
    const res = parseOcspResponse(b.get('OCSP RESPONSE') as Uint8Array);
    expect(res.basic?.responses[0]?.certId.serialNumber).toBe(cert.serialNumber);
  });

  it('byName and byKey responder IDs', async () => {
    const id = async (f: string) =>
      parseOcspResponse((await blocks(`ocsp/${f}`)).get('OCSP RESPONSE') as Uint8Array).basic?.responderId.type;
    expect(await id('responder_name.pem')).toBe('byName');
    expect(await id('responder_id.pem')).toBe('byKey');
  });

  it('mutations give DecodeError only', async () => {
    const base = (await blocks('ocsp/ocsp_extra_certs.pem')).get('OCSP RESPONSE') as Uint8Array;
    fc.assert(
      fc.property(damagedCopies(base), (b) => {
        tryParse(b);
      }),
      { numRuns: 1000 },
    );
  });
});

describe('hostile OCSP requests (regression, issue 5 review)', () => {
  it('a requestorName is read through the internal GeneralName reader', async () => {
    const { der } = await import('@eds/core/asn1');
    const request = (serial: Uint8Array) =>
      der.seq(
        der.seq(
          der.explicit(1, der.implicit(6, der.ia5('http://requestor.example'))),
          der.seq(
            der.seq(
              der.seq(
                der.seq(der.oid('1.3.14.3.2.26')),
                der.octets(new Uint8Array(20)),
                der.octets(new Uint8Array(20)),
                serial,
              ),
            ),
          ),
        ),
      );
    const req = parseOcspRequest(request(der.tlv(0x02, Uint8Array.of(0, 5))));
    expect(req.requestorName).toEqual({ type: 'uniformResourceIdentifier', value: 'http://requestor.example' });
    expect(req.requests[0]?.certId.serialNumber).toBe(5n);
    // A 1 MiB serial is a DecodeError from the length cap, not a long conversion.
    const huge = new Uint8Array(1024 * 1024).fill(1);
    expect(() => parseOcspRequest(request(der.tlv(0x02, huge)), { maxSize: 4 * 1024 * 1024 })).toThrow(DecodeError);
  });
});
