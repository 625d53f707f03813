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

/** What one run of the example printed, and what it left in its queue. */
interface Run {
  readonly outcomes: Outcome[];
  readonly left: { readonly visible: number; readonly invisible: number };
}

/** A driver that runs the example's `consume` with a handler failing for one event id (argv[3]). */
const FAILING_HANDLER_DRIVER = `
import sys
sys.path.insert(0, ${JSON.stringify(EXAMPLE_DIR)})
import consumer

def handler(event):
    if event["event_id"] == sys.argv[3]:
        raise RuntimeError("downstream unavailable")

consumer.consume(sys.argv[1], consumer.load_validator(sys.argv[2]), handler=handler, until_empty=True, wait_seconds=1)
`;

let target: { endpoint: string; region: string };
let python: string;
let sns: SNSClient;
let sqs: SQSClient;

function runPython(args: readonly string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      python,
      args,
      {
        env: {
          PATH: process.env.PATH ?? '',
          AWS_ENDPOINT_URL: target.endpoint,
          AWS_DEFAULT_REGION: target.region,
          AWS_ACCESS_KEY_ID: 'test',
          AWS_SECRET_ACCESS_KEY: 'test',
        },
        timeout: 60_000,
      },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`${args[0]} failed: ${error.message}\n${stderr}`));
        else resolve(stdout);
      },
    );
  });
}

/** A topic and a queue subscribed to it, with raw delivery as the consumer construct makes them, or without. */
async function subscribedQueue(raw: boolean): Promise<{ topicArn: string; queueUrl: string }> {
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
  if (topicArn === undefined || queueUrl === undefined) {
    throw new Error('emulator returned no ARN or URL');
  }
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: ['QueueArn'] }),
  );
  await sns.send(
    new SubscribeCommand({
      TopicArn: topicArn,
      Protocol: 'sqs',
      Endpoint: Attributes?.QueueArn,
      Attributes: { RawMessageDelivery: String(raw) },
    }),
  );
  return { topicArn, queueUrl };
}

/**
 * Publishes `events` the receiver's way (its message builder, its SNS
 * publisher) and `foreign` bodies with a plain Publish, then runs the example
 * (`args` after the queue URL and the schema) and reads what it left.
 */
async function deliverAndConsume(
  events: readonly EventBody[],
  foreign: readonly string[],
  command: (queueUrl: string) => string[],
  raw = true,
): Promise<Run> {
  const { topicArn, queueUrl } = await subscribedQueue(raw);
  const publisher = new SnsEventPublisher(sns);
  for (const body of events) {
    const parsed = parseEnvelope(body);
    if (parsed.kind !== 'event') {
      throw new Error(`the receiver would not publish ${JSON.stringify(body)}`);
    }
    await publisher.publish(topicArn, buildEventMessage(parsed.event));
  }
  for (const message of foreign) {
    await sns.send(new PublishCommand({ TopicArn: topicArn, Message: message }));
  }
  const stdout = await runPython(command(queueUrl));
  const names: QueueAttributeName[] = [
    'ApproximateNumberOfMessages',
    'ApproximateNumberOfMessagesNotVisible',
  ];
  const { Attributes } = await sqs.send(
    new GetQueueAttributesCommand({ QueueUrl: queueUrl, AttributeNames: names }),
  );
  return {
    outcomes: stdout
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Outcome),
    left: {
      visible: Number(Attributes?.ApproximateNumberOfMessages),
      invisible: Number(Attributes?.ApproximateNumberOfMessagesNotVisible),
    },
  };
}

/** The example as a user runs it, stopping when the queue is empty. */
function exampleCommand(queueUrl: string): string[] {
  const options = ['--schema', SCHEMA, '--until-empty', '--wait-seconds', '1'];
  return [join(EXAMPLE_DIR, 'consumer.py'), '--queue-url', queueUrl, ...options];
}

beforeAll(async () => {
  target = { endpoint: inject('emulatorEndpoint'), region: inject('emulatorRegion') };
  const bin = await ensureVenv({
    venv: join(ROOT, '.venv', 'python-consumer'),
    requirements: join(EXAMPLE_DIR, 'requirements.txt'),
    executables: ['python'],
    label: 'python consumer example: boto3, jsonschema',
  });
  python = join(bin, 'python');
  sns = new SNSClient({ ...emulatorClientConfig(target), maxAttempts: 1 });
  sqs = new SQSClient(emulatorClientConfig(target));
});

describe('the Python consumer example', () => {
  let run: Run;

  beforeAll(async () => {
    run = await deliverAndConsume(
      [...validEvents, ...Object.values(schemaBreaking)],
      Object.values(foreignBodies),
      exampleCommand,
    );
  });

  it('handles every valid event once, with its id and type', () => {
    const processed = run.outcomes.filter((line) => line.outcome === 'processed');
    expect(processed.map((line) => [line.event_id, line.event_type]).sort()).toEqual(
      validEvents.map((body) => [body.payload.event_id, body.payload.event_type]).sort(),
    );
  });

  it('rejects each schema-breaking message with the reason the schema gives', () => {
    const reasons = run.outcomes
      .filter((line) => line.outcome === 'rejected')
      .map((line) => line.reason);
    const expected = [...Object.keys(schemaBreaking), ...Object.keys(foreignBodies)];
    expect(reasons).toHaveLength(expected.length);
    for (const reason of expected) {
      expect(reasons.filter((given) => given?.startsWith(reason))).toHaveLength(1);
    }
  });

  it('reports nothing else: no handler failure, no failed delete', () => {
    expect(
      run.outcomes.filter((line) => !['processed', 'rejected'].includes(line.outcome)),
    ).toEqual([]);
  });

  it('deletes what it handled and leaves what it rejected in the queue', () => {
    expect(run.left).toEqual({
      visible: 0,
      invisible: Object.keys(schemaBreaking).length + Object.keys(foreignBodies).length,
    });
  });
});

describe('the Python consumer example, with a handler that raises', () => {
  it('reports the failed event, leaves it in the queue and goes on with the others', async () => {
    const [failing, other] = [
      buildEvent({ payload: { event_id: randomUUID() } }),
      buildEvent({ type: 'vault.connection.revoked', payload: { event_id: randomUUID() } }),
    ];
    if (failing === undefined || other === undefined) throw new Error('no events');
    const run = await deliverAndConsume([failing, other], [], (queueUrl) => [
      '-c',
      FAILING_HANDLER_DRIVER,
      queueUrl,
      SCHEMA,
      String(failing.payload.event_id),
    ]);
    expect(
      run.outcomes.map(({ outcome, event_id, reason }) => ({ outcome, event_id, reason })),
    ).toEqual(
      expect.arrayContaining([
        {
          outcome: 'failed',
          event_id: failing.payload.event_id,
          reason: "RuntimeError('downstream unavailable')",
        },
        { outcome: 'processed', event_id: other.payload.event_id, reason: undefined },
      ]),
    );
    expect(run.outcomes).toHaveLength(2);
    expect(run.left).toEqual({ visible: 0, invisible: 1 });
  });
});

describe('the Python consumer example, on a subscription without raw delivery', () => {
  it('finds the event inside the SNS notification', async () => {
    const event = buildEvent({ payload: { event_id: randomUUID() } });
    const run = await deliverAndConsume([event], [], exampleCommand, false);
    expect(run.outcomes.map(({ outcome, event_id }) => ({ outcome, event_id }))).toEqual([
      { outcome: 'processed', event_id: event.payload.event_id },
    ]);
    expect(run.left).toEqual({ visible: 0, invisible: 0 });
  });
});
