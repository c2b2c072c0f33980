// Detached CAdES-BES verification (RFC 5652 §5.4, verify()) of a 64 MiB file with GOST-256 and ECDSA P-256/SHA-256 against `openssl cms -verify`, and peak memory verifying generated 64 MiB and 1 GiB streams in a child process.
import { execFile } from 'node:child_process';
import { createReadStream, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { signCms } from '@eds/core/cms';
import { encodePem } from '@eds/core/encoding';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import { benchTempDir, opensslEnv, runProbe, writeLargeFile } from '../../../tooling/bench/src/files.ts';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { createTrustStore } from '../src/trust';
import { verify } from '../src/verify';

const MIB = 2 ** 20;
const FILE_SIZE = 64 * MIB;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '../../..');
const run = promisify(execFile);
/** The GOST engine is loaded by this configuration; plain OpenSSL runs without it. */
/** Runs per measurement; the median is reported. */
const RUNS = 3;
/** Issue 8 targets: our throughput over OpenSSL's, and the 1 GiB peak-RSS growth. */
const TARGETS = { 'gost2012-256': 0.3, 'ecdsa-p256': 0.5 } as const;
const MEMORY_LIMIT = 64 * 1e6;

type Alg = keyof typeof TARGETS;
const TITLES: Record<Alg, string> = {
  'gost2012-256': 'GOST-256 (Streebog-256)',
  'ecdsa-p256': 'ECDSA P-256 (SHA-256)',
};

const tempDir = () => benchTempDir('eds-verify-bench');

/** The 64 MiB document, written once. */
let documentPath: string | undefined;
function document(): string {
  documentPath ??= writeLargeFile(join(tempDir(), 'document.bin'), FILE_SIZE);
  return documentPath;
}

/** A root, a leaf and the detached signature over the document (made by @eds/core, checked by OpenSSL). */
interface Party {
  issued: IssuedCertificate;
  rootDer: Uint8Array;
  root: string;
  signature: Uint8Array;
  sig: string;
}

async function party(alg: Alg): Promise<Party> {
  const ca = await createTestCa({
    keySpec: alg === 'gost2012-256' ? { type: 'gost2012-256' } : { type: 'ecdsa', curve: 'P-256' },
  });
  const issued = await ca.issue();
  const dir = tempDir();
  const files = { root: join(dir, `${alg}-root.pem`), sig: join(dir, `${alg}.p7s`) };
  writeFileSync(files.root, encodePem('CERTIFICATE', ca.certificate));
  const signature = await signCms({
    content: createReadStream(document(), { highWaterMark: MIB }),
    signers: [issued.signer],
    detached: true,
  });
  writeFileSync(files.sig, signature);
  return { issued, rootDer: ca.certificate, signature, ...files };
}

/** `openssl cms -verify` of the detached signature, no revocation checking; returns the seconds taken. */
async function opensslVerify(alg: Alg, p: Party, content: string, sig = p.sig): Promise<number> {
  const args = ['cms', '-verify', '-binary', '-inform', 'DER', '-in', sig, '-content', content];
  const start = performance.now();
  await run('openssl', [...args, '-CAfile', p.root, '-purpose', 'any', '-out', '/dev/null'], {
    env: opensslEnv(alg === 'gost2012-256'),
  });
  return (performance.now() - start) / 1000;
}

/** verify() of the detached signature over the document read as a file stream, revocation off. */
async function ours(p: Party, content: string, signature = p.signature): Promise<number> {
  const start = performance.now();
  const report = await verify({
    signature,
    content: createReadStream(content, { highWaterMark: MIB }),
    trust: createTrustStore(p.rootDer),
    revocation: 'off',
  });
  const seconds = (performance.now() - start) / 1000;
  if (report.indication !== 'TOTAL_PASSED') throw new Error(`verify: ${JSON.stringify(report.signatures[0]?.checks)}`);
  return seconds;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] as number;
}

const throughput: Partial<Record<Alg, { ours: number; openssl: number }>> = {};

