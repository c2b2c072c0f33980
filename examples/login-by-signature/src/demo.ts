// `pnpm demo`: the login server with a throwaway GOST PKI, its OCSP and CRL on 127.0.0.1, and two .pfx files to sign in with; everything goes away on Ctrl+C.
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createFetcher } from '@eds/core/fetcher';
import { createTrustStore } from '@eds/verify/trust';
import { createAccountTable } from './accounts.ts';
import { createLoginServer } from './app.ts';
import { createDemoPki, userPfx } from './demo-pki.ts';
import { buildPage } from './page.ts';

const PASSWORD = 'demo';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const { values } = parseArgs({
    args: args[0] === '--' ? args.slice(1) : args, // `pnpm demo -- --port 0` passes the `--` on
    options: { port: { type: 'string', default: '8080' } },
    strict: true,
  });
  const say = (line: string) => process.stdout.write(`${line}\n`);
  say('Создаю тестовый УЦ (ГОСТ Р 34.10-2012, 256 бит) с OCSP и CRL на 127.0.0.1…');
  const pki = await createDemoPki();
  const dir = await mkdtemp(join(tmpdir(), 'eds-login-demo-'));
  try {
    const maria = await pki.issueUser({ surname: 'Иванова', givenName: 'Мария Петровна' });
    const stranger = await pki.issueUser({ surname: 'Петров', givenName: 'Пётр Петрович' });
    const files = { maria: join(dir, 'ivanova.pfx'), stranger: join(dir, 'petrov-no-account.pfx') };
    await writeFile(files.maria, await userPfx(maria, pki.ca, PASSWORD));
    await writeFile(files.stranger, await userPfx(stranger, pki.ca, PASSWORD));
    const app = createLoginServer({
      trust: createTrustStore(pki.root.certificate),
      intermediates: [pki.ca.certificate],
      accounts: createAccountTable([{ id: 'u-1001', name: 'Иванова Мария Петровна', snils: maria.snils }]),
      fetcher: createFetcher({ timeoutMs: 5_000 }),
      page: await buildPage(),
      log: (line) => say(`  ${line}`),
    });
    const { url } = await app.listen(Number(values.port));
    say(`\nОткройте ${url}`);
    say(`  ключ с учётной записью (СНИЛС ${maria.snils}): ${files.maria}`);
    say(`  ключ без учётной записи:                      ${files.stranger}`);
    say(`  пароль обоих файлов: ${PASSWORD}`);
    say('Ctrl+C останавливает сервер и удаляет файлы.\n');
    await new Promise<void>((done) => {
      process.once('SIGINT', done);
      process.once('SIGTERM', done);
    });
    await app.close();
  } finally {
    await pki.close();
    await rm(dir, { recursive: true, force: true });
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`login-by-signature demo: ${e instanceof Error ? e.message : String(e)}\n`);
  process.exitCode = 1;
});
