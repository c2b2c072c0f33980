// The adapters' shared helpers (src/_shared.ts, internal): abort and timeout races, the token-event poller,
// the digest-input rule and the check of provider-built CMS (RFC 5652 §5.4, §11.2); Node and Chromium.
import { signCms } from '@eds/core/cms';
import { sha256 } from '@eds/core/digests';
import { parseSignedData } from '@eds/core/signed-data';
import { createTestCa, type IssuedCertificate } from '@eds/core/testing';
import { MechanismNotSupportedError, ProviderError } from '@eds/pkcs11/errors';
import type { SignatureScheme, TokenEvent } from '@eds/pkcs11/types';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkContainer, checkDigestInput, createPoller, raceAbort, throwIfAborted, withTimeout } from '../src/_shared';

const tick = (ms: number) => new Promise((r) => setTimeout(r, ms));
const never = <T>() => new Promise<T>(() => {});
const data = new TextEncoder().encode('the document');
const other = new TextEncoder().encode('another document');

let leaf: IssuedCertificate;
let stranger: IssuedCertificate;
beforeAll(async () => {
  const ca = await createTestCa({ keySpec: { type: 'ecdsa', curve: 'P-256' } });
  leaf = await ca.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' }, subject: { commonName: 'signer' } });
  stranger = await ca.issue({ keySpec: { type: 'ecdsa', curve: 'P-256' }, subject: { commonName: 'stranger' } });
}, 60_000);

describe('abort and timeout', () => {
  it('throwIfAborted throws the reason, or an AbortError without one', () => {
    expect(() => throwIfAborted(undefined)).not.toThrow();
    const reason = new Error('stop');
    expect(() => throwIfAborted(AbortSignal.abort(reason))).toThrow(reason);
    const ac = new AbortController();
    Object.defineProperty(ac.signal, 'reason', { value: undefined });
    ac.abort();
    expect(() => throwIfAborted(ac.signal)).toThrow(expect.objectContaining({ name: 'AbortError' }));
  });

  it('raceAbort rejects with the reason while the provider call is still pending, and drops its later rejection', async () => {
    const ac = new AbortController();
    let fail!: (e: unknown) => void;
    const provider = new Promise<string>((_, reject) => {
      fail = reject;
    });
    const p = raceAbort(provider, ac.signal);
    const reason = new Error('the user closed the dialog');
    ac.abort(reason);
    await expect(p).rejects.toBe(reason);
    fail(new Error('late plug-in failure')); // must not surface as an unhandled rejection
    await tick(0);
    await expect(raceAbort(never(), AbortSignal.abort(reason))).rejects.toBe(reason);
    await expect(raceAbort(Promise.resolve(7), ac.signal)).rejects.toBe(reason);
    await expect(raceAbort(Promise.resolve(7), undefined)).resolves.toBe(7);
    await expect(raceAbort(Promise.resolve(8), new AbortController().signal)).resolves.toBe(8);
  });

  it('withTimeout rejects with onTimeout() when the promise hangs and passes on what settles first', async () => {
    const late = new ProviderError('too slow');
    await expect(withTimeout(never(), 20, () => late)).rejects.toBe(late);
    await expect(withTimeout(Promise.resolve(1), 1000, () => late)).resolves.toBe(1);
    const own = new Error('own');
    await expect(withTimeout(Promise.reject(own), 1000, () => late)).rejects.toBe(own);
  });
});

