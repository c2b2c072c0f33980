// @eds/verify: verification of signatures and certificate paths. Curated re-exports.
export * from './fetcher';