function verificationSpec(alg: Alg) {
  let p: Party | undefined;
  const need = () => p ?? Promise.reject(new Error('setup did not run'));
  const timed = async (fn: () => Promise<number>) => {
    const times: number[] = [];
    for (let i = 0; i < RUNS; i++) times.push(await fn());
    return 1 / median(times);
  };
  return defineBench({
    title: `Detached CAdES-BES verification of a 64 MiB file, ${TITLES[alg]}, revocation off`,
    bytesPerOp: FILE_SIZE,
    baseline: 'eds verify (file stream)',
    // seconds per operation: both sides are timed here, RUNS times in a row, and the median reported
    subjects: {},
    setup: async () => {
      p = await party(alg);
      // both sides accept the signature before anything is timed
      await opensslVerify(alg, p, document());
      await ours(p, document());
    },
    external: {
      'eds verify (file stream)': async () => {
        const party = await need();
        const ops = await timed(() => ours(party, document()));
        throughput[alg] = { ...(throughput[alg] ?? { openssl: Number.NaN }), ours: ops };
        return ops;
      },
      'openssl cms -verify (process)': async () => {
        const party = await need();
        const ops = await timed(() => opensslVerify(alg, party, document()));
        throughput[alg] = { ...(throughput[alg] ?? { ours: Number.NaN }), openssl: ops };
        return ops;
      },
    },
    teardown: () => {
      const t = throughput[alg];
      if (!t) return;
      const ratio = t.ours / t.openssl;
      console.log(
        `${TITLES[alg]}: eds/openssl throughput ${ratio.toFixed(2)}x (target >= ${TARGETS[alg]}x: ${
          ratio >= TARGETS[alg] ? 'met' : 'NOT MET'
        })\n`,
      );
    },
  });
}

// ---------------------------------------------------------------------------------------------
// Peak memory, in a fresh child process per size

interface MemoryProbe {
  bytes: number;
  algorithm: string;
  seconds: number;
  maxRssBytes: number;
  rssBeforeBytes: number;
  indication: string;
}

/** Runs _verify-memory.ts in a child Node (with tsx) on a generated stream of `bytes` and reads its report. */
function probe(bytes: number, alg: Alg): Promise<MemoryProbe> {
  return runProbe(join(here, '_verify-memory.ts'), [String(bytes), alg], root);
}

const MEMORY_ALG: Alg = 'ecdsa-p256';
const SIZES = { '64 MiB': 64 * MIB, '1 GiB': 1024 * MIB } as const;
const probes: Partial<Record<keyof typeof SIZES, MemoryProbe>> = {};
const mb = (n: number) => `${(n / MIB).toFixed(1)} MiB`;

function memorySpec() {
  const external = Object.fromEntries(
    Object.entries(SIZES).map(([label, bytes]) => [
      `eds verify, generated ${label} stream (child process)`,
      async () => {
        const r = await probe(bytes, MEMORY_ALG);
        if (r.indication !== 'TOTAL_PASSED') throw new Error(`_verify-memory.ts ${label}: ${r.indication}`);
        probes[label as keyof typeof SIZES] = r;
        return 1 / r.seconds;
      },
    ]),
  );
  return defineBench({
    title: `Verifying generated detached streams in a child process, ${TITLES[MEMORY_ALG]}: time per stream and peak RSS`,
    baseline: 'eds verify, generated 64 MiB stream (child process)',
    subjects: {},
    external,
    teardown: () => {
      const small = probes['64 MiB'];
      const large = probes['1 GiB'];
      if (!small || !large) return;
      const growth = large.maxRssBytes - large.rssBeforeBytes;
      const lines = [
        `Peak RSS (process.resourceUsage().maxRSS) of a child Node verifying a generated detached stream, ${TITLES[MEMORY_ALG]}:`,
        ...[small, large].map(
          (r) =>
            `  ${mb(r.bytes).padStart(12)} stream: peak RSS ${mb(r.maxRssBytes)} (${mb(r.rssBeforeBytes)} before verify, ` +
            `+${mb(r.maxRssBytes - r.rssBeforeBytes)}), ${(r.bytes / MIB / r.seconds).toFixed(1)} MiB/s`,
        ),
        `  1 GiB growth ${(growth / 1e6).toFixed(1)} MB (target <= ${MEMORY_LIMIT / 1e6} MB: ${
          growth <= MEMORY_LIMIT ? 'met' : 'NOT MET'
        })`,
      ];
      console.log(`${lines.join('\n')}\n`);
      writeFileSync(
        join(root, 'bench-results', 'verify-peak-memory.json'),
        `${JSON.stringify({ file: 'packages/verify/bench/verify.bench.ts', algorithm: MEMORY_ALG, probes: [small, large] }, null, 2)}\n`,
      );
    },
  });
}

export default [verificationSpec('gost2012-256'), verificationSpec('ecdsa-p256'), memorySpec()];
