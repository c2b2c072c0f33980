// The software token adapter over PKCS#12 and PKCS#8: entries, signatures checked with @eds/core
// verifySignature against the certificate's key, CMS and XML through tokenSigner; Node and Chromium.
import {
  ecdsaP1363ToDer,
  ecdsaSha256,
  ecdsaSha384,
  ed25519,
  gost2012_256,
  gost2012_512,
  rsaPkcs1Sha256,
  rsaPssSha256,
  verifySignature,
} from '@eds/core/algorithms';
import { der } from '@eds/core/asn1';
import { signCms } from '@eds/core/cms';
import { gostr3411_2012_256, gostr3411_2012_512, sha1, sha256, sha384 } from '@eds/core/digests';
import { encodePem } from '@eds/core/encoding';
import { DecodeError, KeyMismatchError, UnsupportedFormatError, WrongPasswordError } from '@eds/core/errors';
import { exportPrivateKey, parsePublicKey } from '@eds/core/keys';
import { encryptPrivateKeyInfo } from '@eds/core/pbe';
import { createPkcs12, parsePkcs12 } from '@eds/core/pkcs12';
import { createTestCa, type IssuedCertificate, type KeySpec, type TestCa } from '@eds/core/testing';
import type { DigestAlgorithm, SignatureAlgorithm } from '@eds/core/types';
import { parseCertificate } from '@eds/core/x509';
import { signXml } from '@eds/core/xmldsig';
import { KeyNotFoundError, MechanismNotSupportedError, TokenNotPresentError } from '@eds/pkcs11/errors';
import { createSoftwareAdapter } from '@eds/pkcs11/software';
import { tokenSigner } from '@eds/pkcs11/token-signer';
import type { CertificateEntry, HashAlg, SignatureScheme } from '@eds/pkcs11/types';
import { readFixture } from '@eds/test-support/vectors';
import { createTrustStore } from '@eds/verify/trust';
import { verify } from '@eds/verify/verify';
import { verifyXml } from '@eds/verify/verify-xml';
import { beforeAll, describe, expect, it } from 'vitest';

const PFX_DIR = 'packages/core/test/vectors/pkcs12';
const PASSWORD = 'Пароль для PFX 7';
const utf8 = (s: string) => new TextEncoder().encode(s);
const hex = (b: Uint8Array) => Array.from(b, (x) => x.toString(16).padStart(2, '0')).join('');

interface Case {
  name: string;
  spec: KeySpec;
  dialect: 'standard' | 'gost-tc26';
  scheme: SignatureScheme;
  algorithm: SignatureAlgorithm;
  digest?: DigestAlgorithm;
  p1363?: number;
}

