// Proves the interop harness itself: OpenSSL with the GOST engine, loopback server, temp dirs,
// corpora path. If one of these fails, every interop test above it would be meaningless.
import { existsSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openssl, opensslText } from '../src/openssl.ts';
import { startLoopbackServer } from '../src/server.ts';
import { withTempDir } from '../src/temp.ts';
import { readVector, resolveVector, vectorsDir } from '../src/vectors.node.ts';

const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

describe('OpenSSL with the GOST engine', () => {
  it('computes Streebog-256("abc") as published (RFC 6986 family, gost-engine test)', async () => {
    const out = await openssl(['dgst', '-streebog256', '-binary'], { input: 'abc' });
    expect(hex(out.stdout)).toBe('4e2919cf137ed41ec4fb6270c61826cc4fffb660341e0af3688cd0626d23b481');
  });

  it('generates a GOST 2012 key with the engine', async () => {
    const pem = await opensslText(['genpkey', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A']);
    expect(pem).toMatch(/^-----BEGIN PRIVATE KEY-----/);
  });

  it('rejects with the exit code and stderr when a command fails', async () => {
    await expect(openssl(['dgst', '-no-such-digest'])).rejects.toMatchObject({ name: 'OpensslError' });
  });
});

describe('loopback server', () => {
  it('serves on 127.0.0.1 and stops after its request budget', async () => {
    const server = await startLoopbackServer(() => ({ body: 'crl bytes' }), { maxRequests: 1 });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    const res = await fetch(`${server.url}/ca.crl`);
    expect(await res.text()).toBe('crl bytes');
    expect(server.requests.map((r) => r.url)).toEqual(['/ca.crl']);
    await server.close();
    await expect(fetch(`${server.url}/again`)).rejects.toThrow();
  });

  it('records request bodies', async () => {
    await using server = await startLoopbackServer((req) => ({ body: req.body }));
    const res = await fetch(server.url, { method: 'POST', body: new Uint8Array([1, 2, 3]) });
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(new Uint8Array([1, 2, 3]));
  });
});

describe('temp dirs and corpora', () => {
  it('removes the temp dir even when the callback throws', async () => {
    let seen = '';
    await expect(
      withTempDir(async (dir) => {
        seen = dir;
        await writeFile(join(dir, 'f'), 'x');
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    expect(seen).not.toBe('');
    expect(existsSync(seen)).toBe(false);
  });

  it('finds ../shared/vectors and refuses paths outside it', async () => {
    expect(existsSync(join(vectorsDir(), 'README.md'))).toBe(true);
    expect((await readVector('README.md')).length).toBeGreaterThan(100);
    expect(() => resolveVector('../docs/ARCHITECTURE.md')).toThrow(/inside the corpora/);
    expect(() => resolveVector('no/such/file')).toThrow(/not found/);
  });
});
