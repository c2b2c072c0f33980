// The service's entry point: `node --import tsx src/server.ts --trust roots.pem` reads its settings, listens, and stops cleanly on SIGTERM or SIGINT.
import { ConfigError, loadConfig, USAGE } from './config.ts';
import { createVerifyService } from './service.ts';

/** How long running requests may take to finish after SIGTERM before their connections are cut. */
const GRACE_MS = 10_000;

async function main(): Promise<number> {
  let config: ReturnType<typeof loadConfig>;
  try {
    config = loadConfig(process.argv.slice(2), process.env);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    process.stderr.write(`verify-service: ${e.message}\n${USAGE}\n`);
    return 64;
  }
  const service = createVerifyService(config);
  const { url } = await service.listen(config.port, config.host);
  const mode = `${config.fetcher ? 'online' : 'offline'}, revocation ${config.revocation}`;
  process.stdout.write(`verify-service listening on ${url} (${config.trust.anchors.length} trust anchors, ${mode})\n`);
  await new Promise<void>((resolve) => {
    const stop = (signal: string) => {
      process.stdout.write(`verify-service: ${signal}, finishing running requests\n`);
      void service.close(GRACE_MS).then(resolve);
    };
    process.once('SIGTERM', () => stop('SIGTERM'));
    process.once('SIGINT', () => stop('SIGINT'));
  });
  process.stdout.write('verify-service stopped\n');
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`verify-service: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
