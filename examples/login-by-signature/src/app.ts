// The login-by-signature server on node:http: GET / (the page), POST /challenge, POST /login, GET /me, POST /logout; sessions in memory.
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Account } from './accounts.ts';
import { type ChallengeStoreOptions, createChallengeStore, secretKey } from './challenges.ts';
import { checkLogin, type LoginCheckOptions, type LoginRefusal, refuse } from './login.ts';

/** Options of {@link createLoginServer}. */
export interface LoginServerOptions extends LoginCheckOptions {
  /** The portal named in the challenge text (default `example.ru`). */
  readonly portal?: string | undefined;
  /** Lifetime of a challenge in milliseconds (default 5 minutes). */
  readonly challengeTtlMs?: number | undefined;
  /** Challenges held at once (default 10 000); more get 503. */
  readonly maxPendingChallenges?: number | undefined;
  /** Lifetime of a session in milliseconds (default 30 minutes). */
  readonly sessionTtlMs?: number | undefined;
  /** Largest request body in bytes (default 64 KiB: a CMS over a challenge with a certificate chain is a few KiB). */
  readonly maxBodyBytes?: number | undefined;
  /** Add `Secure` to cookies: required behind HTTPS, which production must use (default false, for http://127.0.0.1). */
  readonly secureCookies?: boolean | undefined;
  /** The clock for challenges, sessions and verification (default: the system's). Tests move it. */
  readonly now?: (() => Date) | undefined;
  /** The page: its HTML and script (from `buildPage`); without it GET / answers 404. */
  readonly page?: { readonly html: Uint8Array; readonly script: Uint8Array } | undefined;
  /** Receives one line per request (default: none). */
  readonly log?: ((line: string) => void) | undefined;
}

/** A server made by {@link createLoginServer}, not yet listening. */
export interface LoginServer {
  readonly server: Server;
  listen(port?: number, host?: string): Promise<{ readonly url: string; readonly port: number }>;
  close(): Promise<void>;
}

interface Session {
  readonly account: Account;
  readonly by: 'snils' | 'inn';
  readonly subject: string;
  readonly expiresAt: number;
}

interface Reply {
  readonly status: number;
  readonly body: unknown;
  readonly cookies?: readonly string[];
}

const PENDING_COOKIE = 'eds_login_pending';
const SESSION_COOKIE = 'eds_session';
const VERIFY_TIMEOUT_MS = 60_000;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
  ) {
    super(code);
  }
}

function cookiesOf(req: IncomingMessage): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const at = part.indexOf('=');
    if (at > 0) out.set(part.slice(0, at).trim(), part.slice(at + 1).trim());
  }
  return out;
}

async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  if (Number(req.headers['content-length'] ?? 0) > max) throw new HttpError(413, 'PAYLOAD_TOO_LARGE');
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > max) throw new HttpError(413, 'PAYLOAD_TOO_LARGE');
    chunks.push(chunk);
  }
  return new Uint8Array(Buffer.concat(chunks));
}

/** The `cms` field of a JSON body: Base64 (standard or url-safe), as DER. */
function cmsOf(body: Uint8Array): Uint8Array | LoginRefusal {
  let value: unknown;
  try {
    value = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(body));
  } catch {
    return refuse(400, 'BAD_REQUEST', 'the body must be JSON: {"cms": "<Base64>"}');
  }
  const field = (value as { cms?: unknown } | null)?.cms;
  const text = typeof field === 'string' ? field.replace(/\s+/g, '') : undefined;
  if (!text || !/^[A-Za-z0-9+/_-]+={0,2}$/.test(text))
    return refuse(400, 'BAD_REQUEST', '"cms" must be a Base64 string');
  return new Uint8Array(Buffer.from(text, 'base64')); // Node's decoder reads the url-safe alphabet too
}

/**
 * Creates the login server. Challenges are bound to a pending-login id in an HttpOnly,
 * SameSite=Strict cookie, so a signed challenge is accepted only from the browser it was issued
 * to, and only once; a session cookie is set on success. Every answer is JSON with a stable
 * `code` on refusal; errors never carry stack traces. POST bodies must be `application/json`,
 * which a cross-site form cannot send without a CORS preflight (the server answers none).
 *
 * @throws RangeError for bad challenge settings (see createChallengeStore).
 * @example
 * ```ts
 * const app = createLoginServer({ trust, accounts, fetcher: createFetcher(), page: await buildPage() });
 * const { url } = await app.listen(8080);
 * ```
 */
