// @eds/core: formats and building of electronic signatures. Curated re-exports, no side effects.
export * from './asn1';
export * from './detect';
export * from './encoding';
export * from './errors';
export type * from './types';
