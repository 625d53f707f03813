import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { resolveReceiverProps } from '../../lib/receiver/resolve-props.ts';
import type { ApideckWebhookReceiverProps } from '../../lib/receiver-props.ts';

/** Validation runs before any resource exists, so these need no synthesis. */
function resolve(props: ApideckWebhookReceiverProps) {
  return () => resolveReceiverProps('Stack/Receiver', props);
}

describe('receiver props', () => {
  it('defaults to the secure settings', () => {
    expect(resolveReceiverProps('R', {})).toMatchObject({
      retentionDays: 7,
      webApplicationFirewall: true,
      tableDeletionProtection: true,
      subscriberAccountIds: [],
      eventTypes: expect.arrayContaining(['vault.connection.created']),
    });
  });

  it("refuses a retention too short to cover Apideck's retries", () => {
    expect(resolve({ idempotencyRetention: Duration.days(2) })).toThrow(
      /idempotencyRetention .* from 3 to 365, got 2/,
    );
  });

  it('refuses a retention that is not whole days', () => {
    expect(resolve({ idempotencyRetention: Duration.hours(80) })).toThrow(/whole days/);
  });

  it('refuses a malformed event type, the catch-all and duplicates', () => {
    expect(resolve({ eventTypes: ['Vault Connection'] })).toThrow(/not an Apideck event type/);
    expect(resolve({ eventTypes: ['*'] })).toThrow(/not an Apideck event type/);
    expect(resolve({ eventTypes: ['a.b', 'a.b'] })).toThrow(/listed twice/);
  });

  it('refuses two event types that would share a construct id', () => {
    expect(resolve({ eventTypes: ['a.b_c', 'a.b.c'] })).toThrow(/same identifier "ABC"/);
  });

  it('refuses an empty list of event types', () => {
    expect(resolve({ eventTypes: [] })).toThrow(/at least one event type/);
  });

  it('refuses an account id that is not 12 digits', () => {
    expect(resolve({ subscriberAccountIds: ['12345'] })).toThrow(/12-digit/);
  });

  it('refuses a parameter prefix SSM would not accept', () => {
    expect(resolve({ topicParameterPrefix: 'apideck/' })).toThrow(/topicParameterPrefix/);
  });

  it('refuses memory outside what Lambda allows', () => {
    expect(resolve({ memorySizeMiB: 64 })).toThrow(/memorySizeMiB/);
  });
});
