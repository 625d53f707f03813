/**
 * The local pipeline the reliability scenarios run against: the receiver's
 * resources on the emulator (table, topics, secret, and the tap queue subscribed
 * to every topic), a fault proxy in front of the emulator, and the real handler
 * in a child process behind the dev server's API Gateway stand-in, its SDK
 * pointed at the proxy. The scenario posts signed events to the child over HTTP
 * and counts what reached the topics from the tap.
 */
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DynamoDBClient, paginateScan } from '@aws-sdk/client-dynamodb';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../../lambda/contract/event-catalogue.ts';
import {
  IDEMPOTENCY_ATTRIBUTES as A,
  RETENTION_LEDGER,
} from '../../../lambda/contract/idempotency-record.ts';
import { signBody } from '../../../lambda/domain/signature.ts';
import { type ApiKindName, parseApiKind } from '../../../tools/emulator/api-gateway/kinds.ts';
import { startFaultProxy } from '../../../tools/emulator/fault-proxy.ts';
import {
  drainTap,
  type EmulatorTarget,
  emulatorClientConfig,
  provisionReceiver,
  setSigningKeys,
  type TapDelivery,
} from '../../../tools/emulator/index.ts';
import { answerKey, postOnce } from './deliveries.ts';

/** The repository root, the receiver process's working directory. */
const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..');
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
   * The kind of API the stand-in plays (`kinds.ts`): default `API_KIND` from
   * the environment, so that `API_KIND=http` runs every scenario behind the HTTP API.
   */
  readonly apiKind?: ApiKindName;
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

/** The resources, the proxy and the current receiver process, as {@link startPipeline} returns them. */
export type Pipeline = Awaited<ReturnType<typeof startPipeline>>;

function spawnReceiver(
  environment: NodeJS.ProcessEnv,
  functionTimeoutMs: number,
  apiKind: ApiKindName,
): Promise<ReceiverProcess> {
  const args = ['--import', 'tsx', RUNNER, String(functionTimeoutMs), apiKind];
  const child = spawn(process.execPath, args, {
    cwd: PROJECT_ROOT,
    env: environment,
    stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
  });
  const lines: string[] = [];
  const gatewayLines: string[] = [];
  const exited = new Promise<string>((resolve) => {
    child.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    child.once('error', (error) => resolve(`failed to start: ${error.message}`));
  });
  const receiver = (url: string): ReceiverProcess => ({
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
  const { stdout, stderr } = child;
  if (stdout === null || stderr === null) throw new Error('the receiver process has no stdout');
  createInterface({ input: stdout }).on('line', (line) => {
    if (line.length > 0) lines.push(line);
  });
  createInterface({ input: stderr }).on('line', (line) => gatewayLines.push(line));
  return new Promise((resolve, reject) => {
    let ready = false;
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the receiver process did not start within ${READY_TIMEOUT_MS} ms`));
    }, READY_TIMEOUT_MS);
    child.once('message', (message: { readonly ready?: unknown }) => {
      if (typeof message.ready !== 'string') return;
      ready = true;
      clearTimeout(timer);
      resolve(receiver(message.ready));
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
  const body = { body: Buffer.from(WARM_UP_BODY), signature: signBody(WARM_UP_BODY, key) };
  const result = await postOnce(receiver.url, body);
  if (answerKey(result) !== '200 ignored') {
    const answer = result.ok ? answerKey(result) : `with no answer (${result.error})`;
    throw new Error(`the receiver's warm-up request was answered ${answer}`);
  }
}

/** Provisions fresh resources, starts the proxy and a first receiver process. */
export async function startPipeline(emulator: EmulatorTarget, options: PipelineOptions) {
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
  };
  delete environment.AWS_SESSION_TOKEN;
  delete environment.AWS_PROFILE;
  const apiKind = options.apiKind ?? parseApiKind(process.env.API_KIND);
  const started: ReceiverProcess[] = [];
  let current: ReceiverProcess | undefined;
  let keys = options.apiKeys;
  const startReceiver = async (warm = true): Promise<ReceiverProcess> => {
    const receiver = await spawnReceiver(environment, options.functionTimeoutMs ?? 10_000, apiKind);
    started.push(receiver);
    if (warm) await warmUp(receiver, typeof keys === 'string' ? keys : keys[0]);
    current = receiver;
    return receiver;
  };
  const stopAll = async (): Promise<void> => {
    await Promise.all(started.map((receiver) => receiver.stop()));
    await proxy.close();
  };
  try {
    await startReceiver(options.warm);
  } catch (error) {
    await stopAll();
    throw error;
  }

  const dynamodb = new DynamoDBClient(emulatorClientConfig(emulator));
  return {
    proxy,
    /** What was provisioned on the emulator (table, topics, secret, tap). */
    resources,
    /** The current receiver process. */
    get receiver(): ReceiverProcess {
      if (current === undefined) throw new Error('no receiver process was started');
      return current;
    },
    /** Starts a new, warmed-up receiver process (a cold start on the same resources) and makes it current. */
    startReceiver: (): Promise<ReceiverProcess> => startReceiver(),
    /** Replaces the signing secret's value (directly on the emulator). */
    setKeys: async (apiKeys: string | readonly string[]): Promise<void> => {
      await setSigningKeys({ ...emulator, secretId: resources.secretId, apiKeys });
      keys = apiKeys;
    },
    /**
     * Everything the tap received: waits for `expectedCount` deliveries (if any),
     * then for `quietMs` without a new one, so that duplicates are counted too.
     */
    drain: async (expectedCount = 0, quietMs = 1_000): Promise<TapDelivery[]> => {
      const tap = { ...emulator, queueUrl: resources.tapQueueUrl };
      const first =
        expectedCount === 0 ? [] : await drainTap({ ...tap, expectedCount, waitMs: 15_000 });
      return [...first, ...(await drainTap({ ...tap, waitMs: quietMs }))];
    },
    /** Every record of the idempotency table (read directly from the emulator). */
    records: async (): Promise<StoredRecord[]> => {
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
    /** Stops the receiver processes and the proxy (the resources stay on the emulator). */
    stop: async (): Promise<void> => {
      await stopAll();
      dynamodb.destroy();
    },
  };
}
