// Tests of the service settings: flags over EDS_* variables over defaults, trust anchors and CRLs from files and directories, and clear refusals.
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encodePem } from '@eds/core/encoding';
import { createTestCa } from '@eds/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ConfigError, isPublicHost, loadConfig } from '../src/config.ts';

let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'eds-verify-config-'));
  const a = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  const b = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' }, profile: 'plain' });
  writeFileSync(join(dir, 'a.pem'), encodePem('CERTIFICATE', a.certificate) + encodePem('CERTIFICATE', b.certificate));
  writeFileSync(join(dir, 'c.der'), (await createTestCa({ profile: 'plain' })).certificate);
  writeFileSync(join(dir, 'notes.txt'), 'not a certificate');
  writeFileSync(join(dir, 'a.crl'), await a.createCrl());
  mkdirSync(join(dir, 'bad'));
  writeFileSync(join(dir, 'bad', 'empty.pem'), 'nothing here');
  writeFileSync(join(dir, 'bad', 'none.pem'), encodePem('PRIVATE KEY', new Uint8Array([0x30, 0])));
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('loadConfig', () => {
  it('reads a directory of anchors, CRLs and the defaults from the environment', () => {
    const config = loadConfig([], { EDS_TRUST: dir, EDS_CRL: join(dir, 'a.crl'), EDS_OFFLINE: '1' });
    expect(config.trust.anchors).toHaveLength(3);
    expect(config.revocationData?.crls).toHaveLength(1);
    expect(config.fetcher).toBeUndefined();
    expect(config).toMatchObject({ port: 8080, host: '127.0.0.1', revocation: 'require', maxDocumentBytes: 50 << 20 });
  });

  it('prefers flags to variables, resolves relative paths from INIT_CWD, and goes online by default', () => {
    const config = loadConfig(
      ['--', '--trust', 'a.pem', '--port', '0', '--revocation', 'prefer', '--max-signature', '2048'],
      {
        INIT_CWD: dir,
        EDS_TRUST: '/nowhere',
        EDS_PORT: '9999',
      },
    );
    expect(config.trust.anchors).toHaveLength(2);
    expect(config).toMatchObject({ port: 0, revocation: 'prefer', maxSignatureBytes: 2048 });
    expect(config.fetcher).toBeDefined();
  });

  it.each([
    [[], {}, /no trust anchors/],
    [['--trust', 'missing.pem'], { INIT_CWD: '/' }, /no such file/],
    [[], { EDS_TRUST: 'bad/empty.pem' }, /neither PEM nor DER/],
    [[], { EDS_TRUST: 'bad/none.pem' }, /no certificates found/],
    [['--revocation', 'maybe'], { EDS_TRUST: 'a.pem' }, /require, prefer or off/],
    [['--max-document', '0'], { EDS_TRUST: 'a.pem' }, /positive integer/],
    [['--port', '70000'], { EDS_TRUST: 'a.pem' }, /bad port/],
    [['--unknown'], { EDS_TRUST: 'a.pem' }, /Unknown option/],
  ] as const)('refuses %j %j', (args, env, message) => {
    const withDir = { INIT_CWD: dir, ...env };
    expect(() => loadConfig(args, withDir)).toThrow(ConfigError);
    expect(() => loadConfig(args, withDir)).toThrow(message);
  });
});

describe('isPublicHost (OCSP and CRL URLs come from certificates)', () => {
  it.each([
    ['http://ocsp.example.ru/ocsp', true],
    ['http://93.158.134.3/crl', true],
    ['http://[2a02:6b8::2:242]/crl', true],
    ['http://localhost:8080/', false],
    ['http://ca.localhost/', false],
    ['http://127.0.0.1/', false],
    ['http://10.1.2.3/', false],
    ['http://172.20.0.1/', false],
    ['http://192.168.1.1/', false],
    ['http://169.254.169.254/latest/meta-data', false],
    ['http://100.64.0.1/', false],
    ['http://0.0.0.0/', false],
    ['http://[::1]/', false],
    ['http://[fd00::1]/', false],
    ['http://[fe80::1]/', false],
    ['http://[::ffff:127.0.0.1]/', false],
  ])('%s → %s', (url, expected) => {
    expect(isPublicHost(new URL(url))).toBe(expected);
  });
});
