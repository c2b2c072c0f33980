// A 100,000-entry CRL made by `openssl ca` (RFC 5280 §5, about 4.6 MB): parse, verify the signature and look up 1,000 serials; ours against `openssl crl -noout -CAfile` and PKI.js, with peak memory in child processes.
import { execFile } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { runProbe } from '../../../tooling/bench/src/files.ts';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import {
  ENTRIES,
  edsCheckCrl,
  edsCrlApi,
  ensureFiles,
  FIXTURE_DIR,
  LOOKUPS,
  type Lookups,
  lookups,
  opensslEnv,
  root,
} from './_crl-fixture';

const run = promisify(execFile);
/** Timed runs per in-process or OpenSSL subject (after one untimed run); the median is reported. */
const RUNS = 7;
const MIB = 2 ** 20;
/** Targets of issue 7: at most 2x OpenSSL's time, at most 3x the CRL's size in extra memory. */
const TIME_TARGET = 2;
const MEMORY_TARGET = 3;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

interface Probe {
  mode: string;
  crlBytes: number;
  seconds: number;
  rssBeforeBytes: number;
  maxRssBytes: number;
  /** PKI.js only: seconds per isCertificateRevoked call (a scan of every entry). */
  scanSeconds?: number;
}

/** Runs _crl-memory.ts in a fresh child Node (with tsx) and reads its report. */
function probe(mode: string): Promise<Probe> {
  return runProbe(join(root, 'packages/verify/bench/_crl-memory.ts'), [mode], root);
}

/** `openssl crl -noout -CAfile` on `file`, timed as a child process; peak RSS through /usr/bin/time when present. */
async function opensslCrl(file: string): Promise<{ seconds: number; maxRssBytes?: number }> {
  const args = [
    'crl',
    '-in',
    join(FIXTURE_DIR, file),
    '-inform',
    'DER',
    '-noout',
    '-CAfile',
    join(FIXTURE_DIR, 'ca.pem'),
  ];
  const timed = statOk('/usr/bin/time');
  const start = performance.now();
  const { stdout, stderr } = timed
    ? await run('/usr/bin/time', ['-f', 'maxrss=%M', 'openssl', ...args], { env: opensslEnv() })
    : await run('openssl', args, { env: opensslEnv() });
  const seconds = (performance.now() - start) / 1000;
  if (!/verify OK/.test(`${stdout}${stderr}`)) throw new Error(`openssl crl did not verify:\n${stdout}${stderr}`);
  const kb = /maxrss=(\d+)/.exec(stderr)?.[1];
  return { seconds, ...(kb ? { maxRssBytes: Number(kb) * 1024 } : {}) };
}

function statOk(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

let fixture: { bytes: Uint8Array; lookups: Lookups } | undefined;
const need = () => {
  if (!fixture) throw new Error('setup did not run');
  return fixture;
};

/** Median seconds of `fn` over RUNS runs, after one untimed run. */
async function timeInProcess(fn: (bytes: Uint8Array, l: Lookups) => Promise<void>): Promise<number> {
  const f = need();
  await fn(f.bytes, f.lookups);
  const times: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await fn(f.bytes, f.lookups);
    times.push((performance.now() - start) / 1000);
  }
  return median(times);
}

const figures: {
  eds?: number;
  edsApi?: number;
  openssl?: number;
  opensslMaxRss?: number;
  opensslStartup?: number;
  memory?: Probe;
  pkijs?: Probe;
} = {};

const mb = (n: number) => `${(n / MIB).toFixed(1)} MiB`;
const EDS = `eds parseCrl + checkCrl x${LOOKUPS} (signature and index once)`;

