// @eds/gost: GOST primitives. Curated re-exports, no side effects; import subpaths
// (`@eds/gost/streebog`) to load only what you use.
export * from './errors';
export * from './streebog';
