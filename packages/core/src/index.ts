// @eds/core: formats and building of electronic signatures. Curated re-exports, no side effects.
export * from './encoding';
export * from './errors';
