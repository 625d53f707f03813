/**
 * createSqsHandler without a table: dispatch by type, partial batch failures,
 * FIFO group order. Its idempotency runs against the emulator
 * (test/integration/consumer-idempotency.test.ts).
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { describe, expect, expectTypeOf, it, vi } from 'vitest';
import {
  ConsumerConfigurationError,
  type ConsumerLogger,
  createSqsHandler,
  type OtherApideckEvent,
  type VaultConnectionCreatedEvent,
} from '../../../consumer/index.ts';
import { CONSUMER_ENVIRONMENT } from '../../../lambda/contract/consumer-environment.ts';
import {
  fakeLambdaContext,
  publishedEvent,
  snsNotification,
  sqsEvent,
  sqsRecord,
} from '../../support/consumer-records.ts';

function recordingLogger(): ConsumerLogger & {
  lines: { level: string; message: string; attributes: object }[];
} {
  const lines: { level: string; message: string; attributes: object }[] = [];
  return {
    lines,
    info: (message, attributes) => lines.push({ level: 'info', message, attributes }),
    warn: (message, attributes) => lines.push({ level: 'warn', message, attributes }),
    error: (message, attributes) => lines.push({ level: 'error', message, attributes }),
  };
}

const context = fakeLambdaContext();

function eventBody(
  id: string,
  type: Parameters<typeof publishedEvent>[0] = 'vault.connection.created',
) {
  return JSON.stringify(publishedEvent(type, { event_id: id }));
}

describe('createSqsHandler', () => {
  it('gives a raw-delivery record to the handler of its type, and acknowledges it', async () => {
    const created = vi.fn();
    const handler = createSqsHandler({
      handlers: { 'vault.connection.created': created },
      logger: recordingLogger(),
    });
    const response = await handler(sqsEvent(sqsRecord()), context);
    expect(response).toEqual({ batchItemFailures: [] });
    expect(created).toHaveBeenCalledOnce();
    expect(created.mock.calls[0]?.[0]).toEqual(publishedEvent());
  });

  it('reads a record whose body is an SNS notification', async () => {
    const created = vi.fn();
    const handler = createSqsHandler({
      handlers: { 'vault.connection.created': created },
      logger: recordingLogger(),
    });
    const body = JSON.stringify(snsNotification(eventBody('e-sns')));
    await handler(sqsEvent(sqsRecord({ body })), context);
    expect(created.mock.calls[0]?.[0]).toMatchObject({ event_id: 'e-sns' });
  });

  it('passes the Lambda context to the handler', async () => {
    const created = vi.fn();
    const handler = createSqsHandler({
      handlers: { 'vault.connection.created': created },
      logger: recordingLogger(),
    });
    await handler(sqsEvent(sqsRecord()), context);
    expect(created.mock.calls[0]?.[1]).toBe(context);
  });

  it('reports a record that does not parse, and processes the others', async () => {
    const created = vi.fn();
    const logger = recordingLogger();
    const handler = createSqsHandler({ handlers: { 'vault.connection.created': created }, logger });
    const response = await handler(
      sqsEvent(
        sqsRecord({ messageId: 'bad', body: '{"event_type":' }),
        sqsRecord({ messageId: 'good' }),
      ),
      context,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'bad' }]);
    expect(created).toHaveBeenCalledOnce();
    expect(logger.lines).toContainEqual(
      expect.objectContaining({
        level: 'error',
        attributes: expect.objectContaining({ messageId: 'bad', error: 'ApideckEventError' }),
      }),
    );
  });

  it('reports a record whose handler throws', async () => {
    const handler = createSqsHandler({
      handlers: {
        'vault.connection.created': (event) => {
          if (event.event_id === 'boom') throw new Error('downstream refused');
        },
      },
      logger: recordingLogger(),
    });
    const response = await handler(
      sqsEvent(
        sqsRecord({ messageId: 'm1', body: eventBody('boom') }),
        sqsRecord({ messageId: 'm2', body: eventBody('fine') }),
      ),
      context,
    );
    expect(response.batchItemFailures).toEqual([{ itemIdentifier: 'm1' }]);
  });

  it('reports every record when every record fails, instead of throwing', async () => {
    const handler = createSqsHandler({
      handlers: { 'vault.connection.created': () => Promise.reject(new Error('down')) },
      logger: recordingLogger(),
    });
    const response = await handler(
      sqsEvent(
        sqsRecord({ messageId: 'm1', body: eventBody('a') }),
        sqsRecord({ messageId: 'm2', body: eventBody('b') }),
      ),
      context,
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'm1' },
      { itemIdentifier: 'm2' },
    ]);
  });

  it('acknowledges and logs an event whose type has no handler', async () => {
    const logger = recordingLogger();
    const handler = createSqsHandler({ handlers: { 'vault.connection.revoked': vi.fn() }, logger });
    const response = await handler(sqsEvent(sqsRecord()), context);
    expect(response.batchItemFailures).toEqual([]);
    expect(logger.lines).toEqual([
      {
        level: 'info',
        message: 'no handler for the event type: acknowledged',
        attributes: expect.objectContaining({ event_type: 'vault.connection.created' }),
      },
    ]);
  });

  it('gives an event of another type to its handler as the catch-all event', async () => {
    const updated = vi.fn();
    const handler = createSqsHandler({
      handlers: { 'crm.contact.updated': updated },
      logger: recordingLogger(),
    });
    const body = JSON.stringify({
      event_type: 'crm.contact.updated',
      event_id: 'c1',
      occurred_at: '2026-11-26T12:00:00.000Z',
    });
    await handler(sqsEvent(sqsRecord({ body })), context);
    expect(updated.mock.calls[0]?.[0]).toMatchObject({ event_id: 'c1' });
  });

  it('on a FIFO queue, fails the later records of a group after one fails, without running them', async () => {
    const seen: string[] = [];
    const handler = createSqsHandler({
      handlers: {
        'vault.connection.created': (event) => {
          seen.push(event.event_id);
          if (event.event_id === 'a2') throw new Error('refused');
        },
      },
      logger: recordingLogger(),
    });
    const response = await handler(
      sqsEvent(
        sqsRecord({ messageId: 'a1', groupId: 'A', body: eventBody('a1') }),
        sqsRecord({ messageId: 'a2', groupId: 'A', body: eventBody('a2') }),
        sqsRecord({ messageId: 'b1', groupId: 'B', body: eventBody('b1') }),
        sqsRecord({ messageId: 'a3', groupId: 'A', body: eventBody('a3') }),
      ),
      context,
    );
    expect(response.batchItemFailures).toEqual([
      { itemIdentifier: 'a2' },
      { itemIdentifier: 'a3' },
    ]);
    expect(seen).toEqual(['a1', 'a2', 'b1']);
  });

  it('refuses idempotency without a table name, when it is created', () => {
    vi.stubEnv(CONSUMER_ENVIRONMENT.idempotencyTableName, '');
    try {
      expect(() => createSqsHandler({ handlers: {}, idempotency: {} })).toThrow(
        ConsumerConfigurationError,
      );
    } finally {
      vi.unstubAllEnvs();
    }
  });

  it('refuses an expiry that is not a positive number of seconds', () => {
    expect(() =>
      createSqsHandler({ handlers: {}, idempotency: { tableName: 't', expiresAfterSeconds: 0 } }),
    ).toThrow(/expiresAfterSeconds/);
  });

  it('types each handler with the event of its key', async () => {
    const seen: string[] = [];
    const handler = createSqsHandler({
      handlers: {
        'vault.connection.created': (event) => {
          expectTypeOf(event).toEqualTypeOf<VaultConnectionCreatedEvent>();
          seen.push(event.entity?.consumer_id ?? 'none');
        },
        'crm.contact.updated': (event) => {
          expectTypeOf(event).toEqualTypeOf<OtherApideckEvent<'crm.contact.updated'>>();
          seen.push(event.event_type);
        },
      },
      logger: recordingLogger(),
    });
    const other = JSON.stringify({
      event_type: 'crm.contact.updated',
      event_id: 'c1',
      occurred_at: '2026-11-26T12:00:00.000Z',
    });
    await handler(
      sqsEvent(sqsRecord({ messageId: 'v' }), sqsRecord({ messageId: 'o', body: other })),
      context,
    );
    expect(seen).toEqual(['acme-user-42', 'crm.contact.updated']);
  });

  it("writes its decisions through Powertools' Logger when given one", async () => {
    // Powertools' Logger writes to standard output through a console of its own.
    const written = vi.spyOn(process.stdout, 'write').mockImplementation(() => true);
    try {
      const logger = new Logger({ serviceName: 'crm-sync' });
      const handler = createSqsHandler({
        handlers: { 'vault.connection.revoked': vi.fn() },
        logger,
      });
      await handler(sqsEvent(sqsRecord()), context);
      const lines = written.mock.calls
        .map(([chunk]) => String(chunk))
        .filter((line) => line.startsWith('{'))
        .map((line) => JSON.parse(line));
      expect(lines).toContainEqual(
        expect.objectContaining({
          message: 'no handler for the event type: acknowledged',
          service: 'crm-sync',
          event_type: 'vault.connection.created',
        }),
      );
    } finally {
      written.mockRestore();
    }
  });
});
