// @eds/core: formats and building of electronic signatures. Curated re-exports, no side effects;
// import subpaths (`@eds/core/x509`) to load only what you use. `@eds/core/testing` (a test CA)
// and `@eds/core/all-algorithms` (every algorithm) are entries of their own, not re-exported here.
export * from './algorithms';
export * from './asn1';
export * from './cades';
export * from './cms';
export * from './crl';
export * from './csr';
export * from './detect';
export * from './digests';
export * from './encoding';
export * from './errors';
export * from './extensions';
export * from './fetcher';
export * from './keys';
export * from './name';
export * from './ocsp';
export * from './oids';
export * from './pbe';
export * from './pkcs12';
export * from './signed-data';
export * from './signer';
export * from './tsp';
export type * from './types';
export * from './x509';
