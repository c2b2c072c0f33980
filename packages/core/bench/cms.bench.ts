// Detached CAdES-BES signing (RFC 5652 §5, signCms) of a 64 MiB file with GOST-256 and ECDSA P-256: ours against `openssl cms -sign`, and peak memory on 64 MiB and 1 GiB streams (detached) and a 64 MiB stream (attached).
import { execFile } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { benchTempDir, opensslEnv, runProbe, writeLargeFile } from '../../../tooling/bench/src/files.ts';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { signCms } from '../src/cms';
import { encodePem } from '../src/encoding';
import { exportPrivateKey } from '../src/keys';
import { createTestCa, type IssuedCertificate } from '../src/testing';

const MIB = 2 ** 20;
const FILE_SIZE = 64 * MIB;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const run = promisify(execFile);
/** The GOST engine is loaded by this configuration; plain OpenSSL runs without it. */
/** Runs per measurement; the median is reported. */
const RUNS = 3;

type Alg = 'gost2012-256' | 'ecdsa-p256';
const TITLES: Record<Alg, string> = {
  'gost2012-256': 'GOST-256 (Streebog-256)',
  'ecdsa-p256': 'ECDSA P-256 (SHA-256)',
};

const tempDir = () => benchTempDir('eds-cms-bench');

/** The 64 MiB document, written once. */
let documentPath: string | undefined;
function document(): string {
  documentPath ??= writeLargeFile(join(tempDir(), 'document.bin'), FILE_SIZE);
  return documentPath;
}

/** A leaf certificate and key from a test CA, written as PEM for OpenSSL. */
interface Party {
  issued: IssuedCertificate;
  key: string;
  cert: string;
  root: string;
}

async function party(alg: Alg): Promise<Party> {
  const ca = await createTestCa({
    keySpec: alg === 'gost2012-256' ? { type: 'gost2012-256' } : { type: 'ecdsa', curve: 'P-256' },
  });
  const issued = await ca.issue();
  const dir = tempDir();
  const files = {
    key: join(dir, `${alg}-key.pem`),
    cert: join(dir, `${alg}-cert.pem`),
    root: join(dir, `${alg}-root.pem`),
  };
  writeFileSync(files.key, exportPrivateKey(issued.key, 'pem'));
  writeFileSync(files.cert, encodePem('CERTIFICATE', issued.certificate));
  writeFileSync(files.root, encodePem('CERTIFICATE', ca.certificate));
  return { issued, ...files };
}

/** `openssl cms -sign` detached (no -nodetach), signed attributes kept, DER out; returns the seconds taken. */
async function opensslSign(alg: Alg, p: Party, input: string, out: string): Promise<number> {
  const args = ['cms', '-sign', '-binary', '-in', input, '-signer', p.cert, '-inkey', p.key, '-outform', 'DER'];
  const start = performance.now();
  await run('openssl', [...args, '-out', out], { env: opensslEnv(alg === 'gost2012-256') });
  return (performance.now() - start) / 1000;
}

