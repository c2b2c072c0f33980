// A loopback HTTP server for tests (CRL/AIA distribution, OCSP and TSA front ends): a free port
// on 127.0.0.1, a bounded number of requests, and a deadline after which it stops by itself.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface LoopbackRequest {
  method: string;
  /** Path and query, e.g. `/ca.crl`. */
  url: string;
  headers: IncomingMessage['headers'];
  body: Uint8Array;
}

export interface LoopbackResponse {
  status?: number;
  headers?: Record<string, string>;
  body?: Uint8Array | string;
  /** Wait this long before answering (to test client timeouts). */
  delayMs?: number;
}

export interface LoopbackOptions {
  /** Stop after answering this many requests (default 100). */
  maxRequests?: number;
  /** Stop after this many milliseconds whatever happens (default 30 s). */
  lifetimeMs?: number;
  /** Largest request body accepted (default 1 MiB); larger ones get 413. */
  maxBodyBytes?: number;
}

export interface LoopbackServer {
  /** Base URL, e.g. `http://127.0.0.1:41234`. */
  url: string;
  /** Requests received so far. */
  readonly requests: readonly LoopbackRequest[];
  close(): Promise<void>;
  [Symbol.asyncDispose](): Promise<void>;
}

/** Starts a server on 127.0.0.1 with a free port; `handler` answers each request. */
export async function startLoopbackServer(
  handler: (req: LoopbackRequest) => LoopbackResponse | Promise<LoopbackResponse>,
  options: LoopbackOptions = {},
): Promise<LoopbackServer> {
  const maxRequests = options.maxRequests ?? 100;
  const maxBody = options.maxBodyBytes ?? 1 << 20;
  const requests: LoopbackRequest[] = [];
  const server = createServer((req, res) => {
    if (requests.length >= maxRequests) {
      res.writeHead(503).end('request budget used up');
      return;
    }
    readBody(req, maxBody)
      .then(async (body) => {
        const request = { method: req.method ?? 'GET', url: req.url ?? '/', headers: req.headers, body };
        requests.push(request);
        const answer = await handler(request);
        if (answer.delayMs) await new Promise((r) => setTimeout(r, answer.delayMs));
        send(res, answer);
        if (requests.length >= maxRequests) void close();
      })
      .catch((error: unknown) => {
        res.writeHead(error instanceof TooLarge ? 413 : 500).end(String(error));
      });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', resolve);
  });
  const deadline = setTimeout(() => void close(), options.lifetimeMs ?? 30_000);
  deadline.unref();
  let closing: Promise<void> | undefined;
  function close(): Promise<void> {
    clearTimeout(deadline);
    closing ??= new Promise<void>((resolve) => {
      server.close(() => resolve());
      server.closeAllConnections();
    });
    return closing;
  }
  const { port } = server.address() as AddressInfo;
  return { url: `http://127.0.0.1:${port}`, requests, close, [Symbol.asyncDispose]: close };
}

class TooLarge extends Error {}

async function readBody(req: IncomingMessage, max: number): Promise<Uint8Array> {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Uint8Array>) {
    size += chunk.length;
    if (size > max) throw new TooLarge(`request body over ${max} bytes`);
    chunks.push(chunk);
  }
  const body = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    body.set(c, at);
    at += c.length;
  }
  return body;
}

function send(res: ServerResponse, answer: LoopbackResponse): void {
  const body = typeof answer.body === 'string' ? new TextEncoder().encode(answer.body) : answer.body;
  res.writeHead(answer.status ?? 200, { 'content-length': String(body?.length ?? 0), ...answer.headers });
  res.end(body);
}
