/**
 * createSqsHandler's idempotency against a real DynamoDB table on the emulator,
 * of the layout the consumer construct creates (`CONSUMER_IDEMPOTENCY_TABLE`).
 * Each handler instance stands for one Lambda container; faults go through
 * the fault proxy.
 */
import { randomBytes } from 'node:crypto';
import {
  CreateTableCommand,
  DeleteTableCommand,
  DynamoDBClient,
  ScanCommand,
  UpdateTimeToLiveCommand,
} from '@aws-sdk/client-dynamodb';
import { afterAll, beforeAll, describe, expect, inject, it, vi } from 'vitest';
import {
  type ConsumerLogger,
  createSqsHandler,
  type IdempotencyOptions,
} from '../../consumer/index.ts';
import { CONSUMER_ENVIRONMENT } from '../../lambda/contract/consumer-environment.ts';
import { CONSUMER_IDEMPOTENCY_TABLE } from '../../lambda/contract/consumer-idempotency-table.ts';
import { CONSUMER_METRICS } from '../../lambda/contract/consumer-metrics.ts';
import { operationRule, startFaultProxy } from '../../tools/emulator/fault-proxy.ts';
import { freePort } from '../../tools/emulator/free-port.ts';
import { emulatorClientConfig } from '../../tools/emulator/index.ts';
import {
  fakeLambdaContext,
  publishedEvent,
  sqsEvent,
  sqsRecord,
} from '../support/consumer-records.ts';

const emulator = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
const clientConfig = emulatorClientConfig(emulator);
const dynamodb = new DynamoDBClient(clientConfig);
const tableName = `consumer-idempotency-${randomBytes(4).toString('hex')}`;

const silent: ConsumerLogger = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
};

beforeAll(async () => {
  await dynamodb.send(
    new CreateTableCommand({
      TableName: tableName,
      AttributeDefinitions: [
        { AttributeName: CONSUMER_IDEMPOTENCY_TABLE.partitionKey, AttributeType: 'S' },
      ],
      KeySchema: [{ AttributeName: CONSUMER_IDEMPOTENCY_TABLE.partitionKey, KeyType: 'HASH' }],
      BillingMode: 'PAY_PER_REQUEST',
    }),
  );
  await dynamodb.send(
    new UpdateTimeToLiveCommand({
      TableName: tableName,
      TimeToLiveSpecification: {
        AttributeName: CONSUMER_IDEMPOTENCY_TABLE.timeToLiveAttribute,
        Enabled: true,
      },
    }),
  );
});

afterAll(async () => {
  await dynamodb.send(new DeleteTableCommand({ TableName: tableName }));
  dynamodb.destroy();
});

/** A fresh event id per test, so tests share the table without sharing events. */
function eventId(): string {
  return `evt-${randomBytes(8).toString('hex')}`;
}

function delivery(id: string, messageId = `msg-${randomBytes(4).toString('hex')}`) {
  return sqsRecord({
    messageId,
    body: JSON.stringify(publishedEvent('vault.connection.created', { event_id: id })),
  });
}

/** One container: its own handler instance on the shared table. */
function container(
  run: (eventId: string) => unknown,
  idempotency: IdempotencyOptions = {},
): ReturnType<typeof createSqsHandler> {
  return createSqsHandler({
    handlers: { 'vault.connection.created': (event) => run(event.event_id) },
    idempotency: { tableName, keyPrefix: 'consumer-test', clientConfig, ...idempotency },
    logger: silent,
  });
}

const context = fakeLambdaContext({ remainingTimeMs: 30_000 });

