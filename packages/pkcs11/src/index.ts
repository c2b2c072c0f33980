// @eds/pkcs11: token adapters (PKCS#11, software keys, browser bridges). Curated re-exports.
export * from './errors';
