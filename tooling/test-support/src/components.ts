// Real components the tests depend on: each is found or the test fails naming the Debian package.
import { spawnSync } from 'node:child_process';

/** A system component the interop tests need, with the Debian package that provides it. */
export interface Component {
  /** Executable looked up on PATH (or an absolute path). */
  command: string;
  /** Arguments that make the command print something and exit 0 when it works. */
  probe: string[];
  /** Debian package(s) that install it. */
  debian: string;
}

export const COMPONENTS = {
  openssl: { command: 'openssl', probe: ['version'], debian: 'openssl' },
  chromium: { command: 'chromium', probe: ['--version'], debian: 'chromium' },
  xmlsec1: { command: 'xmlsec1', probe: ['--version'], debian: 'xmlsec1' },
  softhsm: { command: 'softhsm2-util', probe: ['--version'], debian: 'softhsm2' },
  pkcs11Tool: { command: 'pkcs11-tool', probe: ['--help'], debian: 'opensc' },
} as const satisfies Record<string, Component>;

const found = new Map<string, string>();

/**
 * Returns the command of a component after checking it runs; throws an error naming the
 * Debian package and the setup script otherwise. Never skips.
 */
export function requireComponent(component: Component): string {
  const cached = found.get(component.command);
  if (cached) return cached;
  const r = spawnSync(component.command, component.probe, { encoding: 'utf8', timeout: 20_000 });
  if (r.error || (r.status !== 0 && component.probe[0] !== '--help')) {
    throw new Error(
      `missing system component "${component.command}": install the Debian package ` +
        `"${component.debian}" (run: sudo bash scripts/setup-system.sh). ` +
        `Cause: ${r.error?.message ?? r.stderr.trim()}`,
    );
  }
  found.set(component.command, component.command);
  return component.command;
}
