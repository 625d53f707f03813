/**
 * The Python consumer example (examples/python-consumer/consumer.py) against
 * the emulator: events reach its queue the way the receiver delivers them (the
 * receiver's own message builder and SNS publisher, a topic with a raw-delivery
 * SQS subscription), and the example, with its pinned requirements installed
 * into `.venv/python-consumer`, validates them against the package's JSON
 * Schema, deletes what it handled and leaves what it rejected in the queue.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import {
  CreateTopicCommand,
  PublishCommand,
  SNSClient,
  SubscribeCommand,
} from '@aws-sdk/client-sns';
import {
  CreateQueueCommand,
  GetQueueAttributesCommand,
  type QueueAttributeName,
  SQSClient,
} from '@aws-sdk/client-sqs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { SnsEventPublisher } from '../../lambda/adapters/sns-event-publisher.ts';
import { VAULT_CONNECTION_EVENT_TYPES } from '../../lambda/contract/event-catalogue.ts';
import { parseEnvelope } from '../../lambda/domain/envelope.ts';
import { buildEventMessage } from '../../lambda/domain/sns-message.ts';
import { emulatorClientConfig } from '../../tools/emulator/index.ts';
import { ensureVenv } from '../../tools/emulator/python-venv.ts';
import { buildEvent, buildUnifiedEvent, type EventBody } from '../support/apideck-events.ts';

const ROOT = join(import.meta.dirname, '..', '..');
const EXAMPLE_DIR = join(ROOT, 'examples', 'python-consumer');
/** The schema as the package ships it (`apideck-webhooks-aws/schemas/apideck-event.schema.json`). */
const SCHEMA = join(ROOT, 'schemas', 'apideck-event.schema.json');
/** Long enough that a rejected message stays invisible for the rest of the test. */
const VISIBILITY_TIMEOUT_SECONDS = 300;

/** One line the example printed for a message. */
interface Outcome {
  readonly outcome: 'processed' | 'rejected' | 'failed' | 'delete-failed';
  readonly message_id: string;
  readonly event_id?: string;
  readonly event_type?: string;
  readonly reason?: string;
}

/** Events the receiver would publish: its own checks pass (`parseEnvelope`). */
const validEvents: EventBody[] = [
  ...VAULT_CONNECTION_EVENT_TYPES.map((type) =>
    buildEvent({ type, payload: { event_id: randomUUID() } }),
  ),
  buildUnifiedEvent({ event_id: randomUUID() }),
];

/**
 * Events that pass the receiver's checks (it relies on three fields only and
 * passes the rest through) but break the schema, keyed by the reason the
 * example must give.
 */
const schemaBreaking: Record<string, EventBody> = {
  'entity/id: 5 is not of type': buildEvent({
    payload: { event_id: randomUUID(), entity: { id: 5 } },
  }),
  "execution_attempt: 'first' is not of type 'number'": buildEvent({
    type: 'vault.connection.revoked',
    payload: { event_id: randomUUID(), execution_attempt: 'first' },
  }),
};

/** Bodies only something other than the receiver could publish, keyed by the expected reason. */
const foreignBodies: Record<string, string> = {
  'not JSON': 'event received',
  "(event): 'event_id' is a required property": JSON.stringify({
    event_type: 'vault.connection.created',
    occurred_at: '2026-11-26T12:00:00.000Z',
  }),
  "occurred_at: 'yesterday' is not a 'date-time'": JSON.stringify({
    ...buildEvent({ payload: { event_id: randomUUID() } }).payload,
    occurred_at: 'yesterday',
  }),
};

let outcomes: Outcome[];
let queueCounts: Record<string, number>;

function runExample(
  python: string,
  queueUrl: string,
  endpoint: string,
  region: string,
): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      [
        join(EXAMPLE_DIR, 'consumer.py'),
        '--queue-url',
        queueUrl,
        '--schema',
        SCHEMA,
        '--until-empty',
        '--wait-seconds',
        '1',
      ],
      {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_ENDPOINT_URL: endpoint,
          AWS_DEFAULT_REGION: region,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`consumer.py failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

beforeAll(async () => {
  const target = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
  const bin = await ensureVenv({
    venv: join(ROOT, '.venv', 'python-consumer'),
    requirements: join(EXAMPLE_DIR, 'requirements.txt'),
    executables: ['python'],
    label: 'python consumer example: boto3, jsonschema',
  });
  const sns = new SNSClient({ ...emulatorClientConfig(target), maxAttempts: 1 });
  const sqs = new SQSClient(emulatorClientConfig(target));
  const suffix = randomUUID().slice(0, 8);
  const { TopicArn: topicArn } = await sns.send(
    new CreateTopicCommand({ Name: `events-${suffix}` }),
  );
  const { QueueUrl: queueUrl } = await sqs.send(
    new CreateQueueCommand({
      QueueName: `python-consumer-${suffix}`,
      Attributes: { VisibilityTimeout: String(VISIBILITY_TIMEOUT_SECONDS) },
    }),
  );
  if (topicArn === undefined || queueUrl === undefined)
    throw new Error('emulator returned no ARN or URL');
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: 'true' },
    }),
  );

  const publisher = new SnsEventPublisher(sns);
  for (const body of [...validEvents, ...Object.values(schemaBreaking)]) {
    const parsed = parseEnvelope(body);
    if (parsed.kind !== 'event')
      throw new Error(`the receiver would not publish ${JSON.stringify(body)}`);
    await publisher.publish(topicArn, buildEventMessage(parsed.event));
  }
  for (const message of Object.values(foreignBodies)) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  }

  const stdout = await runExample(join(bin, 'python'), queueUrl, target.endpoint, target.region);
  outcomes = stdout
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line) => JSON.parse(line) as Outcome);
  const names: QueueAttributeName[] = [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ];
  const counts = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }),
  );
  queueCounts = Object.fromEntries(names.map((name) => [name, Number(counts.Attributes?.[name])]));
});

describe('the Python consumer example', () => {
  it('handles every valid event once, with its id and type', () => {
    const processed = outcomes.filter((line) => line.outcome === 'processed');
    expect(processed.map((line) => [line.event_id, line.event_type]).sort()).toEqual(
      validEvents.map((body) => [body.payload.event_id, body.payload.event_type]).sort(),
    );
  });

  it('rejects each schema-breaking event with the reason the schema gives', () => {
    const reasons = outcomes
      .filter((line) => line.outcome === 'rejected')
      .map((line) => line.reason);
    const expected = [...Object.keys(schemaBreaking), ...Object.keys(foreignBodies)];
    expect(reasons).toHaveLength(expected.length);
    for (const reason of expected) {
      expect(reasons.filter((given) => given?.startsWith(reason))).toHaveLength(1);
    }
  });

  it('reports nothing else: no handler failure, no failed delete', () => {
    expect(outcomes.filter((line) => !['processed', 'rejected'].includes(line.outcome))).toEqual(
      [],
    );
  });

  it('deletes what it handled and leaves what it rejected in the queue', () => {
    expect(queueCounts).toEqual({
      ApproximateNumberOfMessages: 0,
      ApproximateNumberOfMessagesNotVisible:
        Object.keys(schemaBreaking).length + Object.keys(foreignBodies).length,
    });
  });
});
