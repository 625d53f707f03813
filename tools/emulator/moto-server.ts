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

const PROJECT_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const LOG_TAIL_BYTES = 4_000;
const START_TIMEOUT_MS = 30_000;

/**
 * Starts a moto server (installed on first use into `<project>/.venv`) on a
 * free loopback port, in the region `AWS_REGION` (else `us-east-1`), and waits
 * until it answers; or, when `AWS_ENDPOINT_URL` is set, returns that endpoint
 * without starting anything. The server runs in its own process group, which
 * `stop()` and the exit of this process kill as a whole.
 */
export async function startEmulator(): Promise<EmulatorHandle> {
  const region = process.env.AWS_REGION ?? 'us-east-1';
  const external = process.env.AWS_ENDPOINT_URL;
  if (external) {
    return { endpoint: external, region, stop: async () => {}, external: true };
  }
  const bin = await ensureVenv({
    venv: join(PROJECT_ROOT, '.venv'),
    requirements: join(PROJECT_ROOT, 'tools', 'emulator', 'requirements.txt'),
    executables: ['moto_server'],
    label: 'emulator: moto',
  });
  const motoServer = join(bin, 'moto_server');
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
    await waitUntilAnswering(endpoint, exited, START_TIMEOUT_MS);
  } catch (error) {
    let tail = '(no output)';
    try {
      tail = readFileSync(logFile, 'utf8').slice(-LOG_TAIL_BYTES);
    } catch {
      // No log file: nothing to show.
    }
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

/** SIGTERM to the group, SIGKILL if it is still there 5 s later; resolves once the server exited. */
async function killGroup(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  // Unreferenced, the child would not keep this process alive until its exit is seen.
  child.ref();
  signalGroup(child, 'SIGTERM');
  const timer = setTimeout(() => signalGroup(child, 'SIGKILL'), 5_000);
  await exited;
  clearTimeout(timer);
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