describe('createPoller', () => {
  const steer = () => {
    const state = { present: ['A', 'B'] as string[], polls: 0, fail: false };
    const poller = createPoller({
      provider: 'x',
      intervalMs: 5,
      snapshot: async () => {
        state.polls++;
        if (state.fail) throw new Error('provider gone for a moment');
        return [...state.present];
      },
    });
    return { state, poller };
  };

  it('observe(): ids the adapter read anyway become the state, changes reported against them', async () => {
    const { state, poller } = steer();
    const seen: TokenEvent[] = [];
    poller.observe(['Z']); // nobody subscribed: ignored
    poller.subscribe((e) => seen.push(e));
    await tick(30);
    poller.observe(['A', 'B', 'C']);
    expect(seen).toEqual([{ type: 'inserted', token: { provider: 'x', tokenId: 'C' } }]);
    await tick(30); // the next poll sees A and B again: C is removed
    expect(seen.at(-1)).toEqual({ type: 'removed', token: { provider: 'x', tokenId: 'C' } });
    expect(state.polls).toBeGreaterThan(1);
    poller.close();
  });

  it('a listener that throws starves nobody and does not make the event repeat', async () => {
    const { state, poller } = steer();
    let thrown = 0;
    const seen: TokenEvent[] = [];
    poller.subscribe(() => {
      thrown++;
      throw new Error('listener bug');
    });
    poller.subscribe((e) => seen.push(e));
    await tick(30);
    state.present = ['A'];
    await tick(60);
    expect(seen).toEqual([{ type: 'removed', token: { provider: 'x', tokenId: 'B' } }]);
    expect(thrown).toBe(1);
    state.present = ['A', 'C'];
    await tick(60);
    expect(seen.map((e) => `${e.type} ${e.token.tokenId}`)).toEqual(['removed B', 'inserted C']);
    poller.close();
  });

  it('polls only while subscribed; a failed poll emits nothing; close() stops for good', async () => {
    const { state, poller } = steer();
    await tick(30);
    expect(state.polls).toBe(0);
    const seen: string[] = [];
    const off = poller.subscribe((e) => seen.push(`${e.type} ${e.token.tokenId}`));
    await tick(30);
    expect(state.polls).toBeGreaterThan(0);
    state.fail = true;
    await tick(30);
    expect(seen).toEqual([]);
    state.fail = false;
    off();
    const stopped = state.polls;
    await tick(30);
    expect(state.polls).toBe(stopped);
    poller.subscribe((e) => seen.push(`${e.type} ${e.token.tokenId}`));
    await tick(30);
    poller.close();
    const closed = state.polls;
    state.present = [];
    const after = poller.subscribe((e) => seen.push(`late ${e.type}`));
    await tick(40);
    after();
    expect(state.polls).toBe(closed);
    expect(seen).toEqual([]);
  });
});

describe('checkDigestInput: one rule for every adapter', () => {
  const ecdsa: SignatureScheme = { name: 'ECDSA', hash: 'SHA-256' };
  it('passes data and a digest of the right hash and size', () => {
    expect(() => checkDigestInput({ type: 'data', data }, ecdsa)).not.toThrow();
    expect(() =>
      checkDigestInput({ type: 'digest', digest: sha256.digest(data), hash: 'SHA-256' }, ecdsa),
    ).not.toThrow();
  });

  it('another hash or another length is a RangeError naming the scheme; EdDSA digests are MechanismNotSupported', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 80 }).filter((n) => n !== 32),
        (n) => {
          const run = () => checkDigestInput({ type: 'digest', digest: new Uint8Array(n), hash: 'SHA-256' }, ecdsa);
          expect(run).toThrow(RangeError);
          expect(run).toThrow(`ECDSA with SHA-256: expected a 32-byte digest, got ${n} bytes`);
        },
      ),
    );
    const wrongHash = () =>
      checkDigestInput({ type: 'digest', digest: new Uint8Array(32), hash: 'STREEBOG-256' }, ecdsa);
    expect(wrongHash).toThrow(RangeError);
    expect(wrongHash).toThrow('ECDSA with SHA-256: a STREEBOG-256 digest was given');
    expect(() =>
      checkDigestInput({ type: 'digest', digest: new Uint8Array(64), hash: 'SHA-512' }, { name: 'EdDSA' }),
    ).toThrow(MechanismNotSupportedError);
  });
});