async function opensslVerify(alg: Alg, p: Party, sig: string, content: string): Promise<void> {
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', content, '-CAfile', p.root];
  await run('openssl', [...args, '-out', '/dev/null'], { env: opensslEnv(alg === 'gost2012-256') });
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

/** Signs `path` with ours, from a file stream, detached. */
function ours(p: Party, path: string): Promise<Uint8Array> {
  return signCms({
    content: createReadStream(path, { highWaterMark: MIB }),
    signers: [p.issued.signer],
    detached: true,
  });
}

function signingSpec(alg: Alg) {
  let p: Party | undefined;
  const need = () => p ?? Promise.reject(new Error('setup did not run'));
  return defineBench({
    title: `Detached CAdES-BES signing of a 64 MiB file, ${TITLES[alg]}`,
    bytesPerOp: FILE_SIZE,
    baseline: 'eds signCms (file stream)',
    // tinybench takes at least 64 samples, far too many at seconds each: both sides are timed
    // here, RUNS times in a row, and the median reported.
    subjects: {},
    setup: async () => {
      p = await party(alg);
      document();
      // Both sides make signatures OpenSSL accepts, before anything is timed.
      const small = join(tempDir(), 'small.txt');
      writeFileSync(small, 'a small document to check the set-up\n');
      const sig = join(tempDir(), `${alg}-check.p7s`);
      writeFileSync(sig, await ours(p, small));
      await opensslVerify(alg, p, sig, small);
      await opensslSign(alg, p, small, sig);
      await opensslVerify(alg, p, sig, small);
    },
    external: {
      'eds signCms (file stream)': async () => {
        const party = await need();
        const times: number[] = [];
        let cms: Uint8Array = new Uint8Array(0);
        for (let i = 0; i < RUNS; i++) {
          const start = performance.now();
          cms = await ours(party, document());
          times.push((performance.now() - start) / 1000);
        }
        const out = join(tempDir(), `${alg}-eds.p7s`);
        writeFileSync(out, cms);
        await opensslVerify(alg, party, out, document());
        return 1 / median(times);
      },
      'openssl cms -sign (process)': async () => {
        const party = await need();
        const out = join(tempDir(), `${alg}-openssl.p7s`);
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await opensslSign(alg, party, document(), out));
        await opensslVerify(alg, party, out, document());
        return 1 / median(times);
      },
      'openssl cms -sign, empty file (start-up cost)': async () => {
        const party = await need();
        const empty = join(tempDir(), 'empty.bin');
        writeFileSync(empty, new Uint8Array(0));
        const times: number[] = [];
        for (let i = 0; i < RUNS; i++) times.push(await opensslSign(alg, party, empty, join(tempDir(), 'e.p7s')));
        return 1 / median(times);
      },
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Peak memory, in a fresh child process per size

interface MemoryProbe {
  bytes: number;
  algorithm: string;
  mode: string;
  seconds: number;
  maxRssBytes: number;
  rssBeforeBytes: number;
  cmsBytes: number;
}

/** Runs _memory.ts in a child Node (with tsx) on a generated stream of `bytes` and reads its report. */
function probe(bytes: number, alg: Alg, mode: 'detached' | 'attached'): Promise<MemoryProbe> {
  return runProbe(join(here, '_memory.ts'), [String(bytes), alg, mode], root);
}

const MEMORY_ALG: Alg = 'gost2012-256';
const SIZES = {
  '64 MiB': [64 * MIB, 'detached'],
  '1 GiB': [1024 * MIB, 'detached'],
  '64 MiB attached': [64 * MIB, 'attached'],
} as const;
const probes: Partial<Record<keyof typeof SIZES, MemoryProbe>> = {};
const mb = (n: number) => `${(n / MIB).toFixed(1)} MiB`;

function memorySpec() {
  const external = Object.fromEntries(
    Object.entries(SIZES).map(([label, [bytes, mode]]) => [
      `eds signCms, generated ${label} stream (child process)`,
      async () => {
        const r = await probe(bytes, MEMORY_ALG, mode);
        probes[label as keyof typeof SIZES] = r;
        return 1 / r.seconds;
      },
    ]),
  );
  return defineBench({
    title: `Signing generated streams in a child process, ${TITLES[MEMORY_ALG]}: time per stream and peak RSS`,
    baseline: 'eds signCms, generated 64 MiB stream (child process)',
    subjects: {},
    external,
    teardown: () => {
      const small = probes['64 MiB'];
      const large = probes['1 GiB'];
      const attached = probes['64 MiB attached'];
      if (!small || !large || !attached) return;
      const lines = [
        `Peak RSS (process.resourceUsage().maxRSS) of a child Node signing a generated stream, ${TITLES[MEMORY_ALG]}:`,
        ...[small, large, attached].map(
          (r) =>
            `  ${mb(r.bytes).padStart(12)} stream, ${r.mode}: peak RSS ${mb(r.maxRssBytes)} (${mb(r.rssBeforeBytes)} before signing), ` +
            `${(r.bytes / MIB / r.seconds).toFixed(1)} MiB/s, ${r.cmsBytes}-byte CMS`,
        ),
        `  16x the data, ${(large.maxRssBytes / small.maxRssBytes).toFixed(2)}x the peak RSS ` +
          `(+${mb(large.maxRssBytes - small.maxRssBytes)}) detached; attached holds the content once in the output: ` +
          `+${mb(attached.maxRssBytes - small.maxRssBytes)} over detached for 64 MiB`,
      ];
      console.log(`${lines.join('\n')}\n`);
      const json = {
        file: 'packages/core/bench/cms.bench.ts',
        algorithm: MEMORY_ALG,
        probes: [small, large, attached],
      };
      writeFileSync(join(root, 'bench-results', 'cms-signing-peak-memory.json'), `${JSON.stringify(json, null, 2)}\n`);
    },
  });
}

export default [signingSpec('gost2012-256'), signingSpec('ecdsa-p256'), memorySpec()];
