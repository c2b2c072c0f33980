// GOST R 34.10-2012 sign and verify (RFC 7091 §6) on tc26-256-b and tc26-512-a: ours, the pure-JS crypto-gost-js, and OpenSSL's gost engine.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { bytesToHex, hexToBytes, utf8ToBytes } from '@noble/hashes/utils.js';
import { defineBench } from '../../../tooling/bench/src/index.ts';
import { getCurve } from '../src/curves';
import { getPublicKey, sign, verify } from '../src/gost3410';
import { streebog256, streebog512 } from '../src/streebog';
import { loadPeer, type PeerSigner } from './_peer';

const peer = loadPeer();
const message = utf8ToBytes('GOST R 34.10-2012 benchmark message');

/** The two parameter sets: ours by name, the peer's by its own name, OpenSSL's genpkey options. */
const SETS = {
  256: {
    title: 'GOST-256 (tc26-256-b / CryptoPro-A)',
    curve: getCurve('tc26-256-b'),
    peerCurve: 'S-256-A',
    digest: streebog256(message),
    genpkey: ['-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A'],
  },
  512: {
    title: 'GOST-512 (tc26-512-a)',
    curve: getCurve('tc26-512-a'),
    peerCurve: 'T-512-A',
    digest: streebog512(message),
    genpkey: ['-algorithm', 'gost2012_512', '-pkeyopt', 'paramset:A'],
  },
} as const;
type Bits = keyof typeof SETS;

/** A fixed private key below q (the top byte, last in little-endian order, is masked). */
function privateKeyFor(bits: Bits): Uint8Array {
  const seed = utf8ToBytes(`gost3410 bench key ${bits}`);
  const d = bits === 256 ? streebog256(seed) : streebog512(seed);
  d[d.length - 1] = (d[d.length - 1] ?? 0) & 0x3f;
  return d;
}

/** A copy as a standalone ArrayBuffer, the type the peer works on. */
function buf(bytes: Uint8Array): ArrayBuffer {
  return bytes.slice().buffer;
}

/**
 * Checks that ours and the peer compute the same thing with the same key: the same public key,
 * and each one's signature verifies with the other (and a tampered one with neither). Both use
 * the same byte layout (little-endian key and digest, s || r big-endian with `procreator: 'CP'`),
 * so nothing is converted.
 */
function checkAgreement(bits: Bits, privateKey: Uint8Array, publicKey: Uint8Array, signer: PeerSigner): void {
  const { curve, peerCurve, digest } = SETS[bits];
  const derive = peer.GostEngine.getGostSign({ ...peerAlgorithm(bits, peerCurve), ukm: buf(privateKey) });
  const peerPublic = new Uint8Array(derive.generateKey().publicKey);
  if (bytesToHex(peerPublic) !== bytesToHex(publicKey)) {
    throw new Error(`crypto-gost-js derives another public key on ${curve.name}`);
  }
  const theirs = new Uint8Array(signer.sign(buf(privateKey), buf(digest)));
  if (!verify(theirs, digest, publicKey, curve)) {
    throw new Error(`eds rejects a crypto-gost-js signature on ${curve.name}: ${bytesToHex(theirs)}`);
  }
  const ours = sign(digest, privateKey, curve);
  if (!signer.verify(buf(publicKey), buf(ours), buf(digest))) {
    throw new Error(`crypto-gost-js rejects an eds signature on ${curve.name}: ${bytesToHex(ours)}`);
  }
  const tampered = ours.slice();
  tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
  if (verify(tampered, digest, publicKey, curve) || signer.verify(buf(publicKey), buf(tampered), buf(digest))) {
    throw new Error(`a tampered signature verifies on ${curve.name}`);
  }
}

function peerAlgorithm(bits: Bits, namedCurve: string) {
  return { name: 'GOST R 34.10', version: 2012, length: bits, namedCurve, procreator: 'CP' } as const;
}

const run = promisify(execFile);
const here = dirname(fileURLToPath(import.meta.url));
/** The GOST engine is loaded by this configuration, for `openssl genpkey` and the C program. */
const opensslEnv = {
  ...process.env,
  OPENSSL_CONF: join(here, '../../../tooling/test-support/openssl-gost.cnf'),
};
let workDir: string | undefined;
let program: Promise<string> | undefined;

