// @eds/verify: verification of signatures and certificate paths. Curated re-exports; every module is also its own subpath.

export { createMemoryCache, type RevocationCache } from './cache';
export { type CrlCheckOptions, checkCrl, checkCrls } from './crl-check';
export * from './errors';
export * from './fetcher';
export { type FormatOptions, formatReport, type ReportLanguage } from './format';
export { checkOcsp, createOcspRequest, type OcspCheckOptions, ocspGetUrl } from './ocsp-check';
export { buildPath, PathBuildError } from './path';
export type {
  ChainEntry,
  Check,
  CheckCode,
  CheckOutcome,
  Identity,
  Indication,
  RevocationReport,
  SignatureFormat,
  SignatureReport,
  SubIndication,
  TimestampReport,
  VerificationReport,
} from './report';
export { createRevocationChecker, type RevocationCheckerOptions } from './revocation';
export { createTrustStore, type TrustInput, type TrustStoreOptions } from './trust';
export type * from './types';
export { validatePath } from './validate';
export { type CollectValidationDataOptions, collectValidationData, validationDataSource } from './validation-data';
export { type VerifyOptions, verify } from './verify';
export { type VerifyXmlOptions, verifyXml, type XmlVerificationResult } from './verify-xml';
