// @eds/cli as a library: run the `eds` command in-process (used by tests and embedders).

export { type DigestName, digestStream, formatDigestLine } from './digest';
export { type CliIo, run } from './main';
