/**
 * The local pipeline the reliability scenarios run against: the receiver's
 * resources on the emulator (table, topics, secret, and the tap queue subscribed
 * to every topic), a fault proxy in front of the emulator, and the real handler
 * in a child process behind the dev server's API Gateway stand-in, its SDK
 * pointed at the proxy. The scenario posts signed events to the child over HTTP
 * and counts what reached the topics from the tap.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { join } from 'node:path';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../../lambda/contract/event-catalogue.ts';
import {
  IDEMPOTENCY_ATTRIBUTES as A,
  RETENTION_LEDGER,
} from '../../../lambda/contract/idempotency-record.ts';
import { signBody } from '../../../lambda/domain/signature.ts';
import { type FaultProxy, startFaultProxy } from '../../../tools/emulator/fault-proxy.ts';
import {
  drainTap,
  type EmulatorTarget,
  emulatorClientConfig,
  provisionReceiver,
  setSigningKeys,
  type TapDelivery,
} from '../../../tools/emulator/index.ts';
import { outcomeOf, SIGNATURE_HEADER } from '../../../tools/emulator/sender/send.ts';
import { FUNCTION_TIMEOUT_VARIABLE, type ReadyLine } from './receiver-contract.ts';

/** The repository root. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..');
const RUNNER = join(import.meta.dirname, 'receiver-process.ts');
const READY_TIMEOUT_MS = 30_000;

/** A running receiver process: one Lambda container. */
export interface ReceiverProcess {
  /** `http://127.0.0.1:<port>/webhooks` */
  readonly url: string;
  /** Every line the handler wrote to stdout (request logs, EMF). */
  readonly lines: readonly string[];
  /** Resolves with the exit signal or code once the process has exited. */
  readonly exited: Promise<string>;
  /** SIGKILL: the container dies mid-invocation. */
  kill(): void;
  /** SIGTERM, then waits for the exit. */
  stop(): Promise<void>;
}

/** Options of {@link startPipeline}. */
export interface PipelineOptions {
  /** The signing key(s) stored in the secret. */
  readonly apiKeys: string | readonly string[];
  /** Extra handler environment (e.g. `LEASE_MARGIN_SECONDS`). */
  readonly environment?: Readonly<Record<string, string>>;
  /** The function timeout of the API Gateway stand-in (default 10 s, as deployed). */
  readonly functionTimeoutMs?: number;
  /**
   * Whether the first receiver is warmed up (default true): sent one signed
   * request that is not an event (200 `ignored`, as Apideck's URL validation)
   * before it is handed over, so that it has read the signing secret. A
   * deployed container serves one request at a time, so its first request is
   * always alone; the local process serves many at once.
   */
  readonly warm?: boolean;
}

/** One idempotency record, as stored. */
export interface StoredRecord {
  readonly eventId: string;
  readonly status: string;
  readonly claimedAtMs: number;
  readonly leaseExpiresAtMs: number;
}

/** The resources, the proxy and the current receiver process. */
export interface Pipeline {
  readonly proxy: FaultProxy;
  /** The current receiver process (throws when none was started). */
  readonly receiver: ReceiverProcess;
  /** Starts a new, warmed-up receiver process (a cold start on the same resources) and makes it current. */
  startReceiver(): Promise<ReceiverProcess>;
  /** Replaces the signing secret's value (directly on the emulator). */
  setKeys(apiKeys: string | readonly string[]): Promise<void>;
  /**
   * Everything the tap received: waits for `expectedCount` deliveries (if given),
   * then for `quietMs` without a new one, so that duplicates are counted too.
   */
  drain(expectedCount?: number, quietMs?: number): Promise<TapDelivery[]>;
  /** Every record of the idempotency table (read directly from the emulator). */
  records(): Promise<StoredRecord[]>;
  /** Stops the receiver processes and the proxy (the resources stay on the emulator). */
  stop(): Promise<void>;
}

function spawnReceiver(environment: NodeJS.ProcessEnv): Promise<ReceiverProcess> {
  const child: ChildProcess = spawn(process.execPath, ['--import', 'tsx', RUNNER], {
    cwd: PROJECT_ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  const gatewayLines: string[] = [];
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });
  return new Promise((resolve, reject) => {
    let buffered = '';
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the receiver process did not start within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    child.stdout?.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        newline = buffered.indexOf('\n');
        if (!ready && line.startsWith('{"ready":')) {
          ready = true;
          clearTimeout(timer);
          const { ready: url } = JSON.parse(line) as ReadyLine;
          resolve({
            url,
            lines,
            exited,
            kill: () => {
              child.kill('SIGKILL');
            },
            stop: async () => {
              if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
              await exited;
            },
          });
        } else if (line.length > 0) {
          lines.push(line);
        }
      }
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      gatewayLines.push(...chunk.toString().split('\n').filter(Boolean));
    });
    void exited.then((how) => {
      if (ready) return;
      clearTimeout(timer);
      reject(
        new Error(
          `the receiver process exited (${how}) before it was ready:\n${gatewayLines.join('\n')}`,
        ),
      );
    });
  });
}

