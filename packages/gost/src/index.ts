// @eds/gost: GOST primitives. Curated re-exports, no side effects; import subpaths
// (`@eds/gost/streebog`) to load only what you use.
export * from './curves';
export * from './errors';
export * from './gost3410';
export * from './gost28147';
export * from './gost341194';
export * from './kdf';
export * from './keywrap';
export * from './kuznyechik';
export * from './legacy';
export * from './magma';
export * from './modes';
export * from './streebog';
