// Test support (Node and browser): one key spec of each kind the test-CA tests build whole chains with.
import type { KeySpec } from '@eds/core/keys';

/** [label, spec]: both GOST sizes (and a TC26 256-bit set), ECDSA P-256, RSA-2048, Ed25519. */
export const CHAIN_KEY_SPECS: readonly [string, KeySpec][] = [
  ['GOST-256', { type: 'gost2012-256' }],
  ['GOST-256 tc26-256-A', { type: 'gost2012-256', paramSet: 'tc26-256-a' }],
  ['GOST-512', { type: 'gost2012-512' }],
  ['ECDSA P-256', { type: 'ecdsa', curve: 'P-256' }],
  ['RSA-2048', { type: 'rsa', bits: 2048 }],
  ['Ed25519', { type: 'ed25519' }],
];
