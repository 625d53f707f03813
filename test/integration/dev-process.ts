/**
 * Helpers of the `npm run dev` end-to-end test: run the npm scripts as child
 * processes, wait for their output, and list a process's descendants (by
 * parent pid, whatever their process group) to prove none outlives a stop.
 */
import { type ChildProcess, execFile, execFileSync, spawn } from 'node:child_process';
import { join } from 'node:path';

/** The repository root. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..');

/** A running `npm run dev`. */
export interface DevProcess {
  readonly child: ChildProcess;
  readonly pid: number;
  /** Everything it wrote so far, stdout and stderr interleaved. */
  output(): string;
  /** Resolves when it has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

/**
 * Starts `npm run dev` in its own process group (so a failed test can kill the
 * whole tree); the test itself signals only npm's pid, as a supervisor would.
 */
export function startDev(env: NodeJS.ProcessEnv, args: readonly string[] = []): DevProcess {
  const child = spawn('npm', ['run', 'dev', ...(args.length > 0 ? ['--', ...args] : [])], {
    cwd: PROJECT_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  child.stderr?.on('data', (chunk: Buffer) => {
    output += chunk.toString();
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  if (child.pid === undefined) throw new Error('npm run dev did not start');
  return { child, pid: child.pid, output: () => output, exited };
}

/** Result of one `npm run send`. */
export interface SendRun {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs `npm run send -- ...args` to completion. */
export function runSend(args: readonly string[], env: NodeJS.ProcessEnv): Promise<SendRun> {
  return new Promise((resolve) => {
    execFile(
      'npm',
      ['run', '--silent', 'send', '--', ...args],
      { cwd: PROJECT_ROOT, env, timeout: 30_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

/** Polls until `check` returns a value (not `undefined`), or fails after `timeoutMs`. */
export async function waitFor<T>(
  what: string,
  check: () => T | undefined,
  timeoutMs: number,
  describeFailure: () => string = () => '',
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = check();
    if (value !== undefined) return value;
    if (Date.now() > deadline) {
      throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${describeFailure()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** A process: its pid and command line. */
export interface ProcessInfo {
  readonly pid: number;
  readonly command: string;
}

function processTable(): { pid: number; ppid: number; command: string }[] {
  return execFileSync('ps', ['-A', '-o', 'pid=,ppid=,args='], { encoding: 'utf8' })
    .split('\n')
    .map((line) => /^\s*(\d+)\s+(\d+)\s+(.*)$/.exec(line))
    .filter((match): match is RegExpExecArray => match !== null)
    .map((match) => ({ pid: Number(match[1]), ppid: Number(match[2]), command: match[3] ?? '' }));
}

/** Every process descended from `pid` (children, their children, …), by parent pid. */
export function descendants(pid: number): ProcessInfo[] {
  const table = processTable();
  const found: ProcessInfo[] = [];
  let parents = new Set([pid]);
  while (parents.size > 0) {
    const children = table.filter((entry) => parents.has(entry.ppid));
    found.push(...children.map(({ pid: childPid, command }) => ({ pid: childPid, command })));
    parents = new Set(children.map((entry) => entry.pid));
  }
  return found;
}

/** Whether a pid names a live process (a zombie, already dead and awaiting its reaper, is not). */
export function isAlive(pid: number): boolean {
  try {
    const state = execFileSync('ps', ['-o', 'stat=', '-p', String(pid)], { encoding: 'utf8' });
    return state.trim() !== '' && !state.trim().startsWith('Z');
  } catch {
    // ps exits 1 when there is no such process.
    return false;
  }
}

/** Kills a process group (when a leader is given) and the given pids outright (test cleanup only). */
export function killAll(groupLeader: number | undefined, pids: readonly number[]): void {
  // Never 0 or less: kill(0) and kill(-1) would signal this process's own group, or everything.
  const targets = [
    ...(groupLeader !== undefined && groupLeader > 1 ? [-groupLeader] : []),
    ...pids,
  ];
  for (const target of targets.filter((pid) => pid !== 0 && pid !== -1 && pid !== process.pid)) {
    try {
      process.kill(target, 'SIGKILL');
    } catch {
      // Already gone.
    }
  }
}
