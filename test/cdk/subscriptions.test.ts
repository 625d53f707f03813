import * as sns from 'aws-cdk-lib/aws-sns';
import type * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import type { ApideckWebhookReceiver } from '../../lib/apideck-webhook-receiver.ts';
import { consumerFunction, consumerQueue } from './support/consumers.ts';
import { logicalId, synthReceiver } from './support/synth.ts';

function subscribeQueue(
  extend: (receiver: ApideckWebhookReceiver, queue: sqs.Queue, dlq: sqs.Queue) => void,
) {
  return synthReceiver(
    () => ({}),
    (receiver, stack) => {
      const dlq = consumerQueue(stack, 'DeadLetters');
      extend(receiver, consumerQueue(stack, 'Consumer', { deadLetterQueue: dlq }), dlq);
    },
  );
}

describe('subscribing downstream consumers', () => {
  it('subscribes a queue to each named event type with a dead-letter queue and a filter policy', () => {
    let created: sns.Subscription[] = [];
    let deadLetters = '';
    const { receiver, template } = subscribeQueue((r, queue, dlq) => {
      deadLetters = logicalId(dlq);
      created = r.subscribeQueue(queue, {
        eventTypes: ['vault.connection.created', 'vault.connection.deleted'],
        deadLetterQueue: dlq,
        filterPolicy: {
          connector: sns.SubscriptionFilter.stringFilter({ allowlist: ['salesforce'] }),
        },
      });
    });
    expect(created).toHaveLength(2);
    template.resourceCountIs('AWS::SNS::Subscription', 2);
    for (const eventType of ['vault.connection.created', 'vault.connection.deleted']) {
      template.hasResourceProperties('AWS::SNS::Subscription', {
        Protocol: 'sqs',
        TopicArn: { Ref: logicalId(receiver.topic(eventType)) },
        FilterPolicy: { connector: ['salesforce'] },
        RedrivePolicy: { deadLetterTargetArn: { 'Fn::GetAtt': [deadLetters, 'Arn'] } },
        RawMessageDelivery: false,
      });
    }
  });

  it('subscribes a Lambda function, including to the catch-all topic', () => {
    const { receiver, template } = synthReceiver(
      () => ({}),
      (r, stack) => {
        const fn = consumerFunction(stack, 'Consumer');
        r.subscribeFunction(fn, {
          eventTypes: ['*'],
          deadLetterQueue: consumerQueue(stack, 'DeadLetters'),
        });
      },
    );
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'lambda',
      TopicArn: { Ref: logicalId(receiver.catchAllTopic) },
    });
    template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'sns.amazonaws.com',
      SourceArn: { Ref: logicalId(receiver.catchAllTopic) },
    });
  });

  it('refuses an event type that has no topic', () => {
    expect(() =>
      subscribeQueue((r, queue, dlq) => {
        r.subscribeQueue(queue, { eventTypes: ['crm.contact.updated'], deadLetterQueue: dlq });
      }),
    ).toThrow(/"crm.contact.updated" has no topic/);
  });
});
