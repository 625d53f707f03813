/**
 * Runs moto's AWS API emulator (`moto_server`) for integration tests, the local
 * dev server and reliability scripts: installs it into a project-local venv and
 * starts one server process per caller, or defers to `AWS_ENDPOINT_URL`.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { freePort } from './free-port.ts';
import { ensureVenv } from './python-venv.ts';

/** A running (or externally provided) emulator. */
export interface EmulatorHandle {
  /** Base URL every AWS SDK client should use as `endpoint`. */
  readonly endpoint: string;
  /** Region the SDK clients should sign for. */
  readonly region: string;
  /** Stops the server this call started (idempotent); a no-op for an external one. */
  stop(): Promise<void>;
  /** Whether the endpoint came from `AWS_ENDPOINT_URL` and nothing was started. */
  readonly external: boolean;
}

/** Options of {@link startEmulator}. */
export interface StartEmulatorOptions {
  /** Directory holding `tools/emulator/requirements.txt` and `.venv`; defaults to this repository. */
  readonly projectRoot?: string;
  /** Defaults to `AWS_REGION`, else `us-east-1`. */
  readonly region?: string;
  /** How long the server may take to answer HTTP; defaults to 30 s. */
  readonly startTimeoutMs?: number;
}

const DEFAULT_PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const REQUIREMENTS = join('tools', 'emulator', 'requirements.txt');
const LOG_TAIL_BYTES = 4_000;

/**
 * Makes sure `<projectRoot>/.venv` has the pinned moto installed and returns the
 * path of its `moto_server` executable. The venv is (re)installed only when the
 * requirements file's hash differs from the one stamped after the last install.
 */
export async function ensureMotoInstalled(projectRoot: string): Promise<string> {
  const bin = await ensureVenv({
    venv: join(projectRoot, '.venv'),
    requirements: join(projectRoot, REQUIREMENTS),
    executables: ['moto_server'],
    label: 'emulator: moto',
  });
  return join(bin, 'moto_server');
}

/**
 * Starts a moto server on a free loopback port and waits until it answers, or,
 * when `AWS_ENDPOINT_URL` is set, returns that endpoint without starting anything.
 * The server runs in its own process group, which `stop()` and the exit of this
 * process kill as a whole.
 */
export async function startEmulator(options: StartEmulatorOptions = {}): Promise<EmulatorHandle> {
  const region = options.region ?? process.env.AWS_REGION ?? 'us-east-1';
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    return { endpoint: external, region, stop: async () => {}, external: true };
  }
  const motoServer = await ensureMotoInstalled(options.projectRoot ?? DEFAULT_PROJECT_ROOT);
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  // A log file rather than a pipe: moto logs every request, and an undrained pipe would block it.
  const logDir = mkdtempSync(join(tmpdir(), 'moto-server-'));
  const logFile = join(logDir, 'server.log');
  const logFd = openSync(logFile, 'w');
  const child = spawn(motoServer, ['-H', '127.0.0.1', '-p', String(port)], {
    detached: true,
    stdio: ['ignore', logFd, logFd],
  });
  closeSync(logFd);
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(`exited (${signal ?? `code ${code}`})`));
    child.once('error', (error) => resolve(`failed to start (${error.message})`));
  });
  // Not keeping this process alive for the server's sake: the exit hook below stops it.
  child.unref();
  const removeExitHooks = killOnExit(child, logDir);
  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopped ??= (async () => {
      removeExitHooks();
      await killGroup(child, exited);
      rmSync(logDir, { recursive: true, force: true });
    })();
    return stopped;
  };
  try {
    await waitUntilAnswering(endpoint, exited, options.startTimeoutMs ?? 30_000);
  } catch (error) {
    const tail = logTail(logFile);
    await stop();
    const message = error instanceof Error ? error.message : String(error);
    throw new Error(`${message}\n--- moto_server output (tail) ---\n${tail}`, { cause: error });
  }
  return { endpoint, region, stop, external: false };
}

async function waitUntilAnswering(
  endpoint: string,
  exited: Promise<string>,
  timeoutMs: number,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let exitReason: string | undefined;
  void exited.then((reason) => {
    exitReason = reason;
  });
  while (Date.now() < deadline) {
    if (exitReason !== undefined) throw new Error(`moto_server ${exitReason} before answering`);
    try {
      // Any HTTP status will do: it only proves the server is listening.
      await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1_000) });
      return;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
  throw new Error(`moto_server did not answer on ${endpoint} within ${timeoutMs} ms`);
}

function signalGroup(child: ChildProcess, signal: NodeJS.Signals): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, signal);
  } catch {
    // ESRCH: the group is already gone.
  }
}

async function killGroup(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Unreferenced, the child would not keep this process alive until its exit is seen.
  child.ref();
  signalGroup(child, 'SIGTERM');
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(resolve, 5_000, 'timeout');
  });
  const outcome = await Promise.race([exited, timeout]);
  clearTimeout(timer);
  if (outcome === 'timeout') {
    signalGroup(child, 'SIGKILL');
    await exited;
  }
}

const FATAL_SIGNALS: readonly NodeJS.Signals[] = ['SIGINT', 'SIGTERM', 'SIGHUP'];

/**
 * The server is outside our process group, so a Ctrl-C or a killed parent would
 * orphan it. Kills it (and drops its log) on exit and on fatal signals; when no one else handles the
 * signal, re-raises it so the default (terminate) still happens.
 */
function killOnExit(child: ChildProcess, logDir: string): () => void {
  const onExit = (): void => {
    signalGroup(child, 'SIGKILL');
    rmSync(logDir, { recursive: true, force: true });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    onExit();
    remove();
    if (process.listenerCount(signal) === 0) process.kill(process.pid, signal);
  };
  const remove = (): void => {
    process.off('exit', onExit);
    for (const signal of FATAL_SIGNALS) process.off(signal, onSignal);
  };
  process.on('exit', onExit);
  for (const signal of FATAL_SIGNALS) process.on(signal, onSignal);
  return remove;
}

function logTail(logFile: string): string {
  try {
    return readFileSync(logFile, 'utf8').slice(-LOG_TAIL_BYTES);
  } catch {
    return '(no output)';
  }
}
