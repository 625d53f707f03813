/**
 * Runs per-event measurements, each in a fresh process (`child.ts` under tsx),
 * with the child's stdout on /dev/null: the handler's log and EMF lines are
 * serialised and written by its real stdout sink, then discarded by the kernel.
 */
import { fork } from 'node:child_process';
import { join } from 'node:path';
import { childEnvironment } from '../environment.ts';
import type { CpuResult, MemoryResult, Variant } from './child.ts';

const CHILD = join(import.meta.dirname, 'child.ts');
const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

function run<T>(
  node: string,
  args: readonly string[],
  execArgv: readonly string[] = [],
): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = fork(CHILD, args, {
      cwd: PROJECT_ROOT,
      execPath: node,
      execArgv: ['--import', 'tsx', ...execArgv],
      env: childEnvironment(),
      stdio: ['ignore', 'ignore', 'inherit', 'ipc'],
    });
    let result: T | undefined;
    child.once('message', (message) => {
      result = message as T;
    });
    child.once('error', reject);
    child.once('exit', (code) => {
      if (code === 0 && result !== undefined) resolve(result);
      else reject(new Error(`per-event child ${args.join(' ')} failed (code ${code})`));
    });
  });
}

/** CPU per event of both handlers, in alternating blocks, in one fresh process of `node`. */
export function measureCpu(
  node: string,
  first: Variant,
  warmup: number,
  blocks: number,
  blockSize: number,
): Promise<CpuResult> {
  return run(node, ['cpu', first, String(warmup), String(blocks), String(blockSize)]);
}

/** Memory after each checkpoint's number of events, in one fresh process of `node` (--expose-gc). */
export function measureMemory(
  node: string,
  variant: Variant,
  checkpoints: readonly number[],
): Promise<MemoryResult> {
  return run(node, ['memory', variant, ...checkpoints.map(String)], ['--expose-gc']);
}
