import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { describe, expect, it } from 'vitest';
import { ApideckWebhooksStack } from '../../lib/apideck-webhooks-stack.ts';
import {
  CODE_ONLY_PROPS,
  ContextValueError,
  RECEIVER_CONTEXT_KEYS,
  receiverPropsFromContext,
} from '../../lib/context/receiver-context.ts';
import { NO_ALARM_RECIPIENT_WARNING } from '../../lib/receiver/monitoring/alarm-recipient.ts';
import { RECEIVER_DEFAULTS } from '../../lib/receiver/resolve-props.ts';
import { configurationRows } from './support/configuration-table.ts';
import { newApp, PROJECT_ROOT, synthStack } from './support/synth.ts';

function fromContext(context: Record<string, unknown>) {
  return receiverPropsFromContext(new App({ context }).node);
}

/** The ContextValueError reading `context` throws, or undefined. */
function contextError(context: Record<string, unknown>): ContextValueError | undefined {
  try {
    fromContext(context);
  } catch (error) {
    if (error instanceof ContextValueError) return error;
    throw error;
  }
  return undefined;
}

describe('receiver props from CDK context', () => {
  it('leaves every prop unset without context, so the defaults apply', () => {
    expect(fromContext({})).toEqual({});
  });

  it('reads command-line strings into numbers, booleans, lists and durations', () => {
    expect(
      fromContext({
        memorySize: '512',
        webApplicationFirewall: 'false',
        eventTypes: 'vault.connection.created, vault.connection.deleted',
        subscriberAccountIds: '["111111111111"]',
        idempotencyRetention: 'P14D',
        logRetention: '30',
        alarmEmail: 'ops@example.com',
        alarms: '{"signatureRejected":"50","noEventsFor":"PT12H"}',
      }),
    ).toEqual({
      memorySize: 512,
      webApplicationFirewall: false,
      eventTypes: ['vault.connection.created', 'vault.connection.deleted'],
      subscriberAccountIds: ['111111111111'],
      // Duration.parse keeps milliseconds; the construct reads any unit.
      idempotencyRetention: Duration.millis(Duration.days(14).toMilliseconds()),
      logRetention: logs.RetentionDays.ONE_MONTH,
      alarmEmail: 'ops@example.com',
      alarms: {
        signatureRejected: 50,
        noEventsFor: Duration.millis(Duration.hours(12).toMilliseconds()),
      },
    });
  });

  it('reads typed JSON values as cdk.json holds them', () => {
    expect(
      fromContext({
        throttlingRateLimit: 20,
        dashboard: false,
        eventTypes: ['vault.connection.created'],
        alarms: { p99Latency: 'PT1.5S' },
      }),
    ).toEqual({
      throttlingRateLimit: 20,
      dashboard: false,
      eventTypes: ['vault.connection.created'],
      alarms: { p99Latency: Duration.millis(1500) },
    });
  });

  it.each([
    ['memorySize', { memorySize: 'big' }, /must be an integer, got "big"/],
    ['maxBodyBytes', { maxBodyBytes: '1.5' }, /must be an integer/],
    ['webApplicationFirewall', { webApplicationFirewall: 'yes' }, /must be true or false/],
    ['idempotencyRetention', { idempotencyRetention: '7 days' }, /ISO 8601 duration/],
    ['logRetention', { logRetention: '42' }, /retention periods in days .*got 42/],
    ['eventTypes', { eventTypes: '["vault.connection.created"' }, /not a valid JSON array/],
    ['subscriberAccountIds', { subscriberAccountIds: [1] }, /list of non-empty strings/],
    ['alarmEmail', { alarmEmail: '' }, /non-empty string/],
    ['alarms', { alarms: '[1]' }, /must be a JSON object/],
    ['alarms.p99Latency', { alarms: { p99Latency: 3 } }, /ISO 8601 duration/],
    ['alarms.completionFailed', { alarms: { completionFailed: 3 } }, /not an alarm setting/],
  ])('refuses an unreadable %s, naming the key', (key, context, message) => {
    const error = contextError(context);
    expect(error?.key).toBe(key);
    expect(error?.message).toMatch(new RegExp(`^context "${key.replace('.', '\\.')}": `));
    expect(error?.message).toMatch(message);
  });

  it('lets the construct refuse a readable value out of range, naming the prop of the same name', () => {
    const app = newApp();
    app.node.setContext('memorySize', '64');
    expect(
      () =>
        new ApideckWebhooksStack(app, 'ApideckWebhooks', {
          receiver: receiverPropsFromContext(app.node),
        }),
    ).toThrow(/ApideckWebhooks\/Receiver: memorySize must be an integer from 128 to 10240, got 64/);
  });

  it('has a key for every prop with a default, and code-only props are only the constructs', () => {
    for (const prop of Object.keys(RECEIVER_DEFAULTS)) {
      expect(RECEIVER_CONTEXT_KEYS as string[]).toContain(prop);
    }
    expect(RECEIVER_CONTEXT_KEYS as string[]).toContain('alarmEmail');
    expect([...CODE_ONLY_PROPS]).toEqual([
      'signingSecret',
      'encryptionKey',
      'certificate',
      'hostedZone',
    ]);
  });
});

describe('docs/configuration.md', () => {
  const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');

  it('lists every context key with its format and default, and nothing else', () => {
    const rows = doc
      .split('\n')
      .filter((line) => line.startsWith('| `'))
      .map((line) => line.slice(2, -2).split(' | ').slice(0, 3));
    expect(rows).toEqual(configurationRows());
  });

  it('names the code-only props', () => {
    for (const prop of CODE_ONLY_PROPS) expect(doc).toContain(`\`${prop}\``);
  });
});

describe('the alarm recipient warning', () => {
  const warning = Match.stringLikeRegexp('No alarm recipient');

  it('warns at synthesis when no alarm email and no subscription is configured', () => {
    const { stack } = synthStack();
    Annotations.fromStack(stack).hasWarning('/ApideckWebhooks/Receiver', warning);
    expect(JSON.stringify(Annotations.fromStack(stack).findWarning('*', warning))).toContain(
      NO_ALARM_RECIPIENT_WARNING,
    );
  });

  it('is quiet with an alarm email', () => {
    const { stack } = synthStack({ alarmEmail: 'ops@example.com' });
    Annotations.fromStack(stack).hasNoWarning('*', warning);
  });

  it('is quiet when the alarm topic gets a subscription after the receiver exists', () => {
    const { stack } = synthStack({}, (s) => {
      s.receiver.alarmTopic.addSubscription(
        new subscriptions.UrlSubscription('https://alerts.example.com/hook'),
      );
    });
    Annotations.fromStack(stack).hasNoWarning('*', warning);
  });
});
