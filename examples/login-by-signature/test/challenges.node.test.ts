// The challenge store and the account table on their own: single use, expiry, memory bounds; identifier forms and conflicts.
import { describe, expect, it } from 'vitest';
import { AccountTableError, createAccountTable, parseAccounts } from '../src/accounts.ts';
import { createChallengeStore } from '../src/challenges.ts';

function clock(start = Date.parse('2026-03-01T09:00:00Z')) {
  let t = start;
  return {
    now: () => new Date(t),
    advance: (ms: number) => {
      t += ms;
    },
  };
}

describe('challenge store', () => {
  it('issues unique challenges with readable text and takes each once', () => {
    const c = clock();
    const store = createChallengeStore({ portal: 'gosuslugi.test', now: c.now });
    const a = store.issue();
    const b = store.issue();
    if (!a || !b) throw new Error('not issued');
    expect(a.challenge.text).toBe(
      `Вход на портал gosuslugi.test, 2026-03-01T09:00:00.000Z, nonce ${a.challenge.nonce}`,
    );
    expect(new TextDecoder().decode(a.challenge.bytes)).toBe(a.challenge.text);
    expect(Buffer.from(a.challenge.nonce, 'base64url')).toHaveLength(32);
    expect(a.challenge.nonce).not.toBe(b.challenge.nonce);
    expect(a.pendingId).not.toBe(b.pendingId);
    expect(a.challenge.expiresAt.getTime() - a.challenge.issuedAt.getTime()).toBe(5 * 60_000);
    expect(store.take(a.pendingId)).toEqual({ ok: true, challenge: a.challenge });
    expect(store.take(a.pendingId)).toEqual({ ok: false, reason: 'CHALLENGE_REPLAYED' });
    expect(store.take('no-such-id')).toEqual({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
  });

  it('refuses a challenge after its lifetime, also on a second try, and forgets it a lifetime later', () => {
    const c = clock();
    const store = createChallengeStore({ portal: 'p', ttlMs: 1_000, now: c.now });
    const a = store.issue();
    if (!a) throw new Error('not issued');
    c.advance(1_000);
    const b = store.issue();
    if (!b) throw new Error('not issued');
    expect(store.take(b.pendingId).ok).toBe(true); // exactly at expiry: still good
    c.advance(1);
    expect(store.take(a.pendingId)).toEqual({ ok: false, reason: 'CHALLENGE_EXPIRED' });
    expect(store.take(a.pendingId)).toEqual({ ok: false, reason: 'CHALLENGE_REPLAYED' });
    c.advance(1_000);
    expect(store.take(a.pendingId)).toEqual({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
    expect(store.size).toBe(1);
  });

  it('one client flooding /challenge only forgets its own challenges, never those of others', () => {
    const c = clock();
    const store = createChallengeStore({ portal: 'p', maxPending: 100, maxPerClient: 4, now: c.now });
    const visitor = store.issue('198.51.100.7');
    for (let i = 0; i < 10_000; i++) store.issue('203.0.113.9');
    expect(store.size).toBe(5);
    expect(store.take(visitor.pendingId).ok).toBe(true);
  });

  it('holds at most maxPending challenges: the oldest is forgotten, never a refusal', () => {
    const c = clock();
    const store = createChallengeStore({ portal: 'p', ttlMs: 1_000, maxPending: 2, now: c.now });
    const first = store.issue('a');
    store.issue('b');
    const third = store.issue('c');
    expect(store.size).toBe(2);
    expect(store.take(first.pendingId)).toEqual({ ok: false, reason: 'CHALLENGE_UNKNOWN' });
    expect(store.take(third.pendingId).ok).toBe(true);
    expect(() => createChallengeStore({ portal: '' })).toThrow(RangeError);
    expect(() => createChallengeStore({ portal: 'p', ttlMs: 0 })).toThrow(RangeError);
  });
});

describe('account table', () => {
  const table = createAccountTable([
    { id: 'a', name: 'A', snils: '112-233-445 95', inn: '500100732259' },
    { id: 'b', name: 'B', inn: '7707-0832-8931' },
  ]);

  it('finds by SNILS in any spelling first, then by INN', () => {
    expect(table.find({ snils: '11223344595' })?.account.id).toBe('a');
    expect(table.find({ snils: '11223344595', inn: '770708328931' })).toMatchObject({ by: 'snils' });
    expect(table.find({ snils: '99999999999', inn: '770708328931' })).toMatchObject({
      account: { id: 'b' },
      by: 'inn',
    });
    expect(table.find({ snils: '1122334459', inn: undefined })).toBeUndefined();
    expect(table.find({})).toBeUndefined();
  });

  it('refuses bad entries and identifiers linked twice', () => {
    expect(() => createAccountTable([{ id: 'x', name: 'X' }])).toThrow(AccountTableError);
    expect(() => createAccountTable([{ id: 'x', name: 'X', snils: '123' }])).toThrow(/11 digits/);
    expect(() =>
      createAccountTable([
        { id: 'x', name: 'X', snils: '11223344595' },
        { id: 'y', name: 'Y', snils: '112 233 445 95' },
      ]),
    ).toThrow(/linked to both x and y/);
    expect(() => parseAccounts('{')).toThrow(/not JSON/);
    expect(() => parseAccounts('{}')).toThrow(/array/);
    expect(
      parseAccounts('[{"id":"1","name":"N","inn":"500100732259"}]').find({ inn: '500100732259' })?.account.name,
    ).toBe('N');
  });
});
