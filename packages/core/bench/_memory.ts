// Memory probe of cms.bench.ts, run in a child Node process: CAdES-BES signing (signCms) of a generated stream, detached or attached, then the process's peak RSS.
//
// Usage: node --import tsx packages/core/bench/_memory.ts <bytes> <gost2012-256|ecdsa-p256> [detached|attached]
// Prints one JSON line: { bytes, algorithm, mode, seconds, maxRssBytes, rssBeforeBytes, cmsBytes }.
import { signCms } from '../src/cms';
import { createTestCa } from '../src/testing';

const CHUNK = 1 << 20;
/** Bytes handed to signCms so far: all of them must have been read when it returns. */
let consumed = 0;

/** `total` bytes in fresh 1 MiB chunks, as a file or network stream hands them over; nothing is kept. */
async function* generated(total: number): AsyncGenerator<Uint8Array> {
  for (let at = 0, n = 0; at < total; at += CHUNK, n++) {
    const chunk = new Uint8Array(Math.min(CHUNK, total - at));
    chunk.fill((n * 131 + 7) & 0xff);
    consumed += chunk.length;
    yield chunk;
  }
}

const [bytesArg, algorithm = 'gost2012-256', mode = 'detached'] = process.argv.slice(2);
const total = Number(bytesArg);
if (!Number.isSafeInteger(total) || total <= 0) throw new Error(`_memory.ts: bad byte count ${bytesArg}`);
const gost = algorithm === 'gost2012-256';
if (!gost && algorithm !== 'ecdsa-p256') throw new Error(`_memory.ts: unknown algorithm ${algorithm}`);
if (mode !== 'detached' && mode !== 'attached') throw new Error(`_memory.ts: unknown mode ${mode}`);

const ca = await createTestCa({ keySpec: gost ? { type: 'gost2012-256' } : { type: 'ecdsa', curve: 'P-256' } });
const { signer } = await ca.issue();
const rssBeforeBytes = process.resourceUsage().maxRSS * 1024;
const start = performance.now();
const cms = await signCms({ content: generated(total), signers: [signer], detached: mode === 'detached' });
const seconds = (performance.now() - start) / 1000;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
if (consumed !== total) throw new Error(`_memory.ts: signCms read ${consumed} of ${total} bytes`);
console.log(
  JSON.stringify({ bytes: total, algorithm, mode, seconds, maxRssBytes, rssBeforeBytes, cmsBytes: cms.length }),
);
