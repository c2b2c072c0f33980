// Benchmark harness: every subject of a benchmark is measured in the same run, so ratios hold
// on a shared machine where absolute times drift. Not published.
import { Bench } from 'tinybench';

/** One benchmark: several subjects doing the same work, compared against `baseline`. */
export interface BenchSpec {
  /** Title of the printed table and the JSON file name. */
  title: string;
  /** Bytes processed by one call, for a MB/s column (omit for operations). */
  bytesPerOp?: number;
  /** The subject the ratios are relative to (usually the SDK itself). */
  baseline: string;
  /** Subject name to a function doing one unit of work. A subject may be async. */
  subjects: Record<string, () => unknown>;
  /** Milliseconds to measure each subject (default 1000). */
  time?: number;
  /** Optional one-time preparation (run before measuring); its errors fail the benchmark. */
  setup?: () => Promise<void> | void;
  /** Optional cleanup after measuring. */
  teardown?: () => Promise<void> | void;
  /**
   * Subjects measured outside tinybench (for example an external tool that reports its own
   * throughput). Each returns operations per second.
   */
  external?: Record<string, () => Promise<number>>;
}

/** A measured row. */
export interface BenchRow {
  subject: string;
  opsPerSecond: number;
  mbPerSecond?: number;
  /** Subject speed divided by the baseline's: > 1 means faster than the baseline. */
  ratioToBaseline: number;
  samples: number;
}

export interface BenchResult {
  title: string;
  baseline: string;
  bytesPerOp?: number;
  rows: BenchRow[];
  node: string;
  date: string;
}

/** Declares a benchmark (identity function, for type checking of bench files). */
export function defineBench(spec: BenchSpec): BenchSpec {
  return spec;
}

/** Runs one benchmark and returns its rows. */
export async function runBench(spec: BenchSpec): Promise<BenchResult> {
  await spec.setup?.();
  try {
    const bench = new Bench({ time: spec.time ?? 1000, warmupTime: 200 });
    for (const [name, fn] of Object.entries(spec.subjects)) bench.add(name, fn);
    await bench.run();
    const measured: Array<{ subject: string; ops: number; samples: number }> = bench.tasks.map((task) => {
      const r = task.result;
      if (r?.state !== 'completed') {
        throw new Error(`benchmark "${spec.title}": subject "${task.name}" failed: ${describe(r)}`);
      }
      return { subject: task.name, ops: r.throughput.mean, samples: r.latency.samplesCount };
    });
    for (const [name, fn] of Object.entries(spec.external ?? {})) {
      measured.push({ subject: name, ops: await fn(), samples: 1 });
    }
    const base = measured.find((m) => m.subject === spec.baseline);
    if (!base) throw new Error(`benchmark "${spec.title}": no baseline subject "${spec.baseline}"`);
    const rows = measured.map((m) => ({
      subject: m.subject,
      opsPerSecond: m.ops,
      ...(spec.bytesPerOp ? { mbPerSecond: (m.ops * spec.bytesPerOp) / 1e6 } : {}),
      ratioToBaseline: m.ops / base.ops,
      samples: m.samples,
    }));
    return {
      title: spec.title,
      baseline: spec.baseline,
      ...(spec.bytesPerOp ? { bytesPerOp: spec.bytesPerOp } : {}),
      rows,
      node: process.version,
      date: new Date().toISOString(),
    };
  } finally {
    await spec.teardown?.();
  }
}

function describe(result: unknown): string {
  if (result && typeof result === 'object' && 'error' in result) return String(result.error);
  return 'no result';
}

/** Renders a result as a fixed-width table, with `baseline / subject` ratios. */
export function formatBench(result: BenchResult): string {
  // The last column reads "the baseline is N times as fast as this subject".
  const header = ['subject', 'ops/s', ...(result.bytesPerOp ? ['MB/s'] : []), `${result.baseline} speed-up`];
  const lines = result.rows.map((r) => [
    r.subject,
    fmt(r.opsPerSecond),
    ...(r.mbPerSecond !== undefined ? [fmt(r.mbPerSecond)] : []),
    r.subject === result.baseline ? '(baseline)' : `${fmt(1 / r.ratioToBaseline)}x`,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...lines.map((l) => (l[i] ?? '').length)));
  const row = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ');
  return [
    `## ${result.title}${result.bytesPerOp ? ` (${result.bytesPerOp} bytes per op)` : ''}`,
    row(header),
    row(widths.map((w) => '-'.repeat(w))),
    ...lines.map(row),
  ].join('\n');
}

function fmt(n: number): string {
  if (n >= 100) return Math.round(n).toLocaleString('en-US');
  return n.toFixed(n >= 10 ? 1 : 2);
}
