// A throwaway GOST PKI for the demo and the tests: a root and an issuing CA from @eds/core/testing, with an OCSP responder (RFC 6960 App. A.1) and CRL distribution point (RFC 5280 §4.2.1.13) on 127.0.0.1.
import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPkcs12 } from '@eds/core/pkcs12';
import { createTestCa, type IssuedCertificate, type TestCa, testIdentifiers } from '@eds/core/testing';

/** An OCSP request or nothing: a few hundred bytes. */
const MAX_BODY = 16 << 10;

/** The OCSP and CRL server of a test PKI. */
export interface RevocationServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  readonly url: string;
  /** The responder URL for CA `name` (goes into the certificates it issues). */
  ocspUrl(name: string): string;
  /** The CRL URL for CA `name`. */
  crlUrl(name: string): string;
  /** Starts answering for these CAs (until then: 503). */
  serve(cas: Readonly<Record<string, TestCa>>): void;
  /** Requests answered so far. */
  readonly count: number;
  close(): Promise<void>;
}

async function body(req: IncomingMessage): Promise<Uint8Array | undefined> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY) return undefined;
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The DER answer for one request, or an HTTP status. */
async function answer(req: IncomingMessage, cas: Readonly<Record<string, TestCa>>): Promise<Uint8Array | number> {
  const path = (req.url ?? '/').split('?')[0] ?? '/';
  const crl = /^\/crl\/([\w-]+)\.crl$/.exec(path);
  if (crl && req.method === 'GET') return cas[crl[1] as string]?.createCrl() ?? 404;
  const ocsp = /^\/ocsp\/([\w-]+)(?:\/(.+))?$/.exec(path);
  const ca = ocsp && cas[ocsp[1] as string];
  if (!ocsp || !ca) return 404;
  let request: Uint8Array | undefined;
  if (req.method === 'POST' && ocsp[2] === undefined) request = await body(req);
  else if (req.method === 'GET' && ocsp[2] !== undefined)
    request = new Uint8Array(Buffer.from(decodeURIComponent(ocsp[2]), 'base64'));
  if (!request || request.length === 0) return 400;
  try {
    return await ca.createOcspResponse({ request });
  } catch {
    return 400; // not an OCSPRequest
  }
}

/**
 * Starts the OCSP and CRL server on 127.0.0.1 with a free port. Answers are made per request by
 * the test CA (`createOcspResponse`, `createCrl`), so a revocation shows at once.
 *
 * @example
 * ```ts
 * const services = await startRevocationServer();
 * const ca = await root.issueIntermediate({ ocspUrl: services.ocspUrl('ca'), crlUrl: services.crlUrl('ca') });
 * services.serve({ ca });
 * ```
 */
export async function startRevocationServer(): Promise<RevocationServer> {
  let cas: Readonly<Record<string, TestCa>> | undefined;
  let count = 0;
  const server: Server = createServer((req, res) => {
    if (!cas) {
      res.writeHead(503).end();
      return;
    }
    answer(req, cas).then(
      (out) => {
        count++;
        if (typeof out === 'number') res.writeHead(out).end();
        else {
          const type = req.url?.startsWith('/crl/') ? 'application/pkix-crl' : 'application/ocsp-response';
          res.writeHead(200, { 'content-type': type, 'content-length': out.length }).end(out);
        }
      },
      () => res.writeHead(500).end(),
    );
  });
  server.requestTimeout = 10_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    ocspUrl: (name) => `${url}/ocsp/${name}`,
    crlUrl: (name) => `${url}/crl/${name}.crl`,
    serve(given) {
      cas = given;
    },
    get count() {
      return count;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A test PKI: a root (the trust anchor) and the CA that issues users' certificates. */
export interface DemoPki {
  readonly root: TestCa;
  readonly ca: TestCa;
  readonly services: RevocationServer;
  /** Issues a person's qualified certificate (GOST R 34.10-2012 256) with a SNILS and an INN. */
  issueUser(
    name: { readonly surname: string; readonly givenName: string },
    ids?: { readonly snils?: string; readonly inn?: string },
  ): Promise<IssuedCertificate & { readonly snils: string; readonly inn: string }>;
  close(): Promise<void>;
}

/**
 * Creates a root and an issuing CA in the Russian qualified profile (GOST R 34.10-2012 256),
 * both answering OCSP and CRL requests on 127.0.0.1. **For tests and demos only.**
 *
 * @example
 * ```ts
 * const pki = await createDemoPki();
 * const user = await pki.issueUser({ surname: 'Иванова', givenName: 'Мария Петровна' });
 * ```
 */
export async function createDemoPki(): Promise<DemoPki> {
  const services = await startRevocationServer();
  const urls = (name: string) => ({ ocspUrl: services.ocspUrl(name), crlUrl: services.crlUrl(name) });
  const root = await createTestCa({ profile: 'russian-qualified', keySpec: { type: 'gost2012-256' }, ...urls('root') });
  const ca = await root.issueIntermediate(urls('ca'));
  services.serve({ root, ca });
  return {
    root,
    ca,
    services,
    async issueUser(name, ids = {}) {
      const fresh = testIdentifiers();
      const snils = ids.snils ?? fresh.snils;
      const inn = ids.inn ?? fresh.inn;
      const subject = {
        country: 'RU',
        commonName: `${name.surname} ${name.givenName}`,
        surname: name.surname,
        givenName: name.givenName,
        snils,
        inn,
      };
      const issued = await ca.issue({ subject });
      return { ...issued, snils, inn };
    },
    close: () => services.close(),
  };
}

/**
 * A PFX of a user's key and certificate in the GOST TC26 dialect (what Russian CAs hand out),
 * with the issuing CA's certificate for a complete file.
 *
 * @example
 * ```ts
 * const pfx = await userPfx(user, pki.ca, 'пароль');
 * ```
 */
export function userPfx(user: IssuedCertificate, ca: TestCa, password: string): Promise<Uint8Array> {
  return createPkcs12({
    key: { pkcs8: user.key.pkcs8 },
    certificates: [user.certificate, ca.certificate],
    password,
    dialect: 'gost-tc26',
    friendlyName: 'login-by-signature demo',
  });
}