describe('checkContainer', () => {
  const opts = (detached: boolean) => ({ detached, provider: 'test' });
  const cms = (content: Uint8Array, detached: boolean, signer = leaf) =>
    signCms({ content, signers: [signer.signer], detached });

  it('returns the DER of a good CMS, attached or detached, also from PEM text', async () => {
    const attached = await cms(data, false);
    expect(await checkContainer(attached, data, opts(false))).toEqual(attached);
    const detached = await cms(data, true);
    expect(await checkContainer(detached, data, opts(true))).toEqual(detached);
    const { encodePem } = await import('@eds/core/encoding');
    expect(await checkContainer(encodePem('CMS', detached), data, opts(true))).toEqual(detached);
  });

  it('a detached CMS over other data: the messageDigest does not match', async () => {
    const e = await checkContainer(await cms(other, true), data, opts(true)).catch((x) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toMatch(/messageDigest does not match the data/);
  });

  it('a changed signature does not verify; a CMS without the signer certificate is refused', async () => {
    const der = (await cms(data, true)).slice();
    const sd = parseSignedData(der);
    const sig = sd.signerInfos[0]?.signature as Uint8Array;
    const at = sig.byteOffset - sd.der.byteOffset + sig.length - 3;
    const bad = sd.der.slice();
    bad[at] = (bad[at] as number) ^ 0x01;
    const e = await checkContainer(bad, data, opts(true)).catch((x) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toMatch(/does not verify/);
    const bare = await signCms({
      content: data,
      signers: [leaf.signer],
      detached: true,
      includeCertificates: 'none',
      certificates: [stranger.certificate],
    });
    const e2 = await checkContainer(bare, data, opts(true)).catch((x) => x);
    expect(e2).toBeInstanceOf(ProviderError);
    expect(e2.message).toMatch(/without the signer's certificate/);
  });

  it('shape: malformed, attached where detached was asked and back, other attached content', async () => {
    const garbage = await checkContainer(new Uint8Array([0x30, 0x03, 0x02, 0x01, 0x01]), data, opts(true)).catch(
      (x) => x,
    );
    expect(garbage).toBeInstanceOf(ProviderError);
    expect(garbage.message).toMatch(/malformed CMS/);
    await expect(checkContainer(await cms(data, false), data, opts(true))).rejects.toThrow(ProviderError);
    await expect(checkContainer(await cms(data, true), data, opts(false))).rejects.toThrow(ProviderError);
    const e = await checkContainer(await cms(other, false), data, opts(false)).catch((x) => x);
    expect(e.message).toMatch(/other content/);
  });

  it("unknownAlgorithms 'skip' passes only a signer whose key @eds/core does not know, and still checks its messageDigest", async () => {
    // id-ecPublicKey 1.2.840.10045.2.1 in the embedded certificate turned into 1.2.840.10045.2.9 (no one's key)
    const unknownKey = (cms: Uint8Array) => {
      const out = cms.slice();
      const oid = [0x06, 0x07, 0x2a, 0x86, 0x48, 0xce, 0x3d, 0x02, 0x01];
      const i = out.findIndex((_, k) => oid.every((b, j) => out[k + j] === b));
      if (i < 0) throw new Error('no id-ecPublicKey');
      out[i + oid.length - 1] = 0x09;
      return out;
    };
    const skip = { detached: true, provider: 'test', unknownAlgorithms: 'skip' } as const;
    const good = unknownKey(await cms(data, true));
    expect(await checkContainer(good, data, skip)).toEqual(good);
    const e = await checkContainer(good, data, opts(true)).catch((x) => x);
    expect(e).toBeInstanceOf(ProviderError);
    expect(e.message).toMatch(/key cannot be checked/);
    const overOther = unknownKey(await cms(other, true));
    await expect(checkContainer(overOther, data, skip)).rejects.toThrow(/messageDigest does not match the data/);
    // a key @eds/core knows is verified even with 'skip'
    const der = (await cms(data, true)).slice();
    const sd = parseSignedData(der);
    const sig = sd.signerInfos[0]?.signature as Uint8Array;
    const bad = sd.der.slice();
    const at = sig.byteOffset - sd.der.byteOffset + sig.length - 3;
    bad[at] = (bad[at] as number) ^ 0x01;
    await expect(checkContainer(bad, data, skip)).rejects.toThrow(/does not verify/);
  });
});
