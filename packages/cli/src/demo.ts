// `eds demo`: the end-to-end demonstration. Today it hashes a document the way a signer does
// before signing and checks the hash against the published GOST vector; each capability that
// lands extends it (signing, verification, report).

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { digestStream, formatDigestLine } from './digest';
import type { CliIo } from './main';

const SAMPLE = 'Заявление о предоставлении государственной услуги.\nSigned with the EDS SDK demo.\n';

// RFC 6986 §10.1 example 1: M1 = "012...012" (63 bytes); the digest as output (the RFC prints
// it MSB-first: 00557be5e584fd52a449b16b0251d05d27f94ab76cbaa6da890b59d8ef1e159d).
const M1 = '012345678901234567890123456789012345678901234567890123456789012';
const M1_STREEBOG256 = '9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500';

/** Runs the demonstration; returns the exit code (1 when a self-check fails). */
export async function runDemo(io: CliIo): Promise<number> {
  const dir = await mkdtemp(join(tmpdir(), 'eds-demo-'));
  try {
    const file = join(dir, 'document.txt');
    await writeFile(file, SAMPLE);
    io.stdout('EDS SDK demo\n\n');
    io.stdout(`1. A document to sign: ${file} (${new TextEncoder().encode(SAMPLE).length} bytes)\n`);
    io.stdout('2. Its GOST R 34.11-2012 (Streebog) digests, streamed from the file:\n');
    for (const alg of ['streebog256', 'streebog512'] as const) {
      const digest = await digestStream(alg, createReadStream(file));
      io.stdout(`   ${alg}: ${formatDigestLine(digest, 'document.txt')}\n`);
    }
    const m1 = await digestStream('streebog256', [new TextEncoder().encode(M1)]);
    const ok = formatDigestLine(m1, '') === `${M1_STREEBOG256}  `;
    io.stdout(`3. Self-check against RFC 6986 §10.1 example 1: ${ok ? 'OK' : 'MISMATCH'}\n`);
    io.stdout('\nSame digest from the shell: eds digest --alg streebog256 <file>\n');
    return ok ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}
