// The account table: portal accounts found by the SNILS or, failing that, the INN of a certificate's subject (FSB order 795 identifiers).

/** A portal account and the identifiers that sign in to it. */
export interface Account {
  /** The portal's own id of the account. */
  readonly id: string;
  /** The name shown after login. */
  readonly name: string;
  /** SNILS, 11 digits; `123-456-789 01` is accepted too. */
  readonly snils?: string | undefined;
  /** INN of an individual, 12 digits. */
  readonly inn?: string | undefined;
}

/** How an account was found. */
export interface AccountMatch {
  readonly account: Account;
  readonly by: 'snils' | 'inn';
}

/** Finds accounts by identifiers. */
export interface AccountTable {
  /** The account of the SNILS, else of the INN; undefined when neither is linked. */
  find(identifiers: {
    readonly snils?: string | undefined;
    readonly inn?: string | undefined;
  }): AccountMatch | undefined;
  readonly accounts: readonly Account[];
}

/** A bad account table; the message says which entry. */
export class AccountTableError extends Error {
  override readonly name = 'AccountTableError';
}

/** The digits of an identifier written with or without spaces and dashes; undefined unless there are exactly `length`. */
function digits(value: string | undefined, length: number): string | undefined {
  if (value === undefined) return undefined;
  const d = value.replace(/[\s-]/g, '');
  return d.length === length && /^\d+$/.test(d) ? d : undefined;
}

/**
 * Makes the table. SNILS is preferred because it names one person for life; an INN is tried when
 * the certificate has no SNILS or the SNILS is linked to no account.
 *
 * @throws AccountTableError for an entry without id, name or identifier, a malformed identifier,
 *   or an identifier linked to two accounts.
 * @example
 * ```ts
 * const table = createAccountTable([{ id: 'u1', name: 'Иванов И. И.', snils: '112-233-445 95' }]);
 * table.find({ snils: '11223344595' }); // { account, by: 'snils' }
 * ```
 */
export function createAccountTable(accounts: readonly Account[]): AccountTable {
  const bySnils = new Map<string, Account>();
  const byInn = new Map<string, Account>();
  const add = (map: Map<string, Account>, key: string, account: Account, what: string) => {
    const other = map.get(key);
    if (other) throw new AccountTableError(`${what} ${key} is linked to both ${other.id} and ${account.id}`);
    map.set(key, account);
  };
  for (const account of accounts) {
    if (!account?.id || !account.name) throw new AccountTableError('every account needs an id and a name');
    const snils = digits(account.snils, 11);
    const inn = digits(account.inn, 12);
    if (account.snils !== undefined && !snils) throw new AccountTableError(`${account.id}: SNILS must have 11 digits`);
    if (account.inn !== undefined && !inn) throw new AccountTableError(`${account.id}: INN must have 12 digits`);
    if (!snils && !inn) throw new AccountTableError(`${account.id}: give a SNILS or an INN`);
    if (snils) add(bySnils, snils, account, 'SNILS');
    if (inn) add(byInn, inn, account, 'INN');
  }
  const frozen = Object.freeze([...accounts]);
  return {
    accounts: frozen,
    find({ snils, inn }) {
      const s = digits(snils, 11);
      const bySnilsHit = s ? bySnils.get(s) : undefined;
      if (bySnilsHit) return { account: bySnilsHit, by: 'snils' };
      const i = digits(inn, 12);
      const byInnHit = i ? byInn.get(i) : undefined;
      return byInnHit ? { account: byInnHit, by: 'inn' } : undefined;
    },
  };
}

/**
 * Reads a table from JSON: an array of {@link Account}.
 *
 * @throws AccountTableError for JSON that is not such an array, and as {@link createAccountTable}.
 * @example
 * ```ts
 * const table = parseAccounts(readFileSync('accounts.json', 'utf8'));
 * ```
 */
export function parseAccounts(json: string): AccountTable {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch (e) {
    throw new AccountTableError(`accounts: not JSON (${(e as Error).message})`);
  }
  if (!Array.isArray(value)) throw new AccountTableError('accounts: expected an array of { id, name, snils?, inn? }');
  const text = (v: unknown) => (typeof v === 'string' ? v : undefined);
  return createAccountTable(
    value.map((a: Record<string, unknown>) => ({
      id: text(a?.id) ?? '',
      name: text(a?.name) ?? '',
      snils: text(a?.snils),
      inn: text(a?.inn),
    })),
  );
}
