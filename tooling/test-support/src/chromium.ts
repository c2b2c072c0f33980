// Debian's Chromium for every browser test (TESTING.md): where it is and the flags it runs with
// (headless, no downloads, no background traffic). Used by vitest.config.ts and by the examples'
// Playwright tests.
import { COMPONENTS, requireComponent } from './components';

/** The flags every Chromium of the tests gets. */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--disable-quic',
  '--no-first-run',
];

/** `EDS_CHROMIUM`, else Debian's /usr/bin/chromium. */
export function chromiumPath(): string {
  return process.env.EDS_CHROMIUM ?? '/usr/bin/chromium';
}

/** The Chromium path after checking it runs; fails naming the Debian package `chromium` when absent. */
export function requireChromium(): string {
  const path = chromiumPath();
  requireComponent(path === '/usr/bin/chromium' ? COMPONENTS.chromium : { ...COMPONENTS.chromium, command: path });
  return path;
}