/** A signed body that is not an event: acknowledged with 200 `ignored`, published nowhere. */
const WARM_UP_BODY = '{"warm_up":true}';

async function warmUp(receiver: ReceiverProcess, key: string | undefined): Promise<void> {
  if (key === undefined) throw new Error('no signing key to warm the receiver up with');
  const response = await fetch(receiver.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      [SIGNATURE_HEADER]: signBody(WARM_UP_BODY, key),
    },
    body: WARM_UP_BODY,
    signal: AbortSignal.timeout(30_000),
  });
  const text = await response.text();
  if (response.status !== 200 || outcomeOf(text) !== 'ignored') {
    throw new Error(`the receiver's warm-up request was answered ${response.status} ${text}`);
  }
}

/** Provisions fresh resources, starts the proxy and a first receiver process. */
export async function startPipeline(
  emulator: EmulatorTarget,
  options: PipelineOptions,
): Promise<Pipeline> {
  const resources = await provisionReceiver({
    ...emulator,
    eventTypes: VAULT_CONNECTION_EVENT_TYPES,
    apiKeys: options.apiKeys,
    namePrefix: 'reliability',
  });
  const proxy = await startFaultProxy({ target: emulator.endpoint });
  const environment: NodeJS.ProcessEnv = {
    ...process.env,
    ...resources.environment,
    ...options.environment,
    AWS_ENDPOINT_URL: proxy.endpoint,
    AWS_REGION: emulator.region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
    [FUNCTION_TIMEOUT_VARIABLE]: String(options.functionTimeoutMs ?? 10_000),
  };
  delete environment.AWS_SESSION_TOKEN;
  delete environment.AWS_PROFILE;
  const started: ReceiverProcess[] = [];
  let current: ReceiverProcess | undefined;
  let keys = options.apiKeys;
  const startReceiver = async (warm = true): Promise<ReceiverProcess> => {
    const receiver = await spawnReceiver(environment);
    started.push(receiver);
    if (warm) await warmUp(receiver, typeof keys === 'string' ? keys : keys[0]);
    current = receiver;
    return receiver;
  };
  try {
    await startReceiver(options.warm);
  } catch (error) {
    await Promise.all(started.map((receiver) => receiver.stop()));
    await proxy.close();
    throw error;
  }

  const dynamodb = new DynamoDBClient(emulatorClientConfig(emulator));
  return {
    proxy,
    get receiver(): ReceiverProcess {
      if (current === undefined) throw new Error('no receiver process was started');
      return current;
    },
    startReceiver: () => startReceiver(),
    setKeys: async (apiKeys) => {
      await setSigningKeys({ ...emulator, secretId: resources.secretId, apiKeys });
      keys = apiKeys;
    },
    drain: async (expectedCount, quietMs = 1_000) => {
      const first =
        expectedCount === undefined || expectedCount === 0
          ? []
          : await drainTap({
              ...emulator,
              queueUrl: resources.tapQueueUrl,
              expectedCount,
              waitMs: 15_000,
            });
      const rest = await drainTap({
        ...emulator,
        queueUrl: resources.tapQueueUrl,
        waitMs: quietMs,
      });
      return [...first, ...rest];
    },
    records: async () => {
      const records: StoredRecord[] = [];
      for await (const page of paginateScan(
        { client: dynamodb },
        { TableName: resources.tableName, ConsistentRead: true },
      )) {
        for (const item of page.Items ?? []) {
          // The retention ledger shares the table; it is no event's record.
          if (item[A.eventId]?.S === RETENTION_LEDGER.key) continue;
          records.push({
            eventId: item[A.eventId]?.S ?? '',
            status: item[A.status]?.S ?? '',
            claimedAtMs: Number(item[A.claimedAt]?.N ?? Number.NaN),
            leaseExpiresAtMs: Number(item[A.leaseExpiresAt]?.N ?? Number.NaN),
          });
        }
      }
      return records;
    },
    stop: async () => {
      await Promise.all(started.map((receiver) => receiver.stop()));
      await proxy.close();
      dynamodb.destroy();
    },
  };
}