function report(crlBytes: number): void {
  const { eds, openssl, memory, pkijs, opensslStartup, opensslMaxRss, edsApi } = figures;
  if (eds === undefined || openssl === undefined || !memory) return;
  const timeRatio = eds / openssl;
  const extra = memory.maxRssBytes - memory.rssBeforeBytes;
  const memoryRatio = extra / crlBytes;
  const lines = [
    `CRL of ${ENTRIES.toLocaleString('en-US')} entries, ${crlBytes.toLocaleString('en-US')} bytes (${mb(crlBytes)}); ${LOOKUPS} lookups, half listed:`,
    `  eds checkCrl, in process:        ${(eds * 1000).toFixed(1)} ms (median of ${RUNS})`,
    ...(edsApi === undefined ? [] : [`  eds Crl API, in process:         ${(edsApi * 1000).toFixed(1)} ms`]),
    `  openssl crl -noout -CAfile:      ${(openssl * 1000).toFixed(1)} ms per process (median of ${RUNS})` +
      (opensslStartup === undefined
        ? ''
        : `, of which ~${(opensslStartup * 1000).toFixed(1)} ms start-up (1-entry CRL)`),
    `  time: eds / openssl = ${timeRatio.toFixed(2)}x (target <= ${TIME_TARGET}x): ${timeRatio <= TIME_TARGET ? 'met' : 'NOT met'}`,
    `  eds checkCrl in a child process: ${(memory.seconds * 1000).toFixed(1)} ms cold, peak RSS ${mb(memory.maxRssBytes)}, ` +
      `${mb(memory.rssBeforeBytes)} before reading the CRL: extra ${mb(extra)} = ${memoryRatio.toFixed(2)}x the CRL ` +
      `(target <= ${MEMORY_TARGET}x): ${memoryRatio <= MEMORY_TARGET ? 'met' : 'NOT met'}`,
    ...(opensslMaxRss === undefined ? [] : [`  openssl crl peak RSS: ${mb(opensslMaxRss)} (whole process)`]),
    ...(pkijs
      ? [
          `  pkijs in a child process: ${pkijs.seconds.toFixed(2)} s, peak RSS ${mb(pkijs.maxRssBytes)} ` +
            `(extra ${mb(pkijs.maxRssBytes - pkijs.rssBeforeBytes)} = ${((pkijs.maxRssBytes - pkijs.rssBeforeBytes) / crlBytes).toFixed(1)}x the CRL); ` +
            `${(pkijs.seconds / eds).toFixed(0)}x eds's time; lookups through a Set of serials built by the caller, ` +
            `as PKI.js's isCertificateRevoked scans every entry: ${((pkijs.scanSeconds ?? Number.NaN) * 1000).toFixed(0)} ms per call, ` +
            `~${((pkijs.scanSeconds ?? Number.NaN) * LOOKUPS).toFixed(0)} s for ${LOOKUPS}`,
        ]
      : []),
  ];
  console.log(`${lines.join('\n')}\n`);
  const json = {
    file: 'packages/verify/bench/crl.bench.ts',
    crlBytes,
    entries: ENTRIES,
    lookups: LOOKUPS,
    ...figures,
    timeRatio,
    timeTargetMet: timeRatio <= TIME_TARGET,
    extraMemoryBytes: extra,
    memoryRatio,
    memoryTargetMet: memoryRatio <= MEMORY_TARGET,
  };
  writeFileSync(join(root, 'bench-results', 'crl-100k-targets.json'), `${JSON.stringify(json, null, 2)}\n`);
}

let crlBytes = 0;

export default [
  defineBench({
    title: `CRL of ${ENTRIES.toLocaleString('en-US')} entries from openssl ca: parse, verify the signature, look up ${LOOKUPS} serials`,
    baseline: EDS,
    // Runs take from milliseconds to many seconds (PKI.js): every subject is timed here, not by tinybench.
    subjects: {},
    setup: async () => {
      const dir = await ensureFiles();
      const bytes = new Uint8Array(readFileSync(join(dir, 'crl.der')));
      crlBytes = bytes.length;
      fixture = { bytes, lookups: lookups(dir) };
    },
    external: {
      [EDS]: async () => {
        figures.eds = await timeInProcess(edsCheckCrl);
        return 1 / figures.eds;
      },
      'eds parseCrl + verifySignature + Crl.isRevoked': async () => {
        figures.edsApi = await timeInProcess(edsCrlApi);
        return 1 / figures.edsApi;
      },
      'openssl crl -noout -CAfile (process)': async () => {
        await opensslCrl('crl.der');
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push(await opensslCrl('crl.der'));
        figures.openssl = median(runs.map((r) => r.seconds));
        const rss = runs.flatMap((r) => (r.maxRssBytes === undefined ? [] : [r.maxRssBytes]));
        if (rss.length) figures.opensslMaxRss = median(rss);
        return 1 / figures.openssl;
      },
      'openssl crl, 1-entry CRL (start-up cost)': async () => {
        const runs = [];
        for (let i = 0; i < RUNS; i++) runs.push((await opensslCrl('tiny.der')).seconds);
        figures.opensslStartup = median(runs);
        return 1 / figures.opensslStartup;
      },
      'eds checkCrl, cold child process (time in process)': async () => {
        figures.memory = await probe('eds-check');
        return 1 / figures.memory.seconds;
      },
      'pkijs 4 (asn1js), child process, one run, caller-built Set': async () => {
        figures.pkijs = await probe('pkijs');
        return 1 / figures.pkijs.seconds;
      },
    },
    teardown: () => report(crlBytes),
  }),
];
