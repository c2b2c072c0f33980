#!/usr/bin/env node
// Enforces the dependency direction of ARCHITECTURE.md: gost <- core <- verify, pkcs11 <- cli.
// Fails on an upward or sideways import, on an import of a package the manifest does not
// declare, and on a manifest dependency that breaks the order. Prints what it checked.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';

const root = new URL('..', import.meta.url).pathname;

/** What each package may depend on (other @eds packages). */
const allowed = {
  '@eds/gost': [],
  '@eds/core': ['@eds/gost'],
  '@eds/verify': ['@eds/gost', '@eds/core'],
  '@eds/pkcs11': ['@eds/gost', '@eds/core'],
  '@eds/cli': ['@eds/gost', '@eds/core', '@eds/verify', '@eds/pkcs11'],
};

const problems = [];
let files = 0;
let imports = 0;

function* walk(dir) {
  for (const name of readdirSync(dir)) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) yield* walk(path);
    else if (/\.(ts|tsx|mts|cts|js|mjs)$/.test(name)) yield path;
  }
}

const specifier =
  /(?:^|[\s;])(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)|require\(\s*['"]([^'"]+)['"]\s*\)/g;

for (const dir of readdirSync(join(root, 'packages'))) {
  const manifest = JSON.parse(readFileSync(join(root, 'packages', dir, 'package.json'), 'utf8'));
  const name = manifest.name;
  const may = allowed[name];
  if (!may) {
    problems.push(`packages/${dir}: ${name} has no place in the dependency order (scripts/check-deps.mjs)`);
    continue;
  }
  const declared = new Set([
    ...Object.keys(manifest.dependencies ?? {}),
    ...Object.keys(manifest.peerDependencies ?? {}),
    ...Object.keys(manifest.optionalDependencies ?? {}),
    // package imports (`#sha2`) resolve inside the package itself
    ...Object.keys(manifest.imports ?? {}),
  ]);
  for (const dep of declared) {
    if (dep.startsWith('@eds/') && !may.includes(dep))
      problems.push(`${name}/package.json depends on ${dep}: not allowed`);
  }
  for (const file of walk(join(root, 'packages', dir, 'src'))) {
    files++;
    const text = readFileSync(file, 'utf8');
    for (const m of text.matchAll(specifier)) {
      const spec = m[1] ?? m[2] ?? m[3];
      if (spec.startsWith('.') || spec.startsWith('node:')) continue;
      imports++;
      const pkg = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0];
      const where = relative(root, file);
      if (pkg === name) problems.push(`${where}: imports its own package by name (${spec}); use a relative import`);
      else if (pkg.startsWith('@eds/') && !may.includes(pkg))
        problems.push(`${where}: ${name} must not import ${spec}`);
      else if (!declared.has(pkg)) problems.push(`${where}: imports ${spec} but ${name} does not declare ${pkg}`);
    }
  }
}

if (problems.length) {
  console.error(`check-deps: ${problems.length} problem(s)\n${problems.map((p) => `  ${p}`).join('\n')}`);
  process.exit(1);
}
console.log(`check-deps: ${files} source files, ${imports} package imports, dependency order respected`);
