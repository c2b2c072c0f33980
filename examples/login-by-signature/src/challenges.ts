// One-time login challenges: 32 random bytes with an expiry, bound to a pending-login id, answered at most once; held in memory.
import { createHash, randomBytes } from 'node:crypto';

/** What the user signs, and when it may be signed. */
export interface Challenge {
  /** 32 random bytes, base64url: what makes the text unique and unguessable. */
  readonly nonce: string;
  /** The human-readable text signed: the portal, the time of issue and the nonce. */
  readonly text: string;
  /** The UTF-8 bytes of `text`: exactly what the CMS must sign. */
  readonly bytes: Uint8Array;
  readonly issuedAt: Date;
  readonly expiresAt: Date;
}

/** Why a pending login cannot be answered. */
export type ChallengeFailure = 'CHALLENGE_UNKNOWN' | 'CHALLENGE_EXPIRED' | 'CHALLENGE_REPLAYED';

/** The outcome of {@link ChallengeStore.take}. */
export type TakeResult =
  | { readonly ok: true; readonly challenge: Challenge }
  | { readonly ok: false; readonly reason: ChallengeFailure };

/** Options of {@link createChallengeStore}. */
export interface ChallengeStoreOptions {
  /** The portal named in the text the user signs, e.g. `example.ru`. */
  readonly portal: string;
  /** How long a challenge may be answered, in milliseconds (default 5 minutes). */
  readonly ttlMs?: number | undefined;
  /**
   * Challenges kept at once, answered ones included (default 10 000); beyond it the oldest is
   * forgotten (its login then answers CHALLENGE_UNKNOWN and the user asks again).
   */
  readonly maxPending?: number | undefined;
  /**
   * Unanswered challenges one client (e.g. one IP address) may hold (default 16); a new one
   * forgets that client's oldest, so one client cannot crowd out everybody else's logins.
   */
  readonly maxPerClient?: number | undefined;
  /** The clock (default: the system's). */
  readonly now?: (() => Date) | undefined;
}

/** The store of issued challenges. */
export interface ChallengeStore {
  /**
   * A fresh challenge and the pending-login id it is bound to (32 random bytes, base64url).
   * `client` groups the challenges for `maxPerClient`.
   */
  issue(client?: string): { readonly pendingId: string; readonly challenge: Challenge };
  /**
   * The challenge of `pendingId`, marked used: a second call with the same id gives
   * `CHALLENGE_REPLAYED`, a call after the expiry `CHALLENGE_EXPIRED`, an id never issued (or
   * forgotten, twice the lifetime after its expiry) `CHALLENGE_UNKNOWN`.
   */
  take(pendingId: string): TakeResult;
  /** Challenges held now. */
  readonly size: number;
}

interface Held {
  readonly challenge: Challenge;
  readonly client: string;
  used: boolean;
}

/**
 * The key a pending id is stored under: its SHA-256. A Map lookup compares keys in variable
 * time; comparing hashes of the secret instead of the secret leaks nothing usable about it.
 */
export function secretKey(secret: string): string {
  return createHash('sha256').update(secret).digest('base64url');
}

/** The text the user signs: readable on a token's or plug-in's confirmation screen. */
export function challengeText(portal: string, issuedAt: Date, nonce: string): string {
  return `Вход на портал ${portal}, ${issuedAt.toISOString()}, nonce ${nonce}`;
}

/**
 * Creates an in-memory challenge store. Each challenge can be taken once; taken and expired
 * ones are remembered for one more lifetime so that a replay is reported as such, then
 * forgotten, which bounds memory together with `maxPending`.
 *
 * In production, with several server processes, keep challenges in a shared store with a TTL
 * (Redis `SET key value PX ttl NX`, then an atomic `GETDEL` or a Lua script for `take`).
 *
 * @throws RangeError for a non-positive `ttlMs` or `maxPending`, or an empty `portal`.
 * @example
 * ```ts
 * const store = createChallengeStore({ portal: 'example.ru' });
 * const { pendingId, challenge } = store.issue(clientAddress);
 * const answer = store.take(pendingId); // { ok: true, challenge }; a second take: CHALLENGE_REPLAYED
 * ```
 */
export function createChallengeStore(options: ChallengeStoreOptions): ChallengeStore {
  const ttl = options.ttlMs ?? 5 * 60_000;
  const max = options.maxPending ?? 10_000;
  const perClient = options.maxPerClient ?? 16;
  const now = options.now ?? (() => new Date());
  if (!(ttl > 0) || !(max > 0) || !(perClient > 0))
    throw new RangeError('ttlMs, maxPending and maxPerClient must be positive');
  if (!options.portal) throw new RangeError('portal must not be empty');
  const held = new Map<string, Held>();

  /** Forgets challenges a lifetime past their expiry; insertion order is expiry order. */
  const sweep = (at: number) => {
    for (const [key, h] of held) {
      if (h.challenge.expiresAt.getTime() + ttl > at) break;
      held.delete(key);
    }
  };

  /** Makes room: the client's oldest unanswered challenge beyond its share, the oldest of all beyond `max`. */
  const evict = (client: string) => {
    let mine = 0;
    let oldestMine: string | undefined;
    for (const [key, h] of held) {
      if (h.client !== client || h.used) continue;
      mine++;
      oldestMine ??= key;
    }
    if (mine >= perClient && oldestMine) held.delete(oldestMine);
    if (held.size >= max) held.delete(held.keys().next().value as string);
  };

  return {
    issue(client = '') {
      const issuedAt = now();
      sweep(issuedAt.getTime());
      evict(client);
      const pendingId = randomBytes(32).toString('base64url');
      const nonce = randomBytes(32).toString('base64url');
      const text = challengeText(options.portal, issuedAt, nonce);
      const challenge: Challenge = Object.freeze({
        nonce,
        text,
        bytes: new TextEncoder().encode(text),
        issuedAt,
        expiresAt: new Date(issuedAt.getTime() + ttl),
      });
      held.set(secretKey(pendingId), { challenge, client, used: false });
      return { pendingId, challenge };
    },
    take(pendingId) {
      const at = now().getTime();
      sweep(at);
      const h = held.get(secretKey(pendingId));
      if (!h) return { ok: false, reason: 'CHALLENGE_UNKNOWN' };
      if (h.used) return { ok: false, reason: 'CHALLENGE_REPLAYED' };
      h.used = true; // single use: every answer, good or bad, consumes the challenge
      if (at > h.challenge.expiresAt.getTime()) return { ok: false, reason: 'CHALLENGE_EXPIRED' };
      return { ok: true, challenge: h.challenge };
    },
    get size() {
      return held.size;
    },
  };
}
