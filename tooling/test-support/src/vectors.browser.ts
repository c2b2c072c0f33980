// Reads corpus files in the browser through a command served by the vitest server.
import { commands } from 'vitest/browser';

declare module 'vitest/browser' {
  interface BrowserCommands {
    readVector(relative: string): Promise<string>;
    readFixture(relative: string): Promise<string>;
  }
}

/** Bytes of a file under ../shared/vectors, fetched from the test server. */
export async function readVector(relative: string): Promise<Uint8Array> {
  const b64 = await commands.readVector(relative);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}

/** Text (UTF-8) of a corpus file. */
export async function readVectorText(relative: string): Promise<string> {
  return new TextDecoder().decode(await readVector(relative));
}

/** Bytes of a package's own fixture (`packages/<name>/test/vectors/...`), fetched from the test server. */
export async function readFixture(relative: string): Promise<Uint8Array> {
  const b64 = await commands.readFixture(relative);
  return Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
}
