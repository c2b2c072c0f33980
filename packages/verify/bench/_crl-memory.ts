// Probe of crl.bench.ts, run in a child Node process: one CRL check (RFC 5280 §6.3) of the 100,000-entry CRL by one peer, its time and the process's peak RSS.
//
// Usage: node --import tsx packages/verify/bench/_crl-memory.ts <eds-check|eds-api|pkijs>
// Prints one JSON line: { mode, crlBytes, seconds, rssBeforeBytes, maxRssBytes, scanSeconds (pkijs only) }.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  edsCheckCrl,
  edsCrlApi,
  FIXTURE_DIR,
  lookups,
  type PkijsLookups,
  pkijsCheck,
  pkijsLookups,
  pkijsScanSeconds,
} from './_crl-fixture';

const mode = process.argv[2] ?? 'eds-check';
let pkijs: PkijsLookups | undefined;
const l = lookups(FIXTURE_DIR);
const work: (bytes: Uint8Array) => Promise<void> =
  mode === 'eds-check'
    ? (bytes) => edsCheckCrl(bytes, l)
    : mode === 'eds-api'
      ? (bytes) => edsCrlApi(bytes, l)
      : mode === 'pkijs'
        ? await pkijsLookups(l).then((p) => {
            pkijs = p;
            return (bytes: Uint8Array) => pkijsCheck(bytes, p);
          })
        : (() => {
            throw new Error(`_crl-memory.ts: unknown mode ${mode}`);
          })();

// Everything but the CRL is loaded: from here on, memory growth is the CRL's (its bytes included).
const rssBeforeBytes = process.memoryUsage().rss;
const start = performance.now();
const bytes: Uint8Array = readFileSync(join(FIXTURE_DIR, 'crl.der'));
await work(bytes);
const seconds = (performance.now() - start) / 1000;
const maxRssBytes = process.resourceUsage().maxRSS * 1024;
// PKI.js's own lookup, measured apart (after the peak): a few calls, each scanning every entry.
const scanSeconds = pkijs ? pkijsScanSeconds(pkijs, 3) : undefined;
console.log(JSON.stringify({ mode, crlBytes: bytes.length, seconds, rssBeforeBytes, maxRssBytes, scanSeconds }));
