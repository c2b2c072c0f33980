// `eds keygen`: a new key pair written as PKCS#8 PEM (RFC 5958), GOST R 34.10-2012, ECDSA, RSA or Ed25519.
import { writeFile } from 'node:fs/promises';
import { parseArgs } from 'node:util';
import { exportPrivateKey, exportPublicKey, generateKeyPair, type KeySpec } from '@eds/core/keys';
import { type CliIo, UsageError } from './_cli';

/** `--alg` values and the keys they make. */
export const KEY_ALGORITHMS: Record<string, (paramSet?: string) => KeySpec> = {
  'gost2012-256': (paramSet) => ({ type: 'gost2012-256', paramSet }),
  'gost2012-512': (paramSet) => ({ type: 'gost2012-512', paramSet }),
  'ecdsa-p256': () => ({ type: 'ecdsa', curve: 'P-256' }),
  'ecdsa-p384': () => ({ type: 'ecdsa', curve: 'P-384' }),
  'ecdsa-p521': () => ({ type: 'ecdsa', curve: 'P-521' }),
  'rsa-2048': () => ({ type: 'rsa', bits: 2048 }),
  'rsa-3072': () => ({ type: 'rsa', bits: 3072 }),
  'rsa-4096': () => ({ type: 'rsa', bits: 4096 }),
  ed25519: () => ({ type: 'ed25519' }),
};

export const KEYGEN_USAGE = `  keygen --alg <${Object.keys(KEY_ALGORITHMS).join('|')}>
         [--paramset <name|oid>] --out <key.pem> [--pubout <pub.pem>] [--force]
                                                      new private key (PKCS#8 PEM, mode 0600)`;

/** Runs `eds keygen`; the private key file is created with mode 0600 and never overwritten unless `--force`. */
export async function keygenCommand(args: readonly string[], io: CliIo): Promise<number> {
  const { values } = parseArgs({
    args: [...args],
    options: {
      alg: { type: 'string' },
      paramset: { type: 'string' },
      out: { type: 'string', short: 'o' },
      pubout: { type: 'string' },
      force: { type: 'boolean', default: false },
    },
  });
  // Own properties only: `--alg constructor` or `--alg __proto__` is an unknown algorithm.
  const make =
    values.alg !== undefined && Object.hasOwn(KEY_ALGORITHMS, values.alg) ? KEY_ALGORITHMS[values.alg] : undefined;
  if (!make) throw new UsageError(`keygen needs --alg, one of ${Object.keys(KEY_ALGORITHMS).join(', ')}`);
  if (values.paramset && !values.alg?.startsWith('gost')) throw new UsageError('--paramset applies to GOST keys only');
  if (!values.out) throw new UsageError('keygen needs --out <file>');
  const key = await generateKeyPair(make(values.paramset));
  const flag = values.force ? 'w' : 'wx';
  await writeFile(values.out, exportPrivateKey(key, 'pem'), { mode: 0o600, flag });
  if (values.pubout) await writeFile(values.pubout, exportPublicKey(key.publicKey, 'pem'), { flag });
  const curve = key.publicKey.curveOid ? `, parameters ${key.publicKey.curveOid}` : '';
  io.stdout(`${values.alg} key (${key.publicKey.bits} bits${curve}) written to ${values.out}\n`);
  return 0;
}
