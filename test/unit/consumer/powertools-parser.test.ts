/**
 * The event schema in Powertools' parser, with each envelope a subscriber
 * meets: SQS with raw delivery, SQS with SNS notifications, and SNS records.
 */
import { parse } from '@aws-lambda-powertools/parser';
import { SnsEnvelope, SnsSqsEnvelope, SqsEnvelope } from '@aws-lambda-powertools/parser/envelopes';
import { ParseError } from '@aws-lambda-powertools/parser/errors';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { type ApideckEvent, apideckEventSchema } from '../../../consumer/index.ts';
import {
  publishedEvent,
  snsNotification,
  sqsEvent,
  sqsRecord,
} from '../../support/consumer-records.ts';

const CREATED = publishedEvent('vault.connection.created');
const REVOKED = publishedEvent('vault.connection.revoked');

/** A Lambda subscription's `Sns` object: the notification, with Lambda's spelling of two fields. */
function lambdaSnsMessage(message: string) {
  const { SigningCertURL, UnsubscribeURL, ...notification } = snsNotification(message);
  return {
    ...notification,
    SigningCertUrl: SigningCertURL,
    UnsubscribeUrl: UnsubscribeURL,
    Subject: null,
    MessageAttributes: {},
  };
}

function snsEvent(...messages: string[]) {
  return {
    Records: messages.map((message) => ({
      EventSource: 'aws:sns',
      EventVersion: '1.0',
      EventSubscriptionArn:
        'arn:aws:sns:eu-west-1:123456789012:VaultConnectionCreated:0b9e2a4c-0000-4000-8000-000000000001',
      Sns: lambdaSnsMessage(message),
    })),
  };
}

describe('apideckEventSchema in Powertools parser', () => {
  it('parses an SQS event of raw deliveries with SqsEnvelope', () => {
    const events = parse(
      sqsEvent(
        sqsRecord({ body: JSON.stringify(CREATED) }),
        sqsRecord({ body: JSON.stringify(REVOKED) }),
      ),
      SqsEnvelope,
      apideckEventSchema,
    );
    expectTypeOf(events).toEqualTypeOf<ApideckEvent[]>();
    expect(events).toEqual([CREATED, REVOKED]);
  });

  it('parses an SQS event of SNS notifications with SnsSqsEnvelope', () => {
    const body = JSON.stringify(snsNotification(JSON.stringify(CREATED)));
    expect(parse(sqsEvent(sqsRecord({ body })), SnsSqsEnvelope, apideckEventSchema)).toEqual([
      CREATED,
    ]);
  });

  it('parses an SNS event of a Lambda subscription with SnsEnvelope', () => {
    expect(parse(snsEvent(JSON.stringify(REVOKED)), SnsEnvelope, apideckEventSchema)).toEqual([
      REVOKED,
    ]);
  });

  it('parses the event itself without an envelope', () => {
    expect(parse(CREATED, undefined, apideckEventSchema)).toEqual(CREATED);
  });

  it('fails an invalid record with a ParseError whose issue has the record and the field', () => {
    const body = JSON.stringify({ ...CREATED, execution_attempt: 'two' });
    let error: unknown;
    try {
      parse(sqsEvent(sqsRecord({ body })), SqsEnvelope, apideckEventSchema);
    } catch (thrown) {
      error = thrown;
    }
    expect(error).toBeInstanceOf(ParseError);
    expect((error as { cause: { issues: unknown[] } }).cause.issues).toEqual([
      expect.objectContaining({
        path: ['Records', 0, 'body', 'execution_attempt'],
        message: 'must be number, not string',
      }),
    ]);
  });

  it('reports an invalid record through safeParse without throwing', () => {
    const result = parse(
      sqsEvent(sqsRecord({ body: '{}' })),
      SqsEnvelope,
      apideckEventSchema,
      true,
    );
    expect(result.success).toBe(false);
  });

  it('tells a team on SqsEnvelope that its queue receives SNS notifications', () => {
    const body = JSON.stringify(snsNotification(JSON.stringify(CREATED)));
    const result = apideckEventSchema.safeParse(body);
    expect(result.success ? undefined : result.error.message).toMatch(/use SnsSqsEnvelope/);
  });
});
