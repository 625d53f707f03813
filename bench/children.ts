/** The bench's forked measurements (`per-event/child.ts`, `end-to-end.ts`) and its canned AWS server. */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { childEnvironment } from './environment.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..');

/**
 * Runs `script` (relative to `bench/`) under tsx in a fresh process of the
 * `node` binary given, so each runtime is measured on itself, with the
 * handler's environment (plus `env`) and nothing from the caller's shell;
 * resolves with the one message it sends over IPC.
 */
export function forkChild<T>(
  script: string,
  args: readonly (string | number)[],
  options: {
    node: string;
    execArgv?: string[];
    env?: Record<string, string>;
    /** `ignore`: the handler's log and EMF lines are written for real, then discarded by the kernel. */
    stdout: 'ignore' | 'inherit';
  },
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(join(import.meta.dirname, script), args.map(String), {
      cwd: PROJECT_ROOT,
      execPath: options.node,
      execArgv: ['--import', 'tsx', ...(options.execArgv ?? [])],
      env: childEnvironment(options.env),
      stdio: ['ignore', options.stdout, 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.once('message', (message) => {
      result = message as T;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`bench child ${script} ${args.join(' ')} failed (code ${code})`));
    });
  });
}

/** The canned-answer server of `per-event/canned-aws-server.ts`, running in a process of its own. */
export interface CannedAwsServer {
  readonly endpoint: string;
  /** The calls it answered so far, by `service.operation`. */
  calls(): Promise<Record<string, number>>;
  stop(): void;
}

/** Starts the canned AWS server on the bench's own Node.js (its CPU is not measured). */
export function startCannedAwsServer(): Promise<CannedAwsServer> {
  const child = fork(join(import.meta.dirname, 'per-event', 'canned-aws-server.ts'), [], {
    cwd: PROJECT_ROOT,
    execArgv: ['--import', 'tsx'],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const calls = () =>
    new Promise<Record<string, number>>((resolve) => {
      child.once('message', (message) =>
        resolve((message as { calls: Record<string, number> }).calls),
      );
      child.send('calls');
    });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the canned AWS server exited (code ${code})`)));
    child.once('message', (message) => {
      const { port } = message as { port: number };
      resolve({ endpoint: `http://127.0.0.1:${port}`, calls, stop: () => child.disconnect() });
    });
  });
}
