// Test support for the OpenSSL interop tests of @eds/core (Node only): output of failing commands, PEM files, and what `-text` shows of a Russian subject.
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import { openssl } from '@eds/test-support/openssl';
import { expect } from 'vitest';

/** The subject identifiers the interop tests put into requests and certificates (valid check digits). */
export const RUSSIAN_IDS = { inn: '500100732259', snils: '11223344595', ogrn: '1027700132195' } as const;

/**
 * OpenSSL's output of a command that may exit non-zero: stdout and stderr together, with
 * `EXIT-NONZERO` appended on failure (some OpenSSL 3.0 commands report a failed check but exit 0).
 */
export async function outputOf(args: string[], cwd?: string): Promise<string> {
  return openssl(args, { cwd }).then(
    (r) => new TextDecoder().decode(r.stdout) + r.stderr,
    (e: { stdout: Uint8Array; stderr: string }) => `${new TextDecoder().decode(e.stdout)}${e.stderr}\nEXIT-NONZERO`,
  );
}

/** Writes each DER certificate to `<dir>/<name>.pem`. */
export async function writeCertificates(dir: string, certificates: Record<string, Uint8Array>): Promise<void> {
  for (const [name, der] of Object.entries(certificates)) {
    await writeFile(join(dir, `${name}.pem`), encodePem('CERTIFICATE', der));
  }
}

/** Checks that `openssl ... -text -nameopt utf8,sep_comma_plus` output shows the Russian subject and the subject sign tool. */
export function expectRussianSubject(text: string): void {
  expect(text).toContain(`INN=${RUSSIAN_IDS.inn}`);
  expect(text).toContain(`SNILS=${RUSSIAN_IDS.snils}`);
  expect(text).toContain(`OGRN=${RUSSIAN_IDS.ogrn}`);
  expect(text).toContain('C=RU');
  expect(text).toContain('CN=Иванов Иван Иванович');
  expect(text).toContain('Signing Tool of Subject');
  expect(text).toContain('Class of Signing Tool KC1');
}