const CASES: Case[] = [
  {
    name: 'GOST-256',
    spec: { type: 'gost2012-256' },
    dialect: 'gost-tc26',
    scheme: { name: 'GOST3410', hash: 'STREEBOG-256' },
    algorithm: gost2012_256,
    digest: gostr3411_2012_256,
  },
  {
    name: 'GOST-512',
    spec: { type: 'gost2012-512' },
    dialect: 'gost-tc26',
    scheme: { name: 'GOST3410', hash: 'STREEBOG-512' },
    algorithm: gost2012_512,
    digest: gostr3411_2012_512,
  },
  {
    name: 'ECDSA P-256',
    spec: { type: 'ecdsa', curve: 'P-256' },
    dialect: 'standard',
    scheme: { name: 'ECDSA', hash: 'SHA-256' },
    algorithm: ecdsaSha256,
    digest: sha256,
    p1363: 32,
  },
  {
    name: 'ECDSA P-384',
    spec: { type: 'ecdsa', curve: 'P-384' },
    dialect: 'standard',
    scheme: { name: 'ECDSA', hash: 'SHA-384' },
    algorithm: ecdsaSha384,
    digest: sha384,
    p1363: 48,
  },
  {
    name: 'RSA 2048 PKCS#1 v1.5',
    spec: { type: 'rsa', bits: 2048 },
    dialect: 'standard',
    scheme: { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' },
    algorithm: rsaPkcs1Sha256,
    digest: sha256,
  },
  { name: 'Ed25519', spec: { type: 'ed25519' }, dialect: 'standard', scheme: { name: 'EdDSA' }, algorithm: ed25519 },
];

let root: TestCa;
const leaves = new Map<string, IssuedCertificate>();

beforeAll(async () => {
  root = await createTestCa({ keySpec: { type: 'gost2012-256' }, profile: 'plain' });
  for (const c of CASES) leaves.set(c.name, await root.issue({ keySpec: c.spec, subject: { commonName: c.name } }));
}, 120_000);

const leaf = (name: string) => leaves.get(name) as IssuedCertificate;
const pfxOf = (l: IssuedCertificate, dialect: 'standard' | 'gost-tc26', friendlyName?: string) =>
  createPkcs12({
    key: { pkcs8: l.key.pkcs8 },
    certificates: [l.certificate, root.certificate],
    password: PASSWORD,
    dialect,
    friendlyName,
    iterations: 10,
  });

/** Independent check: @eds/core verifySignature with the certificate's public key (ECDSA from r‖s to DER). */
async function verifies(c: Case, certificate: Uint8Array, data: Uint8Array, signature: Uint8Array): Promise<boolean> {
  return verifySignature([c.algorithm], {
    algorithm: c.algorithm.identifier(),
    publicKey: parsePublicKey(parseCertificate(certificate).spki),
    data,
    signature: c.p1363 ? ecdsaP1363ToDer(signature) : signature,
  });
}

describe('software adapter: PKCS#12 from the test CA', () => {
  it.each(CASES)('$name: entry, data and digest signatures verify with the certificate key', async (c) => {
    const l = leaf(c.name);
    const adapter = createSoftwareAdapter();
    const added = await adapter.addPkcs12(await pfxOf(l, c.dialect, `key ${c.name}`), PASSWORD);
    expect(added).toHaveLength(1);
    const [token] = await adapter.listTokens();
    expect(token).toMatchObject({ provider: 'software', tokenId: 'software', present: true, loggedIn: false });
    const entries = await adapter.listCertificates({ provider: 'software', tokenId: 'software' });
    expect(entries).toEqual(added);
    const entry = entries[0] as CertificateEntry;
    expect(entry.certificate).toEqual(l.certificate);
    expect(entry.key.keyId).toBe(hex(sha1.digest(l.certificate)));
    expect(entry).toMatchObject({ storage: 'PKCS12', hasPrivateKey: true, label: `key ${c.name}` });
    expect(entry.keyAlgorithm.kind).toBe(
      { GOST3410: 'GOST2012', ECDSA: 'EC', 'RSASSA-PKCS1-v1_5': 'RSA', EdDSA: 'EdDSA', 'RSA-PSS': 'RSA' }[
        c.scheme.name
      ],
    );

    const data = utf8(`документ для ${c.name}`);
    // the key reference survives JSON
    const ref = JSON.parse(JSON.stringify(entry.key));
    const sig = await adapter.sign(ref, { type: 'data', data }, c.scheme);
    if (c.p1363) expect(sig).toHaveLength(2 * c.p1363);
    expect(await verifies(c, l.certificate, data, sig)).toBe(true);
    expect(await verifies(c, l.certificate, utf8('другой документ'), sig)).toBe(false);

    if (c.digest && c.scheme.name !== 'EdDSA') {
      const digest = c.digest.digest(data);
      const input = { type: 'digest' as const, digest, hash: c.scheme.hash };
      const dsig = await adapter.sign(entry.key, input, c.scheme);
      expect(await verifies(c, l.certificate, data, dsig)).toBe(true);
    } else {
      const input = { type: 'digest' as const, digest: new Uint8Array(64), hash: 'SHA-512' as HashAlg };
      await expect(adapter.sign(entry.key, input, c.scheme)).rejects.toBeInstanceOf(MechanismNotSupportedError);
    }
  });

  it('RSA-PSS with the hash-length salt verifies; a scheme that does not fit the key is refused', async () => {
    const l = leaf('RSA 2048 PKCS#1 v1.5');
    const adapter = createSoftwareAdapter({ label: 'files' });
    const [entry] = await adapter.addPkcs12(await pfxOf(l, 'standard'), PASSWORD);
    if (!entry) throw new Error('no entry');
    expect(entry.key.tokenId).toBe('files');
    expect(entry.label).toBe('RSA 2048 PKCS#1 v1.5'); // subject CN when the bag has no friendlyName
    const data = utf8('pss');
    const pss: SignatureScheme = { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 32 };
    const sig = await adapter.sign(entry.key, { type: 'data', data }, pss);
    const c: Case = {
      name: 'PSS',
      spec: { type: 'rsa', bits: 2048 },
      dialect: 'standard',
      scheme: pss,
      algorithm: rsaPssSha256,
    };
    expect(await verifies(c, l.certificate, data, sig)).toBe(true);
    const refused: SignatureScheme[] = [
      { name: 'ECDSA', hash: 'SHA-256' },
      { name: 'GOST3410', hash: 'STREEBOG-256' },
      { name: 'EdDSA' },
      { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-1' },
      { name: 'RSA-PSS', hash: 'SHA-256', saltLength: 20 },
    ];
    for (const scheme of refused) {
      await expect(adapter.sign(entry.key, { type: 'data', data }, scheme)).rejects.toBeInstanceOf(
        MechanismNotSupportedError,
      );
    }
    // a digest of another hash than the scheme's: the RangeError every adapter gives
    const wrongHash = { type: 'digest' as const, digest: sha384.digest(data), hash: 'SHA-384' as const };
    await expect(adapter.sign(entry.key, wrongHash, { name: 'RSASSA-PKCS1-v1_5', hash: 'SHA-256' })).rejects.toThrow(
      new RangeError('RSASSA-PKCS1-v1_5 with SHA-256: a SHA-384 digest was given'),
    );
  });

  it('GOST-512 key with a GOST-256 scheme is refused', async () => {
    const adapter = createSoftwareAdapter();
    const [entry] = await adapter.addPkcs12(await pfxOf(leaf('GOST-512'), 'gost-tc26'), PASSWORD);
    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    await expect(
      adapter.sign((entry as CertificateEntry).key, { type: 'data', data: utf8('x') }, scheme),
    ).rejects.toBeInstanceOf(MechanismNotSupportedError);
  });

  it('a wrong PFX password is a WrongPasswordError that does not quote the password', async () => {
    const adapter = createSoftwareAdapter();
    const pfx = await pfxOf(leaf('ECDSA P-256'), 'standard');
    const wrong = 'неверный-пароль-12345';
    const e = await adapter.addPkcs12(pfx, wrong).catch((x) => x);
    expect(e).toBeInstanceOf(WrongPasswordError);
    const text = `${e.message} ${String(e.cause?.message ?? '')} ${JSON.stringify(e)}`;
    expect(text).not.toContain(wrong);
    expect(text).not.toContain(PASSWORD);
    expect(await adapter.listCertificates({ provider: 'software', tokenId: 'software' })).toEqual([]);
  });

  it('several key bags give several entries; the same certificate twice keeps one entry', async () => {
    const a = leaf('GOST-256');
    const b = leaf('Ed25519');
    const adapter = createSoftwareAdapter();
    const entries = await adapter.addPkcs12(multiKeyPfx([bagOf(a, 1, 'first'), bagOf(b, 2, 'second')]), '');
    expect(entries.map((e) => e.certificate)).toEqual([a.certificate, b.certificate]);
    expect(entries.map((e) => e.label)).toEqual(['first', 'second']);
    const again = await adapter.addPkcs12(await pfxOf(a, 'gost-tc26'), PASSWORD);
    expect(again[0]?.key).toEqual(entries[0]?.key);
    expect(await adapter.listCertificates({ provider: 'software', tokenId: 'software' })).toHaveLength(2);
  });

  it('a PFX with a key but no matching certificate: KeyNotFoundError', async () => {
    const a = leaf('GOST-256');
    const pfx = await createPkcs12({
      key: { pkcs8: a.key.pkcs8 },
      certificates: [root.certificate],
      password: PASSWORD,
      dialect: 'gost-tc26',
      iterations: 10,
    });
    await expect(createSoftwareAdapter().addPkcs12(pfx, PASSWORD)).rejects.toBeInstanceOf(KeyNotFoundError);
  });
});

interface Bag {
  pkcs8: Uint8Array;
  certificate: Uint8Array;
  id: number;
  name: string;
}

/** A PFX without MAC whose one plain SafeContents holds keyBags and certBags (RFC 7292 §4.2), certificates in reverse. */
function multiKeyPfx(bags: Bag[]): Uint8Array {
  const attrs = (b: Bag) =>
    der.setOf(
      der.seq(der.oid('1.2.840.113549.1.9.21'), der.setOf(der.octets(Uint8Array.of(b.id)))),
      der.seq(der.oid('1.2.840.113549.1.9.20'), der.setOf(der.bmp(b.name))),
    );
  const keyBag = (b: Bag) => der.seq(der.oid('1.2.840.113549.1.12.10.1.1'), der.explicit(0, b.pkcs8), attrs(b));
  const certBag = (b: Bag) =>
    der.seq(
      der.oid('1.2.840.113549.1.12.10.1.3'),
      der.explicit(0, der.seq(der.oid('1.2.840.113549.1.9.22.1'), der.explicit(0, der.octets(b.certificate)))),
      attrs(b),
    );
  const safe = der.seq(...bags.map(keyBag), ...[...bags].reverse().map(certBag));
  const data = (inner: Uint8Array) => der.seq(der.oid('1.2.840.113549.1.7.1'), der.explicit(0, der.octets(inner)));
  return der.seq(der.int(3), data(der.seq(data(safe))));
}

const bagOf = (l: IssuedCertificate, id: number, name: string): Bag => ({
  pkcs8: l.key.pkcs8,
  certificate: l.certificate,
  id,
  name,
});

describe('software adapter: PKCS#12 corpus files', () => {
  it('R 50.1.112-2016 example (TC26 dialect): a GOST 2012 entry whose signature verifies', async () => {
    const pfx = await readFixture(`${PFX_DIR}/r50-1-112.pfx`);
    const adapter = createSoftwareAdapter();
    const [entry, ...rest] = await adapter.addPkcs12(pfx, 'Пароль для PFX');
    expect(rest).toEqual([]);
    if (!entry) throw new Error('no entry');
    expect(entry.keyAlgorithm.kind).toBe('GOST2012');
    expect(entry.storage).toBe('PKCS12');
    expect(entry.key.keyId).toBe(hex(sha1.digest(entry.certificate)));
    const bits = entry.keyAlgorithm.kind === 'GOST2012' ? entry.keyAlgorithm.bits : 0;
    const c = CASES.find((x) => x.name === `GOST-${bits}`) as Case;
    const data = utf8('R 50.1.112-2016');
    const sig = await adapter.sign(entry.key, { type: 'data', data }, c.scheme);
    expect(await verifies(c, entry.certificate, data, sig)).toBe(true);
  });

  it('CryptoPro GOST 2001 PFX: the key cannot sign, MechanismNotSupportedError', async () => {
    const pfx = await readFixture(`${PFX_DIR}/bc-gost2001.pfx`);
    const adapter = createSoftwareAdapter();
    await expect(adapter.addPkcs12(pfx, '1')).rejects.toBeInstanceOf(MechanismNotSupportedError);
    await expect(adapter.addPkcs12(pfx, '2')).rejects.toBeInstanceOf(WrongPasswordError);
  });

  it('a file with a GOST 2001 key and a GOST 2012 key: only the 2012 key is added', async () => {
    const legacy = await parsePkcs12(await readFixture(`${PFX_DIR}/bc-gost2001.pfx`), '1');
    const old = legacy.keys[0]?.pkcs8 as Uint8Array;
    const oldCert = legacy.certificates.find((c) => c.localKeyId)?.der ?? (legacy.certificates[0]?.der as Uint8Array);
    const g = leaf('GOST-256');
    const pfx = multiKeyPfx([{ pkcs8: old, certificate: oldCert, id: 1, name: '2001' }, bagOf(g, 2, '2012')]);
    const entries = await createSoftwareAdapter().addPkcs12(pfx, '');
    expect(entries.map((e) => [e.label, e.certificate])).toEqual([['2012', g.certificate]]);
  });

  it("CryptoPro's proprietary key bag stays @eds/core's UnsupportedFormatError", async () => {
    const alg = der.seq(der.oid('1.2.840.113549.1.12.1.80'), der.seq(der.octets(new Uint8Array(32)), der.int(2000)));
    const bag = der.seq(
      der.oid('1.2.840.113549.1.12.10.1.2'),
      der.explicit(0, der.seq(alg, der.octets(new Uint8Array(80)))),
    );
    const ci = der.seq(der.oid('1.2.840.113549.1.7.1'), der.explicit(0, der.octets(der.seq(bag))));
    const pfx = der.seq(der.int(3), der.seq(der.oid('1.2.840.113549.1.7.1'), der.explicit(0, der.octets(der.seq(ci)))));
    await expect(createSoftwareAdapter().addPkcs12(pfx, 'x')).rejects.toBeInstanceOf(UnsupportedFormatError);
  });
});

describe('software adapter: PKCS#8', () => {
  it('PEM key and PEM certificate; encrypted PKCS#8 with its password; entries are PKCS8', async () => {
    const l = leaf('ECDSA P-256');
    const g = leaf('GOST-512');
    const adapter = createSoftwareAdapter();
    const e1 = await adapter.addPkcs8(exportPrivateKey(l.key, 'pem'), encodePem('CERTIFICATE', l.certificate));
    const epki = await encryptPrivateKeyInfo(g.key.pkcs8, 'ключ', { iterations: 10 });
    const e2 = await adapter.addPkcs8(encodePem('ENCRYPTED PRIVATE KEY', epki), g.certificate, {
      password: 'ключ',
      label: 'мой ключ',
    });
    expect([e1.storage, e2.storage]).toEqual(['PKCS8', 'PKCS8']);
    expect(e2.label).toBe('мой ключ');
    const data = utf8('pkcs8');
    const c1 = CASES.find((x) => x.name === 'ECDSA P-256') as Case;
    const c2 = CASES.find((x) => x.name === 'GOST-512') as Case;
    expect(await verifies(c1, l.certificate, data, await adapter.sign(e1.key, { type: 'data', data }, c1.scheme))).toBe(
      true,
    );
    expect(await verifies(c2, g.certificate, data, await adapter.sign(e2.key, { type: 'data', data }, c2.scheme))).toBe(
      true,
    );
    const wrong = await adapter.addPkcs8(epki, g.certificate, { password: 'не тот' }).catch((x) => x);
    expect(wrong).toBeInstanceOf(WrongPasswordError);
    expect(wrong.message).not.toContain('не тот');
  });

  it('an encrypted key without its password is a DecodeError (ERR_DECODE_ENCRYPTED)', async () => {
    const g = leaf('GOST-256');
    const epki = await encryptPrivateKeyInfo(g.key.pkcs8, 'p', { iterations: 10 });
    const e = await createSoftwareAdapter()
      .addPkcs8(encodePem('ENCRYPTED PRIVATE KEY', epki), g.certificate)
      .catch((x) => x);
    expect(e).toBeInstanceOf(DecodeError);
    expect(e.code).toBe('ERR_DECODE_ENCRYPTED');
  });

  it('a certificate of another key is a KeyMismatchError', async () => {
    const adapter = createSoftwareAdapter();
    const l = leaf('ECDSA P-256');
    await expect(adapter.addPkcs8(l.key.pkcs8, leaf('ECDSA P-384').certificate)).rejects.toBeInstanceOf(
      KeyMismatchError,
    );
  });
});

describe('software adapter: token semantics', () => {
  it('login/logout track loggedIn; unknown key, other token, abort, close', async () => {
    const l = leaf('GOST-256');
    const adapter = createSoftwareAdapter({ label: 'диск' });
    const token = { provider: 'software', tokenId: 'диск' } as const;
    const [entry] = await adapter.addPkcs12(await pfxOf(l, 'gost-tc26'), PASSWORD);
    if (!entry) throw new Error('no entry');
    expect(adapter.capabilities).toMatchObject({
      enumerateTokens: true,
      pinRetries: 'none',
      pinEntry: 'caller',
      rawSign: { data: true, digest: true },
      tokenEvents: false,
    });
    expect([...adapter.capabilities.algorithms].sort()).toEqual(['EC', 'EdDSA', 'GOST2012', 'RSA']);
    await adapter.login(token, '1234');
    expect((await adapter.getTokenInfo(token)).loggedIn).toBe(true);
    await adapter.logout(token);
    expect((await adapter.getTokenInfo(token)).loggedIn).toBe(false);

    const scheme: SignatureScheme = { name: 'GOST3410', hash: 'STREEBOG-256' };
    const data = { type: 'data' as const, data: utf8('x') };
    await expect(adapter.sign({ ...entry.key, keyId: '00'.repeat(20) }, data, scheme)).rejects.toBeInstanceOf(
      KeyNotFoundError,
    );
    await expect(adapter.sign({ ...entry.key, tokenId: 'software' }, data, scheme)).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
    await expect(adapter.getTokenInfo({ provider: 'pkcs11', tokenId: 'диск' })).rejects.toBeInstanceOf(
      TokenNotPresentError,
    );
    const wrongLength = { type: 'digest' as const, digest: new Uint8Array(31), hash: 'STREEBOG-256' as const };
    const e = await adapter.sign(entry.key, wrongLength, scheme).catch((x) => x);
    expect(e).toBeInstanceOf(RangeError); // as in every adapter, not a provider failure
    expect(e.message).toBe(`${scheme.name} with STREEBOG-256: expected a 32-byte digest, got 31 bytes`);

    const ac = new AbortController();
    ac.abort();
    await expect(adapter.sign(entry.key, data, scheme, { signal: ac.signal })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const reason = new Error('stop');
    await expect(adapter.listTokens({ signal: AbortSignal.abort(reason) })).rejects.toBe(reason);

    await adapter.close();
    await adapter.close();
    expect(await adapter.listTokens()).toEqual([]);
    await expect(adapter.listCertificates(token)).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(adapter.sign(entry.key, data, scheme)).rejects.toBeInstanceOf(TokenNotPresentError);
    await expect(adapter.addPkcs12(await pfxOf(l, 'gost-tc26'), PASSWORD)).rejects.toBeInstanceOf(TokenNotPresentError);
  });
});

describe('software adapter through tokenSigner', () => {
  const trust = () => createTrustStore(root.certificate);

  it.each(['GOST-256', 'GOST-512', 'ECDSA P-256', 'RSA 2048 PKCS#1 v1.5', 'Ed25519'])(
    '%s: signCms (CAdES-BES, detached) verifies TOTAL_PASSED',
    async (name) => {
      const adapter = createSoftwareAdapter();
      const c = CASES.find((x) => x.name === name) as Case;
      const [entry] = await adapter.addPkcs12(await pfxOf(leaf(name), c.dialect), PASSWORD);
      const signer = tokenSigner({ adapter, entry: entry as CertificateEntry });
      const content = utf8('Договор № 1 — подписано ключом из файла');
      const signature = await signCms({ content, signers: [signer], detached: true });
      const report = await verify({ signature, content, trust: trust(), revocation: 'off' });
      expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
      const tampered = await verify({ signature, content: utf8('другое'), trust: trust(), revocation: 'off' });
      expect(tampered.indication).not.toBe('TOTAL_PASSED');
    },
  );

  it.each(['GOST-256', 'ECDSA P-256'])('%s: signXml verifies TOTAL_PASSED with verifyXml', async (name) => {
    const adapter = createSoftwareAdapter();
    const c = CASES.find((x) => x.name === name) as Case;
    const [entry] = await adapter.addPkcs12(await pfxOf(leaf(name), c.dialect), PASSWORD);
    const signer = tokenSigner({ adapter, entry: entry as CertificateEntry });
    const document = '<doc:Order xmlns:doc="urn:example:doc"><doc:Item Id="i1">Поставка</doc:Item></doc:Order>';
    const xml = await signXml({ document, signer });
    const { report } = await verifyXml({ xml, trust: trust(), revocation: 'off' });
    expect(report.indication, JSON.stringify(report.signatures[0]?.checks)).toBe('TOTAL_PASSED');
    const forged = xml.replace('Поставка', 'Продажа');
    expect((await verifyXml({ xml: forged, trust: trust(), revocation: 'off' })).report.indication).not.toBe(
      'TOTAL_PASSED',
    );
  });
});
