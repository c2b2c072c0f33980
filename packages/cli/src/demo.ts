// `eds demo`: the end-to-end demonstration. Today it hashes a document, signs the digest with a
// fresh GOST R 34.10-2012 key, verifies the signature and shows that a changed document fails;
// each capability that lands extends it (CMS, certificates, the verification report).

import { createReadStream } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { hexEncode } from '@eds/core/encoding';
import { getPublicKey, randomPrivateKey, sign, verify } from '@eds/gost/gost3410';
import { streebog256 } from '@eds/gost/streebog';
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
    const hashOk = formatDigestLine(m1, '') === `${M1_STREEBOG256}  `;
    io.stdout(`3. Self-check against RFC 6986 §10.1 example 1: ${hashOk ? 'OK' : 'MISMATCH'}\n`);
    const signOk = signAndVerify(io);
    io.stdout('\nSame digest from the shell: eds digest --alg streebog256 <file>\n');
    return hashOk && signOk ? 0 : 1;
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Steps 4-5: a fresh tc26-256-b key signs the document's digest; the signature verifies, and
 * fails for a document changed by one byte. Returns whether both checks came out right. */
function signAndVerify(io: CliIo): boolean {
  const curve = 'tc26-256-b';
  const privateKey = randomPrivateKey(curve);
  const publicKey = getPublicKey(privateKey, curve);
  const document = new TextEncoder().encode(SAMPLE);
  const signature = sign(streebog256(document), privateKey, curve);
  io.stdout(`4. GOST R 34.10-2012 (${curve}) key pair and signature of the digest:\n`);
  io.stdout(`   public key (x || y, little-endian): ${hexEncode(publicKey)}\n`);
  io.stdout(`   signature (s || r, big-endian):     ${hexEncode(signature)}\n`);
  const valid = verify(signature, streebog256(document), publicKey, curve);
  const changed = document.slice();
  changed[0] = (changed[0] as number) ^ 1;
  const rejected = !verify(signature, streebog256(changed), publicKey, curve);
  io.stdout(`5. Verification: ${valid ? 'signature valid' : 'SIGNATURE INVALID'}; `);
  io.stdout(`document changed by one bit: ${rejected ? 'rejected' : 'NOT REJECTED'}\n`);
  return valid && rejected;
}