describe('createSqsHandler with idempotency, on DynamoDB', () => {
  it('acknowledges a copy of a completed event without running its handler again, in another container', async () => {
    const id = eventId();
    const run = vi.fn();
    const first = await container(run)(sqsEvent(delivery(id)), context);
    const copy = await container(run)(sqsEvent(delivery(id)), context);
    expect(first.batchItemFailures).toEqual([]);
    expect(copy.batchItemFailures).toEqual([]);
    expect(run).toHaveBeenCalledOnce();
  });

  it('reports a copy as failed while the handler runs elsewhere, without running it', async () => {
    const id = eventId();
    let release: () => void = () => undefined;
    const running = new Promise<void>((resolve) => {
      release = resolve;
    });
    const started = vi.fn();
    const elsewhere = container(async () => {
      started();
      await running;
    })(sqsEvent(delivery(id)), context);
    await vi.waitFor(() => expect(started).toHaveBeenCalled());
    const copyRun = vi.fn();
    const copy = await container(copyRun)(sqsEvent(delivery(id, 'copy')), context);
    release();
    await elsewhere;
    expect(copy.batchItemFailures).toEqual([{ itemIdentifier: 'copy' }]);
    expect(copyRun).not.toHaveBeenCalled();
  });

  it('leaves an event whose handler threw to run again, and then remembers its completion', async () => {
    const id = eventId();
    const run = vi.fn().mockRejectedValueOnce(new Error('downstream refused'));
    const failed = await container(run)(sqsEvent(delivery(id, 'try-1')), context);
    const retried = await container(run)(sqsEvent(delivery(id, 'try-2')), context);
    const copy = await container(run)(sqsEvent(delivery(id, 'try-3')), context);
    expect([failed, retried, copy].map((r) => r.batchItemFailures)).toEqual([
      [{ itemIdentifier: 'try-1' }],
      [],
      [],
    ]);
    expect(run).toHaveBeenCalledTimes(2);
  });

  it('runs an event again once the invocation that died holding it has run out of time', async () => {
    const id = eventId();
    const hung = vi.fn(() => new Promise<never>(() => undefined));
    // The dead invocation: it never finishes, and had 1 s left.
    void container(hung)(sqsEvent(delivery(id)), fakeLambdaContext({ remainingTimeMs: 1_000 }));
    await vi.waitFor(() => expect(hung).toHaveBeenCalled());
    const run = vi.fn();
    await vi.waitFor(
      async () => {
        const retry = await container(run)(sqsEvent(delivery(id)), context);
        expect(retry.batchItemFailures).toEqual([]);
      },
      { timeout: 10_000, interval: 500 },
    );
    expect(run).toHaveBeenCalledOnce();
  });

  it('runs one of two copies of an event in one batch and reports the other for retry', async () => {
    const id = eventId();
    const run = vi.fn(() => new Promise((resolve) => setTimeout(resolve, 200)));
    const response = await container(run)(
      sqsEvent(delivery(id, 'one'), delivery(id, 'two')),
      context,
    );
    expect(run).toHaveBeenCalledOnce();
    expect(response.batchItemFailures).toHaveLength(1);
  });

  it('runs distinct events once each', async () => {
    const ids = [eventId(), eventId(), eventId()];
    const run = vi.fn();
    const response = await container(run)(sqsEvent(...ids.map((id) => delivery(id))), context);
    expect(response.batchItemFailures).toEqual([]);
    expect(run.mock.calls.map(([id]) => id).sort()).toEqual([...ids].sort());
  });

  it('keeps functions that share the table apart by their key prefix', async () => {
    const id = eventId();
    const billing = vi.fn();
    const crm = vi.fn();
    await container(billing, { keyPrefix: 'billing' })(sqsEvent(delivery(id)), context);
    await container(crm, { keyPrefix: 'crm' })(sqsEvent(delivery(id)), context);
    expect([billing.mock.calls.length, crm.mock.calls.length]).toEqual([1, 1]);
  });

  it('takes the table from the environment variable the consumer construct sets', async () => {
    vi.stubEnv(CONSUMER_ENVIRONMENT.idempotencyTableName, tableName);
    try {
      const id = eventId();
      const run = vi.fn();
      const handler = () =>
        createSqsHandler({
          handlers: { 'vault.connection.created': run },
          idempotency: { keyPrefix: 'from-env', clientConfig },
          logger: silent,
        });
      await handler()(sqsEvent(delivery(id)), context);
      await handler()(sqsEvent(delivery(id)), context);
      expect(run).toHaveBeenCalledOnce();
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it("writes Powertools Idempotency's record: key id, status COMPLETED, expiration in epoch seconds", async () => {
    const id = eventId();
    const before = Math.floor(Date.now() / 1000);
    await container(vi.fn(), { keyPrefix: `layout-${id}`, expiresAfterSeconds: 3_600 })(
      sqsEvent(delivery(id)),
      context,
    );
    const { Items = [] } = await dynamodb.send(
      new ScanCommand({
        TableName: tableName,
        FilterExpression: 'begins_with(id, :prefix)',
        ExpressionAttributeValues: { ':prefix': { S: `layout-${id}#` } },
      }),
    );
    expect(Items).toHaveLength(1);
    expect(Items[0]?.status).toEqual({ S: 'COMPLETED' });
    const expiration = Number(Items[0]?.expiration?.N);
    expect(expiration).toBeGreaterThanOrEqual(before + 3_600);
    expect(expiration).toBeLessThan(before + 3_600 + 60);
  });

  it('reports the record for retry, without running the handler, when DynamoDB cannot be reached', async () => {
    const closed = `http://127.0.0.1:${await freePort()}`;
    const run = vi.fn();
    const handler = container(run, {
      clientConfig: { ...clientConfig, endpoint: closed, maxAttempts: 1 },
    });
    const response = await handler(sqsEvent(delivery(eventId(), 'unreachable')), context);
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'unreachable' }]);
    expect(run).not.toHaveBeenCalled();
  });

  it('logs and counts a possible duplicate when the completion cannot be recorded, and its retry after the lease runs again', async () => {
    const proxy = await startFaultProxy({ target: emulator.endpoint });
    const stdout = vi.spyOn(console, 'log').mockImplementation(() => undefined);
    try {
      proxy.intercept(operationRule('UpdateItem', { kind: 'unavailable' }));
      const id = eventId();
      const run = vi.fn();
      const lines: { message: string; attributes: Readonly<Record<string, unknown>> }[] = [];
      const logger: ConsumerLogger = {
        ...silent,
        error: (message, attributes) => lines.push({ message, attributes }),
      };
      const unrecorded = createSqsHandler({
        handlers: { 'vault.connection.created': (event) => run(event.event_id) },
        idempotency: {
          tableName,
          keyPrefix: 'consumer-test',
          clientConfig: { ...clientConfig, endpoint: proxy.endpoint, maxAttempts: 1 },
        },
        logger,
      });
      const first = await unrecorded(
        sqsEvent(delivery(id, 'first')),
        fakeLambdaContext({ remainingTimeMs: 1_000 }),
      );
      expect(first.batchItemFailures).toEqual([{ itemIdentifier: 'first' }]);
      expect(lines).toEqual([
        expect.objectContaining({
          attributes: expect.objectContaining({ event_id: id, possible_duplicate: true }),
        }),
      ]);
      const metrics = stdout.mock.calls.map(([line]) => JSON.parse(String(line)));
      expect(metrics).toEqual([
        expect.objectContaining({
          _aws: expect.objectContaining({
            CloudWatchMetrics: [expect.objectContaining({ Namespace: CONSUMER_METRICS.namespace })],
          }),
          [CONSUMER_METRICS.functionNameDimension]: 'apideck-webhook-receiver',
          [CONSUMER_METRICS.possibleDuplicate]: 1,
        }),
      ]);
      await vi.waitFor(
        async () => {
          const retry = await container(run)(sqsEvent(delivery(id, 'retry')), context);
          expect(retry.batchItemFailures).toEqual([]);
        },
        { timeout: 10_000, interval: 500 },
      );
      expect(run).toHaveBeenCalledTimes(2);
    } finally {
      stdout.mockRestore();
      await proxy.close();
    }
  });
});
