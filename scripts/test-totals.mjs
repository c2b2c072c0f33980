#!/usr/bin/env node
// Prints the totals of the last test runs (vitest JSON reports in test-results/), one line per
// runtime and a closing "N passed, N failed" line. Exits 1 if a report is missing or empty.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

const dir = join(new URL('..', import.meta.url).pathname, 'test-results');
let passed = 0;
let failed = 0;
let skipped = 0;
let bad = false;
for (const runtime of ['node', 'browser']) {
  const file = join(dir, `${runtime}.json`);
  if (!existsSync(file)) {
    console.log(`${runtime}: no report (${file})`);
    bad = true;
    continue;
  }
  const r = JSON.parse(readFileSync(file, 'utf8'));
  const skip = r.numPendingTests + r.numTodoTests;
  console.log(
    `${runtime}: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skip} skipped in ${r.numTotalTestSuites} suites`,
  );
  if (r.numTotalTests === 0) bad = true;
  passed += r.numPassedTests;
  failed += r.numFailedTests;
  skipped += skip;
}
console.log(`${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(bad || failed ? 1 : 0);
