// The `eds` command in-process against OpenSSL with the GOST engine, on real files.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { opensslText } from '@eds/test-support/openssl';
import { withTempDir } from '@eds/test-support/temp';
import { describe, expect, it } from 'vitest';
import { eds } from './_eds';

function randomBytes(size: number): Uint8Array {
  const out = new Uint8Array(size);
  for (let at = 0; at < size; at += 65536) crypto.getRandomValues(out.subarray(at, at + 65536));
  return out;
}

describe('eds digest', () => {
  it('prints the same digests as openssl dgst for files of several sizes', async () => {
    await withTempDir(async (dir) => {
      const files: string[] = [];
      for (const size of [0, 1, 63, 64, 65, 1000, 300_000]) {
        const file = join(dir, `f${size}.bin`);
        await writeFile(file, randomBytes(size));
        files.push(file);
      }
      for (const alg of ['streebog256', 'streebog512']) {
        const ours = await eds(['digest', '--alg', alg, ...files]);
        expect(ours.code).toBe(0);
        const theirs = await opensslText(['dgst', `-${alg}`, '-r', ...files]);
        const normal = (s: string) =>
          s
            .trim()
            .split('\n')
            .map((l) => l.replace(/ \*/, '  '));
        expect(normal(ours.out)).toEqual(normal(theirs));
      }
    });
  });

  it('reads stdin for "-"', async () => {
    const r = await eds(['digest', '-'], { stdin: [new TextEncoder().encode('ab'), new TextEncoder().encode('c')] });
    expect(r.out).toBe('4e2919cf137ed41ec4fb6270c61826cc4fffb660341e0af3688cd0626d23b481  -\n');
  });

  it('reports an unreadable file, continues, and exits 1', async () => {
    await withTempDir(async (dir) => {
      const good = join(dir, 'good');
      await writeFile(good, 'abc');
      const r = await eds(['digest', join(dir, 'missing'), good]);
      expect(r.code).toBe(1);
      expect(r.err).toContain('missing');
      expect(r.out).toContain('4e2919cf');
    });
  });

  it.each([
    [['digest', '--alg', 'md5', 'x'], 'unknown digest "md5"'],
    [['digest'], 'at least one file'],
    [['digest', '--bogus', 'x'], 'bogus'],
    [['frobnicate'], 'unknown command'],
  ])('exits 2 with usage for %j', async (argv, message) => {
    const r = await eds(argv);
    expect(r.code).toBe(2);
    expect(r.err).toContain(message);
    expect(r.err).toContain('Usage: eds');
  });
});