function tempDir(): string {
  if (!workDir) {
    const dir = mkdtempSync(join(tmpdir(), 'eds-gost3410-bench-'));
    process.on('exit', () => rmSync(dir, { recursive: true, force: true }));
    workDir = dir;
  }
  return workDir;
}

/** Compiles openssl-gost-sign.c once per run; fails loudly when libcrypto's headers are missing. */
function compileProgram(): Promise<string> {
  program ??= (async () => {
    const exe = join(tempDir(), 'openssl-gost-sign');
    const cc = process.env.CC ?? 'cc';
    try {
      await run(cc, ['-O2', '-o', exe, join(here, 'openssl-gost-sign.c'), '-lcrypto']);
    } catch (error) {
      const detail = (error as { stderr?: string }).stderr || String(error);
      throw new Error(
        `cannot compile openssl-gost-sign.c with ${cc} -lcrypto: it needs a C compiler and the OpenSSL ` +
          `headers and library (Debian package libssl-dev, see scripts/setup-system.sh):\n${detail}`,
      );
    }
    return exe;
  })();
  return program;
}

/**
 * OpenSSL's single-threaded sign or verify rate on a fresh key of the same parameter set. The
 * program prints one signature first; it must verify with ours under the key's public key (the
 * last 2 * byteLength bytes of its SubjectPublicKeyInfo: x || y, little-endian), so OpenSSL is
 * measured on the same curve, digest and byte conventions.
 */
async function opensslRate(bits: Bits, op: 'sign' | 'verify'): Promise<number> {
  const { curve, digest, genpkey } = SETS[bits];
  const exe = await compileProgram();
  const pem = join(tempDir(), `key-${bits}.pem`);
  await run('openssl', ['genpkey', ...genpkey, '-out', pem], { env: opensslEnv });
  const spki = await run('openssl', ['pkey', '-in', pem, '-pubout', '-outform', 'DER'], {
    env: opensslEnv,
    encoding: 'buffer',
  });
  const publicKey = new Uint8Array(spki.stdout.subarray(-2 * curve.byteLength));
  const { stdout } = await run(exe, [pem, bytesToHex(digest), op], { env: opensslEnv });
  const signature = /^signature ([0-9a-f]+)$/m.exec(stdout)?.[1];
  if (!signature || !verify(hexToBytes(signature), digest, publicKey, curve)) {
    throw new Error(`eds rejects OpenSSL's signature on ${curve.name}:\n${stdout}`);
  }
  const rate = new RegExp(`^${op} ([\\d.]+)$`, 'm').exec(stdout)?.[1];
  if (!rate) throw new Error(`openssl-gost-sign printed no ${op} rate:\n${stdout}`);
  return Number(rate);
}

function spec(bits: Bits, op: 'sign' | 'verify') {
  const { title, curve, peerCurve, digest } = SETS[bits];
  const privateKey = privateKeyFor(bits);
  const publicKey = getPublicKey(privateKey, curve);
  const signature = sign(digest, privateKey, curve);
  const signer = peer.GostEngine.getGostSign(peerAlgorithm(bits, peerCurve));
  const [peerPrivate, peerPublic, peerDigest, peerSignature] = [
    buf(privateKey),
    buf(publicKey),
    buf(digest),
    buf(signature),
  ] as const;
  const subjects =
    op === 'sign'
      ? {
          eds: () => sign(digest, privateKey, curve),
          'crypto-gost-js': () => signer.sign(peerPrivate, peerDigest),
        }
      : {
          eds: () => verify(signature, digest, publicKey, curve),
          'crypto-gost-js': () => signer.verify(peerPublic, peerSignature, peerDigest),
        };
  return defineBench({
    title: `${title} ${op}`,
    baseline: 'eds',
    subjects,
    setup: () => {
      checkAgreement(bits, privateKey, publicKey, signer);
      // The measured calls themselves must succeed, not fail fast.
      if (op === 'verify' && !(subjects.eds() && subjects['crypto-gost-js']())) {
        throw new Error(`the benchmarked signature does not verify on ${curve.name}`);
      }
    },
    external: { openssl: () => opensslRate(bits, op) },
  });
}

export default [spec(256, 'sign'), spec(256, 'verify'), spec(512, 'sign'), spec(512, 'verify')];
