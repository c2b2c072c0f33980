// @eds/pkcs11: token adapters (PKCS#11, software keys, browser bridges). Curated re-exports of the
// isomorphic modules; the Node PKCS#11 adapter is its own subpath, `@eds/pkcs11/pkcs11`.
export {
  CRYPTOPRO_STORE,
  type CryptoProAdapter,
  type CryptoProAdapterOptions,
  createCryptoProAdapter,
} from './cryptopro';
export * from './errors';
export { createNcaLayerAdapter, type NcaLayerAdapter, type NcaLayerAdapterOptions } from './ncalayer';
export { createRutokenAdapter, type RutokenAdapter, type RutokenAdapterOptions } from './rutoken';
export { defaultScheme, keyAlgorithmOf, keyAlgorithmOfCertificate, signatureAlgorithmFor } from './schemes';
export {
  type CertificateStatus,
  type CertificateSummary,
  compareSelected,
  type SelectedCertificate,
  type SelectionCriteria,
  type SelectionWarning,
  selectCertificates,
} from './selection';
export { type AddPkcs8Options, type AddPkcs12Options, createSoftwareAdapter, type SoftwareAdapter } from './software';
export { type TokenSignerOptions, tokenSigner } from './token-signer';
export type * from './types';
