/** Runs `end-to-end.ts` in a fresh process (under tsx) and returns its result. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import type { EndToEndResult } from './end-to-end.ts';
import { childEnvironment } from './environment.ts';

/** Under the `node` binary given, as a cold start on that runtime. */
export function runEndToEnd(node: string, bundle: string, events: number): Promise<EndToEndResult> {
  const passThrough: Record<string, string> = {};
  // startEmulator uses an emulator already running there instead of starting moto.
  if (process.env.AWS_ENDPOINT_URL) passThrough.AWS_ENDPOINT_URL = process.env.AWS_ENDPOINT_URL;
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, 'end-to-end.ts'), [bundle, String(events)], {
      cwd: join(import.meta.dirname, '..'),
      execPath: node,
      execArgv: ['--import', 'tsx'],
      env: childEnvironment(passThrough),
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
    });
    let result: EndToEndResult | undefined;
    child.once('message', (message) => {
      result = message as EndToEndResult;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`end-to-end run failed (code ${code})`));
    });
  });
}
