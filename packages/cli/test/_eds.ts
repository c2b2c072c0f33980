// Runs the `eds` command in-process and captures what it prints.
import { run } from '../src/main';

export async function eds(argv: string[], options: { stdin?: Uint8Array[]; env?: Record<string, string> } = {}) {
  let out = '';
  let err = '';
  const code = await run(argv, {
    stdout: (t) => (out += t),
    stderr: (t) => (err += t),
    stdin: (async function* () {
      yield* options.stdin ?? [];
    })(),
    env: options.env ?? {},
  });
  return { code, out, err };
}
