// The network boundary of verification: the Fetcher of @eds/core/fetcher, re-exported so that
// `@eds/verify/fetcher` keeps working (ARCHITECTURE.md, "Security posture"). Named, not `export *`:
// the bundler drops a star re-export of another package from a shared chunk.

export type { FetchErrorCode, Fetcher, FetcherOptions, FetchRequest, FetchResponse } from '@eds/core/fetcher';
export { createFetcher, FetchError } from '@eds/core/fetcher';
