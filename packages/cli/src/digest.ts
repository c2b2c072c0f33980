// `eds digest`: streaming Streebog digests (GOST R 34.11-2012) of files, printed like sha256sum.
import { hexEncode } from '@eds/core/encoding';
import { streebog256, streebog512 } from '@eds/gost/streebog';

/** Digest algorithms the CLI offers. */
export const DIGESTS = { streebog256, streebog512 } as const;
export type DigestName = keyof typeof DIGESTS;

/** Whether `name` is a digest the CLI knows. */
export function isDigestName(name: string): name is DigestName {
  return Object.hasOwn(DIGESTS, name);
}

/**
 * Hashes a stream chunk by chunk, so input of any size uses constant memory.
 *
 * @example
 * ```ts
 * const digest = await digestStream('streebog256', createReadStream('doc.pdf'));
 * ```
 */
export async function digestStream(
  name: DigestName,
  source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>,
): Promise<Uint8Array> {
  const hash = DIGESTS[name].create();
  for await (const chunk of source) hash.update(chunk);
  return hash.digest();
}

/** One output line in the `sha256sum` format: hex, two spaces, the file name. */
export function formatDigestLine(digest: Uint8Array, file: string): string {
  return `${hexEncode(digest)}  ${file}`;
}
