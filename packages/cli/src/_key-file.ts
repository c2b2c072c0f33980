// Loading a signing key from the files people have: PKCS#8 PEM/DER (plain or encrypted) or a PKCS#12 (.pfx/.p12).
import { readFile } from 'node:fs/promises';
import { detect } from '@eds/core/detect';
import { toDer } from '@eds/core/encoding';
import { KeyMismatchError } from '@eds/core/errors';
import { keysMatch, parsePrivateKey, parsePublicKey } from '@eds/core/keys';
import { decryptPrivateKeyInfo } from '@eds/core/pbe';
import { parsePkcs12 } from '@eds/core/pkcs12';
import { createSigner, signerFromPem, signerFromPkcs12 } from '@eds/core/signer';
import type { Signer } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { type CliIo, readPassword } from './_cli';

/**
 * A Signer from `--key` (and `--cert` when given). A password is asked for only when the file is
 * encrypted (PKCS#12, ENCRYPTED PRIVATE KEY), from `--password-env` or the terminal.
 */
export async function loadSigner(
  io: CliIo,
  keyFile: string,
  options: { certFile?: string | undefined; passwordEnv?: string | undefined },
): Promise<Signer> {
  const bytes = new Uint8Array(await readFile(keyFile));
  const cert = options.certFile === undefined ? undefined : new Uint8Array(await readFile(options.certFile));
  const [object] = detect(bytes).objects;
  if (object?.kind === 'pkcs12') {
    const password = await readPassword(io, options.passwordEnv, keyFile);
    if (!cert) return signerFromPkcs12(object.der, password);
    // A certificate given beside the PFX: the key in the file that it belongs to.
    for (const { pkcs8 } of (await parsePkcs12(object.der, password)).keys) {
      const key = parsePrivateKey(pkcs8);
      if (keysMatch(key, parsePublicKey(parseCertificate(cert).spki)))
        return createSigner({ key, certificate: toDer(cert) });
    }
    throw new KeyMismatchError(`${options.certFile} does not belong to any key in ${keyFile}`);
  }
  if (object?.kind === 'encrypted-private-key') {
    const pkcs8 = await decryptPrivateKeyInfo(object.der, await readPassword(io, options.passwordEnv, keyFile));
    return signerFromPem(pkcs8, cert);
  }
  return signerFromPem(bytes, cert);
}
