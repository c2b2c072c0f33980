// OpenSSL's own throughput for a digest or cipher of the GOST provider, the native reference of the benchmarks.
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

/**
 * Measures `algorithm` with `openssl speed` on 16 KiB buffers (its largest default size, where
 * per-call overhead is negligible) and converts the result to operations per second on inputs of
 * `bytesPerOp` bytes. The gost provider of the Debian package libengine-gost-openssl is loaded on
 * the command line, so the tests' OPENSSL_CONF (the engine) is left out.
 */
export async function opensslSpeed(algorithm: string, bytesPerOp: number): Promise<number> {
  const env = { ...process.env };
  delete env.OPENSSL_CONF;
  const args = ['speed', '-provider', 'gostprov', '-provider', 'default', '-evp', algorithm];
  const { stdout } = await promisify(execFile)('openssl', [...args, '-bytes', '16384', '-seconds', '1'], { env });
  // The result line reads "md_gost12_256   174931.97k": thousands of bytes per second.
  const match = new RegExp(`^${algorithm}\\s+([\\d.]+)k\\s*$`, 'm').exec(stdout);
  if (!match?.[1]) throw new Error(`openssl speed printed no result for ${algorithm}:\n${stdout}`);
  return (Number(match[1]) * 1000) / bytesPerOp;
}
