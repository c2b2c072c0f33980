#!/usr/bin/env node
// `pnpm check:bundle`: bundles single subpath imports of the built packages with esbuild, as an
// application would, and fails when one pulls in modules it does not need (for example the
// cipher tables into a Streebog-only bundle, or PKCS#12 into a certificate parser). Run after `pnpm build`.
import { readFileSync } from 'node:fs';
import { build } from 'esbuild';

/** Subpath -> source modules (`<package>/<file in src/>`) that its bundle must not contain. */
const gost = (...names) => names.map((name) => `gost/${name}`);
const core = (...names) => names.map((name) => `core/${name}`);
const pkcs11 = (...names) => names.map((name) => `pkcs11/${name}`);
const CIPHERS = gost('kuznyechik', 'magma', 'gost28147', 'gost341194', 'modes', 'keywrap', 'legacy');
const SIGNATURES = gost('curves', 'gost3410', 'kdf', '_ec');
const except = (list, ...keep) => list.filter((name) => !keep.includes(name));
// What only PKCS#12, the test CA and certificate building need.
const CONTAINERS = core('pkcs12', 'pbe', '_des', '_rc2', '_pkcs12-kdf');
const BUILDING = core('testing', '_cert-builder', 'csr', 'signer');
const VIEWS = core('x509', 'crl', 'ocsp', 'name', 'extensions');
const RULES = {
  '@eds/gost/streebog': [...CIPHERS, ...SIGNATURES],
  '@eds/gost/gost3410': CIPHERS,
  '@eds/gost/kdf': CIPHERS,
  '@eds/gost/curves': [...CIPHERS, 'gost/streebog'],
  '@eds/gost/kuznyechik': [...except(CIPHERS, 'gost/kuznyechik'), ...SIGNATURES, 'gost/streebog'],
  '@eds/gost/magma': [...except(CIPHERS, 'gost/magma'), ...SIGNATURES, 'gost/streebog'],
  '@eds/gost/modes': [...except(CIPHERS, 'gost/modes'), ...SIGNATURES, 'gost/streebog'],
  '@eds/gost/gost28147': [...except(CIPHERS, 'gost/gost28147'), ...SIGNATURES, 'gost/streebog'],
  '@eds/gost/gost341194': [...except(CIPHERS, 'gost/gost341194', 'gost/gost28147'), ...SIGNATURES, 'gost/streebog'],
  '@eds/gost/keywrap': [...gost('gost341194', 'legacy'), ...SIGNATURES, 'gost/streebog'],
  '@eds/core/encoding': [...core('asn1', 'keys', 'algorithms'), ...VIEWS, ...CONTAINERS, ...BUILDING, ...SIGNATURES],
  '@eds/core/detect': [...core('keys', 'algorithms'), ...VIEWS, ...CONTAINERS, ...BUILDING, ...SIGNATURES],
  '@eds/core/x509': [...CONTAINERS, ...BUILDING, ...CIPHERS],
  '@eds/core/crl': [...CONTAINERS, ...BUILDING, ...CIPHERS],
  '@eds/core/keys': [...VIEWS, ...CONTAINERS, ...BUILDING, ...CIPHERS],
  '@eds/core/algorithms': [
    ...VIEWS,
    ...CONTAINERS,
    ...BUILDING,
    ...except(CIPHERS, 'gost/gost341194', 'gost/gost28147', 'gost/legacy'),
  ],
  '@eds/core/pkcs12': [...VIEWS, ...BUILDING],
  // Browsers get SHA-2 from @noble/hashes: the node:crypto variant of `#sha2` is for the node condition only.
  '@eds/core/digests': [
    ...core('_sha2.node'),
    ...CIPHERS.filter((c) => c !== 'gost/gost341194' && c !== 'gost/gost28147'),
  ],
  '@eds/core/cms': [
    ...CONTAINERS,
    ...core('testing', 'csr', 'x509', 'crl', 'ocsp'),
    ...except(CIPHERS, 'gost/gost341194', 'gost/gost28147', 'gost/legacy'),
  ],
  '@eds/core/tsp': [...CONTAINERS, ...BUILDING, ...core('crl', 'ocsp')],
  '@eds/core/signed-data': [...CONTAINERS, ...BUILDING, ...VIEWS, ...core('keys', 'algorithms')],
  // Rendering a report is text only: no ASN.1, no certificates, no cryptography.
  '@eds/verify/format': [
    ...core('asn1', 'encoding', 'algorithms', 'keys'),
    ...VIEWS,
    ...CONTAINERS,
    ...BUILDING,
    ...CIPHERS,
    ...SIGNATURES,
    'gost/streebog',
  ],
  // Path validation builds and signs nothing and needs no ciphers (GOST R 34.11-94 and 28147 come
  // with the legacy GOST 2001 verifier of the default algorithm set).
  '@eds/verify/path': [
    ...CONTAINERS,
    ...BUILDING,
    ...except(CIPHERS, 'gost/gost341194', 'gost/gost28147', 'gost/legacy'),
  ],
  // A browser page gets the bridges, the software adapter and tokenSigner, never the Node PKCS#11
  // adapter and its worker, nor the test CA.
  '@eds/pkcs11': [...pkcs11('pkcs11', '_pkcs11-worker', 'mechanisms'), ...core('testing', '_cert-builder', 'csr')],
  // The error classes alone: no certificates, keys or cryptography.
  '@eds/pkcs11/errors': [...core('asn1', 'keys', 'algorithms'), ...VIEWS, ...CONTAINERS, ...SIGNATURES],
  '@eds/pkcs11/selection': [...CONTAINERS, ...BUILDING, ...pkcs11('pkcs11', '_pkcs11-worker', 'software')],
  '@eds/pkcs11/ncalayer': [...CONTAINERS, ...BUILDING, ...pkcs11('pkcs11', '_pkcs11-worker', 'software')],
};

let failed = false;
for (const [entry, forbidden] of Object.entries(RULES)) {
  const result = await build({
    // Resolved from a package that depends on @eds/gost, through its exports map to dist/, as an
    // application would; the root tsconfig's source paths are not used.
    stdin: { contents: `export * from '${entry}';`, resolveDir: 'packages/cli', loader: 'js' },
    tsconfigRaw: '{}',
    bundle: true,
    write: false,
    format: 'esm',
    platform: 'browser',
    metafile: true,
    logLevel: 'silent',
  });
  const inputs = Object.keys(result.metafile.inputs).filter((path) =>
    /packages\/(gost|core|verify|pkcs11)\/dist\//.test(path),
  );
  const output = result.outputFiles[0]?.text ?? '';
  // With code splitting a module's code may sit in a shared chunk, so ask each bundled dist
  // file's source map which source modules it holds.
  const sources = inputs.flatMap((path) => {
    const pkg = /packages\/(\w+)\/dist\//.exec(path)?.[1];
    return JSON.parse(readFileSync(`${path}.map`, 'utf8')).sources.map((source) => `${pkg}:${source}`);
  });
  const bad = forbidden.filter((module) => {
    const [pkg, name] = module.split('/');
    return sources.some((source) => source.startsWith(`${pkg}:`) && source.endsWith(`src/${name}.ts`));
  });
  const size = (output.length / 1024).toFixed(1);
  if (bad.length > 0) {
    failed = true;
    console.error(`FAIL ${entry}: bundle (${size} KiB) contains ${bad.join(', ')}`);
  } else {
    console.log(`ok   ${entry}: ${size} KiB, none of ${forbidden.join(', ')}`);
  }
}
if (failed) process.exit(1);
console.log('check:bundle: every subpath bundles only what it uses');