export function createLoginServer(options: LoginServerOptions): LoginServer {
  const now = options.now ?? (() => new Date());
  const storeOptions: ChallengeStoreOptions = {
    portal: options.portal ?? 'example.ru',
    ttlMs: options.challengeTtlMs,
    maxPending: options.maxPendingChallenges,
    now,
  };
  const challenges = createChallengeStore(storeOptions);
  const sessions = new Map<string, Session>();
  const sessionTtl = options.sessionTtlMs ?? 30 * 60_000;
  const maxBody = options.maxBodyBytes ?? 64 << 10;
  const secure = options.secureCookies ? '; Secure' : '';
  const cookie = (name: string, value: string, maxAgeS: number) =>
    `${name}=${value}; Path=/; HttpOnly; SameSite=Strict; Max-Age=${maxAgeS}${secure}`;

  const sessionOf = (req: IncomingMessage): [string, Session] | undefined => {
    const id = cookiesOf(req).get(SESSION_COOKIE);
    if (!id) return undefined;
    const key = secretKey(id);
    const s = sessions.get(key);
    if (!s) return undefined;
    if (s.expiresAt <= now().getTime()) {
      sessions.delete(key);
      return undefined;
    }
    return [key, s];
  };

  /** Forgets expired sessions; insertion order is expiry order, as every session lives sessionTtl. */
  const sweepSessions = () => {
    const at = now().getTime();
    for (const [key, s] of sessions) {
      if (s.expiresAt > at) break;
      sessions.delete(key);
    }
  };

  const issueChallenge = (client: string): Reply => {
    const { pendingId, challenge } = challenges.issue(client);
    const ttlS = Math.ceil((challenge.expiresAt.getTime() - challenge.issuedAt.getTime()) / 1000);
    return {
      status: 200,
      body: { challenge: challenge.text, nonce: challenge.nonce, expiresAt: challenge.expiresAt.toISOString() },
      cookies: [cookie(PENDING_COOKIE, pendingId, ttlS)],
    };
  };

  const login = async (req: IncomingMessage): Promise<Reply> => {
    const cms = cmsOf(await readBody(req, maxBody));
    const clearPending = cookie(PENDING_COOKIE, '', 0);
    // the pending cookie is cleared once its challenge has been used up, not for a body never read
    const refused = (r: LoginRefusal, taken = true): Reply => {
      const { ok: _, status, reason, ...rest } = r;
      return { status, body: { code: reason, ...rest }, ...(taken ? { cookies: [clearPending] } : {}) };
    };
    if ('ok' in cms) return refused(cms, false);
    const pendingId = cookiesOf(req).get(PENDING_COOKIE);
    const taken = pendingId ? challenges.take(pendingId) : ({ ok: false, reason: 'CHALLENGE_UNKNOWN' } as const);
    if (!taken.ok) return refused(refuse(401, taken.reason, 'ask for a new challenge and sign it'));
    const outcome = await checkLogin(cms, taken.challenge, options, {
      time: now(),
      signal: AbortSignal.timeout(VERIFY_TIMEOUT_MS),
    });
    if (!outcome.ok) return refused(outcome);
    const previous = sessionOf(req);
    if (previous) sessions.delete(previous[0]); // a login always starts a new session (no fixation)
    sweepSessions();
    const id = randomBytes(32).toString('base64url');
    const { account, by } = outcome.match;
    const session: Session = {
      account,
      by,
      subject: outcome.certificate.subject.toString(),
      expiresAt: now().getTime() + sessionTtl,
    };
    sessions.set(secretKey(id), session);
    return {
      status: 200,
      body: { account: { id: account.id, name: account.name }, matchedBy: by },
      cookies: [clearPending, cookie(SESSION_COOKIE, id, Math.ceil(sessionTtl / 1000))],
    };
  };

  const me = (req: IncomingMessage): Reply => {
    const found = sessionOf(req);
    if (!found) return { status: 401, body: { code: 'NO_SESSION', message: 'not signed in' } };
    const [, s] = found;
    return {
      status: 200,
      body: {
        account: { id: s.account.id, name: s.account.name },
        matchedBy: s.by,
        certificateSubject: s.subject,
        expiresAt: new Date(s.expiresAt).toISOString(),
      },
    };
  };

  const logout = (req: IncomingMessage): Reply => {
    const found = sessionOf(req);
    if (found) sessions.delete(found[0]);
    return { status: 200, body: { loggedOut: found !== undefined }, cookies: [cookie(SESSION_COOKIE, '', 0)] };
  };

  const route = async (req: IncomingMessage, res: ServerResponse): Promise<Reply | undefined> => {
    const path = (req.url ?? '/').split('?')[0];
    const method = req.method ?? 'GET';
    const post = (handler: () => Reply | Promise<Reply>) => {
      if (method !== 'POST') throw new HttpError(405, 'METHOD_NOT_ALLOWED');
      const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
      if (type !== 'application/json') throw new HttpError(415, 'UNSUPPORTED_MEDIA_TYPE');
      return handler();
    };
    switch (path) {
      case '/':
      case '/app.js':
        if (method !== 'GET' && method !== 'HEAD') throw new HttpError(405, 'METHOD_NOT_ALLOWED');
        if (!options.page) throw new HttpError(404, 'NOT_FOUND');
        sendAsset(res, path === '/' ? 'html' : 'script', options.page);
        return undefined;
      case '/challenge':
        return post(() => issueChallenge(req.socket.remoteAddress ?? ''));
      case '/login':
        return post(() => login(req));
      case '/logout':
        return post(() => logout(req));
      case '/me':
        if (method !== 'GET') throw new HttpError(405, 'METHOD_NOT_ALLOWED');
        return me(req);
      default:
        throw new HttpError(404, 'NOT_FOUND');
    }
  };

  const server = createServer((req, res) => {
    const started = Date.now();
    route(req, res)
      .catch((e: unknown) => {
        if (e instanceof HttpError) return { status: e.status, body: { code: e.code } };
        options.log?.(`error: ${e instanceof Error ? e.message : String(e)}`);
        return { status: 500, body: { code: 'INTERNAL', message: 'the login could not be checked' } };
      })
      .then((reply) => {
        if (reply) sendJson(res, reply, req.method === 'POST' && reply.status === 413);
        const code = (reply?.body as { code?: string } | undefined)?.code;
        options.log?.(`${req.method} ${req.url} ${res.statusCode}${code ? ` ${code}` : ''} ${Date.now() - started}ms`);
      });
  });
  server.requestTimeout = VERIFY_TIMEOUT_MS + 10_000;
  server.headersTimeout = 10_000;

  return {
    server,
    listen(port = 0, host = '127.0.0.1') {
      return new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, host, () => {
          const { port: bound } = server.address() as AddressInfo;
          const shown = host.includes(':') ? `[${host}]` : host;
          resolve({ url: `http://${shown}:${bound}`, port: bound });
        });
      });
    },
    close() {
      return new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });
    },
  };
}

const SECURITY_HEADERS = {
  'cache-control': 'no-store',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function sendJson(res: ServerResponse, reply: Reply, closeConnection: boolean): void {
  const body = JSON.stringify(reply.body);
  res.writeHead(reply.status, {
    ...SECURITY_HEADERS,
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(reply.cookies ? { 'set-cookie': [...reply.cookies] } : {}),
    // an unread oversized body is not drained: close the connection instead
    ...(closeConnection ? { connection: 'close' } : {}),
  });
  res.end(body);
}

function sendAsset(res: ServerResponse, which: 'html' | 'script', page: NonNullable<LoginServerOptions['page']>): void {
  const body = page[which];
  res.writeHead(200, {
    ...SECURITY_HEADERS,
    'content-type': which === 'html' ? 'text/html; charset=utf-8' : 'text/javascript; charset=utf-8',
    'content-length': body.length,
    // the page runs only its own script; no framing (clickjacking a login page)
    'content-security-policy':
      "default-src 'none'; script-src 'self'; connect-src 'self'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'; base-uri 'none'; form-action 'self'",
  });
  res.end(body);
}
