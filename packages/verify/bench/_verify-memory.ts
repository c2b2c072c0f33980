// Memory probe of verify.bench.ts, run in a child Node process: verify() (RFC 5652 §5.4) of a detached CAdES-BES over a generated stream, then the process's peak RSS.
//
// Usage: node --import tsx packages/verify/bench/_verify-memory.ts <bytes> <gost2012-256|ecdsa-p256>
// Prints one JSON line: { bytes, algorithm, seconds, maxRssBytes, rssBeforeBytes, indication }.
import { createHash } from 'node:crypto';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256 } from '@eds/core/digests';
import { createTestCa } from '@eds/core/testing';
import { createTrustStore } from '../src/trust';
import { verify } from '../src/verify';

const CHUNK = 1 << 20;
/** Bytes handed to verify() so far: all of them must have been read when it returns. */
let consumed = 0;

const fill = (chunk: Uint8Array, n: number) => chunk.fill((n * 131 + 7) & 0xff);

/** `total` bytes in fresh 1 MiB chunks, as a file or network stream hands them over; nothing is kept. */
async function* generated(total: number): AsyncGenerator<Uint8Array> {
  for (let at = 0, n = 0; at < total; at += CHUNK, n++) {
    const chunk = fill(new Uint8Array(Math.min(CHUNK, total - at)), n);
    consumed += chunk.length;
    yield chunk;
  }
}

/** The digest of the same bytes, through one reused buffer (so this pass adds no memory of its own). */
function digestOf(total: number, gost: boolean): Uint8Array {
  const chunk = new Uint8Array(CHUNK);
  if (gost) {
    const h = gostr3411_2012_256.create();
    for (let at = 0, n = 0; at < total; at += CHUNK, n++)
      h.update(fill(chunk, n).subarray(0, Math.min(CHUNK, total - at)));
    return h.digest();
  }
  const h = createHash('sha256');
  for (let at = 0, n = 0; at < total; at += CHUNK, n++)
    h.update(fill(chunk, n).subarray(0, Math.min(CHUNK, total - at)));
  return new Uint8Array(h.digest());
}

const [bytesArg, algorithm = 'ecdsa-p256'] = process.argv.slice(2);
const total = Number(bytesArg);
if (!Number.isSafeInteger(total) || total <= 0) throw new Error(`_verify-memory.ts: bad byte count ${bytesArg}`);
const gost = algorithm === 'gost2012-256';
if (!gost && algorithm !== 'ecdsa-p256') throw new Error(`_verify-memory.ts: unknown algorithm ${algorithm}`);

const ca = await createTestCa({ keySpec: gost ? { type: 'gost2012-256' } : { type: 'ecdsa', curve: 'P-256' } });
const { signer } = await ca.issue();
const signature = await signCms({ digest: digestOf(total, gost), signers: [signer], detached: true });
const trust = createTrustStore(ca.certificate);
const rssBeforeBytes = process.resourceUsage().maxRSS * 1024;
const start = performance.now();
const report = await verify({ signature, content: generated(total), trust, revocation: 'off' });
const seconds = (performance.now() - start) / 1000;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
if (consumed !== total) throw new Error(`_verify-memory.ts: verify read ${consumed} of ${total} bytes`);
console.log(
  JSON.stringify({ bytes: total, algorithm, seconds, maxRssBytes, rssBeforeBytes, indication: report.indication }),
);
