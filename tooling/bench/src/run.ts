// Runs benchmark files (`packages/*/bench/*.bench.ts`): prints one table per benchmark with the
// peers side by side and writes the results as JSON under bench-results/ (git-ignored).
import { mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { pathToFileURL } from 'node:url';
import { type BenchSpec, formatBench, runBench } from './index.ts';

const root = new URL('../../../', import.meta.url).pathname;
const filters = process.argv.slice(2);

const files = readdirSync(join(root, 'packages')).flatMap((pkg) => {
  const dir = join(root, 'packages', pkg, 'bench');
  try {
    return readdirSync(dir)
      .filter((f) => f.endsWith('.bench.ts'))
      .map((f) => join(dir, f));
  } catch {
    return [];
  }
});
const selected = files.filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)));
if (selected.length === 0) {
  console.error(`bench: no benchmark files match ${filters.join(' ') || '(all)'}`);
  process.exit(1);
}

const outDir = join(root, 'bench-results');
mkdirSync(outDir, { recursive: true });
console.log(`bench: Node ${process.version}, ${selected.length} file(s); ratios are measured in this run\n`);
for (const file of selected) {
  const specs = (await import(pathToFileURL(file).href)).default as BenchSpec[];
  for (const spec of specs) {
    const result = await runBench(spec);
    console.log(`${formatBench(result)}\n`);
    const slug = result.title
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-|-$/g, '');
    writeFileSync(
      join(outDir, `${slug}.json`),
      `${JSON.stringify({ file: relative(root, file), ...result }, null, 2)}\n`,
    );
  }
}
console.log(`bench: results written to ${relative(process.cwd(), outDir) || '.'}/`);
