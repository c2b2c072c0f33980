// The network boundary of verification: the Fetcher of @eds/core/fetcher, re-exported so that
// `@eds/verify/fetcher` keeps working (ARCHITECTURE.md, "Security posture").
export * from '@eds/core/fetcher';
