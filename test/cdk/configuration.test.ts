import { readFileSync } from 'node:fs';
import path from 'node:path';
import { App, Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import { describe, expect, it } from 'vitest';
import { ApideckWebhooksStack } from '../../lib/apideck-webhooks-stack.ts';
import { composeReadyApp } from '../../lib/context/ready-app.ts';
import {
  CODE_ONLY_PROPS,
  ContextValueError,
  RECEIVER_CONTEXT_KEYS,
  receiverPropsFromContext,
} from '../../lib/context/receiver-context.ts';
import { NO_ALARM_RECIPIENT_WARNING } from '../../lib/receiver/monitoring/alarm-recipient.ts';
import { RECEIVER_DEFAULTS } from '../../lib/receiver/resolve-props.ts';
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
        memorySizeMiB: '512',
        webApplicationFirewall: 'false',
        eventTypes: 'vault.connection.created, vault.connection.deleted',
        subscriberAccountIds: '["111111111111"]',
        idempotencyRetention: 'P14D',
        logRetention: '30',
        alarmEmail: 'ops@example.com',
        signatureRejectedAlarmPerFiveMinutes: '50',
        noEventsAlarmAfter: 'PT12H',
      }),
    ).toEqual({
      memorySizeMiB: 512,
      webApplicationFirewall: false,
      eventTypes: ['vault.connection.created', 'vault.connection.deleted'],
      subscriberAccountIds: ['111111111111'],
      // Duration.parse keeps milliseconds; the construct reads any unit.
      idempotencyRetention: Duration.millis(Duration.days(14).toMilliseconds()),
      logRetention: logs.RetentionDays.ONE_MONTH,
      alarmEmail: 'ops@example.com',
      signatureRejectedAlarmPerFiveMinutes: 50,
      noEventsAlarmAfter: Duration.millis(Duration.hours(12).toMilliseconds()),
    });
  });

  it('reads typed JSON values as cdk.json holds them', () => {
    expect(
      fromContext({
        throttlingRateLimit: 20,
        dashboard: false,
        eventTypes: ['vault.connection.created'],
        p99LatencyAlarmThreshold: 'PT1.5S',
      }),
    ).toEqual({
      throttlingRateLimit: 20,
      dashboard: false,
      eventTypes: ['vault.connection.created'],
      p99LatencyAlarmThreshold: Duration.millis(1500),
    });
  });

  it.each([
    ['memorySizeMiB', { memorySizeMiB: 'big' }, /must be an integer, got "big"/],
    ['maxBodyBytes', { maxBodyBytes: '1.5' }, /must be an integer/],
    ['webApplicationFirewall', { webApplicationFirewall: 'yes' }, /must be true or false/],
    ['idempotencyRetention', { idempotencyRetention: '7 days' }, /ISO 8601 duration/],
    ['logRetention', { logRetention: '42' }, /retention periods in days .*got 42/],
    ['eventTypes', { eventTypes: '["vault.connection.created"' }, /not a valid JSON array/],
    ['subscriberAccountIds', { subscriberAccountIds: [1] }, /list of non-empty strings/],
    ['alarmEmail', { alarmEmail: '' }, /non-empty string/],
    ['p99LatencyAlarmThreshold', { p99LatencyAlarmThreshold: 3 }, /ISO 8601 duration/],
    [
      'signatureRejectedAlarmPerFiveMinutes',
      { signatureRejectedAlarmPerFiveMinutes: 'many' },
      /must be an integer/,
    ],
  ])('refuses an unreadable %s, naming the key', (key, context, message) => {
    const error = contextError(context);
    expect(error?.key).toBe(key);
    expect(error?.message).toMatch(new RegExp(`^context "${key.replace('.', '\\.')}": `));
    expect(error?.message).toMatch(message);
  });

  it('lets the construct refuse a readable value out of range, naming the prop of the same name', () => {
    const app = newApp();
    app.node.setContext('memorySizeMiB', '64');
    expect(
      () => new ApideckWebhooksStack(app, 'ApideckWebhooks', receiverPropsFromContext(app.node)),
    ).toThrow(
      /ApideckWebhooks\/Receiver: memorySizeMiB must be an integer from 128 to 10240, got 64/,
    );
  });

  it.each([
    [
      'alarms',
      '{"signatureRejected":50}',
      /signatureRejectedAlarmPerFiveMinutes .*p99LatencyAlarmThreshold and noEventsAlarmAfter/,
    ],
    ['archiveRetentionDays', '30', /set archiveRetention, an ISO 8601 duration/],
    ['memorySize', '512', /set memorySizeMiB$/],
  ])('refuses the renamed key %s, naming what to set instead', (key, value, replacement) => {
    const error = contextError({ [key]: value });
    expect(error?.key).toBe(key);
    expect(error?.message).toMatch(new RegExp(`^context "${key}": is no longer read: `));
    expect(error?.message).toMatch(replacement);
  });

  it('has a key for every prop with a default, and code-only props are only the constructs', () => {
    for (const prop of Object.keys(RECEIVER_DEFAULTS)) {
      expect(RECEIVER_CONTEXT_KEYS as string[]).toContain(prop);
    }
    expect(RECEIVER_CONTEXT_KEYS as string[]).toContain('alarmEmail');
    expect([...CODE_ONLY_PROPS]).toEqual(['signingSecret', 'encryptionKey']);
  });
});

describe('the ready app', () => {
  it('deploys the receiver alone without subscriptionHealth context', () => {
    const { stack, subscriptionHealth } = composeReadyApp(newApp());
    expect([stack.receiver.node.path, subscriptionHealth]).toEqual([
      'ApideckWebhooks/Receiver',
      undefined,
    ]);
  });

  it('adds ApideckSubscriptionHealth for the receiver when the subscriptionHealth context is set', () => {
    const app = newApp();
    app.node.setContext('subscriptionHealth', '{"appId":"app-123","reconcile":false}');
    const { subscriptionHealth } = composeReadyApp(app);
    expect([subscriptionHealth?.node.path, Object.keys(subscriptionHealth?.alarms ?? {})]).toEqual([
      'ApideckWebhooks/SubscriptionHealth',
      ['subscriptionDisabled'],
    ]);
  });

  it('passes the receiver props read from context to the receiver', () => {
    const app = newApp();
    app.node.setContext('metricsNamespace', 'Team/Apideck');
    expect(composeReadyApp(app).stack.receiver.metricsNamespace).toBe('Team/Apideck');
  });
});

describe('docs/configuration.md', () => {
  const doc = readFileSync(path.join(PROJECT_ROOT, 'docs', 'configuration.md'), 'utf8');

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
