import { App, Duration, type Stack } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import type { ApideckWebhookReceiver } from '../../lib/apideck-webhook-receiver.ts';
import { receiverPropsFromContext } from '../../lib/context/receiver-context.ts';
import { RECEIVER_DEFAULTS } from '../../lib/receiver/resolve-props.ts';
import type { ApideckWebhookReceiverProps } from '../../lib/receiver-props.ts';
import { consumerFunction, consumerQueue } from './support/consumers.ts';
import { logicalId, synthReceiver } from './support/synth.ts';

function synth(
  props: ApideckWebhookReceiverProps,
  extend?: (receiver: ApideckWebhookReceiver, stack: Stack) => void,
) {
  return synthReceiver(() => ({ eventTypes: ['vault.connection.created'], ...props }), extend);
}

function handlerVariables(template: ReturnType<typeof synth>['template']): Record<string, unknown> {
  const functions = template.findResources('AWS::Lambda::Function', {
    Properties: { Environment: { Variables: { [ENVIRONMENT.fifo]: Match.anyValue() } } },
  });
  const [receiver] = Object.values(functions);
  if (!receiver) throw new Error('no function has the FIFO_TOPICS variable');
  return (receiver.Properties as { Environment: { Variables: Record<string, unknown> } })
    .Environment.Variables;
}

describe('fifo topics', () => {
  it('are off by default: standard topics, FIFO_TOPICS=false', () => {
    const { template } = synth({});
    for (const topic of Object.values(template.findResources('AWS::SNS::Topic'))) {
      expect(topic.Properties).not.toHaveProperty('FifoTopic');
      expect(topic.Properties).not.toHaveProperty('ArchivePolicy');
    }
    expect(handlerVariables(template)[ENVIRONMENT.fifo]).toBe('false');
  });

  it('make every event topic and the catch-all a FIFO topic without content-based deduplication', () => {
    const { receiver, template } = synth({ fifo: true });
    for (const topic of Object.values(receiver.topics)) {
      template.hasResource('AWS::SNS::Topic', {
        Properties: Match.objectLike({ FifoTopic: true, ContentBasedDeduplication: false }),
      });
      expect(Object.keys(template.findResources('AWS::SNS::Topic'))).toContain(logicalId(topic));
    }
    const fifoTopics = template.findResources('AWS::SNS::Topic', {
      Properties: { FifoTopic: true },
    });
    expect(Object.keys(fifoTopics).sort()).toEqual(
      Object.values(receiver.topics)
        .map((topic) => logicalId(topic))
        .sort(),
    );
  });

  it('are named by the CDK from their construct path with the .fifo suffix SNS requires', () => {
    const { receiver, template } = synth({ fifo: true });
    const names = Object.values(receiver.topics).map(
      (topic) =>
        (template.toJSON().Resources[logicalId(topic)].Properties as { TopicName: string })
          .TopicName,
    );
    for (const name of names)
      expect(name).toMatch(/^ReceiverTest-Receiver-Topics-[A-Za-z]+-[A-F0-9]{8}\.fifo$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('keep the alarm topic a standard topic', () => {
    const { receiver, template } = synth({ fifo: true });
    const alarmTopic = template.toJSON().Resources[logicalId(receiver.alarmTopic)];
    expect(alarmTopic.Properties).not.toHaveProperty('FifoTopic');
  });

  it('tell the handler FIFO_TOPICS=true', () => {
    const { template } = synth({ fifo: true });
    expect(handlerVariables(template)[ENVIRONMENT.fifo]).toBe('true');
  });
});

describe('fifo in the ready app', () => {
  it('is read with archiveRetention from CDK context', () => {
    const props = receiverPropsFromContext(
      new App({ context: { fifo: 'true', archiveRetention: 'P30D' } }).node,
    );
    expect([props.fifo, props.archiveRetention?.toDays()]).toEqual([true, 30]);
  });

  it('refuses the archiveRetentionDays context key, naming archiveRetention', () => {
    expect(() =>
      receiverPropsFromContext(
        new App({ context: { fifo: 'true', archiveRetentionDays: '30' } }).node,
      ),
    ).toThrow(/context "archiveRetentionDays": is no longer read: set archiveRetention/);
  });
});

describe('archive retention', () => {
  it('archives for the documented default of 14 days with fifo on', () => {
    const { template } = synth({ fifo: true });
    expect(RECEIVER_DEFAULTS.archiveRetention.toDays()).toBe(14);
    const fifoTopics = Object.values(
      template.findResources('AWS::SNS::Topic', { Properties: { FifoTopic: true } }),
    );
    expect(fifoTopics).toHaveLength(2);
    for (const topic of fifoTopics) {
      expect(topic.Properties.ArchivePolicy).toEqual({ MessageRetentionPeriod: 14 });
    }
  });

  it('sets the archive policy to the days given', () => {
    const { template } = synth({ fifo: true, archiveRetention: Duration.days(365) });
    template.hasResourceProperties('AWS::SNS::Topic', {
      FifoTopic: true,
      ArchivePolicy: { MessageRetentionPeriod: 365 },
    });
  });

  it.each([
    ['0 days', Duration.days(0)],
    ['366 days', Duration.days(366)],
    ['2.5 days', Duration.hours(60)],
  ])('refuses %s (SNS archives 1 to 365 whole days)', (_, retention) => {
    expect(() => synth({ fifo: true, archiveRetention: retention })).toThrow(
      /archiveRetention \(in whole days\) must be an integer from 1 to 365/,
    );
  });

  it('is refused without fifo: standard topics have no archive', () => {
    expect(() => synth({ archiveRetention: Duration.days(7) })).toThrow(
      /archiveRetention needs fifo: true/,
    );
  });
});

describe('subscriptions on FIFO topics', () => {
  it('accept an SQS FIFO queue', () => {
    const { receiver, template } = synth({ fifo: true }, (r, stack) => {
      r.subscribeQueue(consumerQueue(stack, 'Consumer', { fifo: true }), {
        eventTypes: ['vault.connection.created'],
        deadLetterQueue: consumerQueue(stack, 'DeadLetters', { fifo: true }),
      });
    });
    template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'sqs',
      TopicArn: { Ref: logicalId(receiver.topic('vault.connection.created')) },
    });
  });

  it('accept a standard SQS queue, as SNS allows', () => {
    const { template } = synth({ fifo: true }, (r, stack) => {
      r.subscribeQueue(consumerQueue(stack, 'Consumer'), {
        eventTypes: ['*'],
        deadLetterQueue: consumerQueue(stack, 'DeadLetters', { fifo: true }),
      });
    });
    template.resourceCountIs('AWS::SNS::Subscription', 1);
  });

  it('refuse a standard dead-letter queue, as SNS does for FIFO topic subscriptions', () => {
    expect(() =>
      synth({ fifo: true }, (r, stack) => {
        r.subscribeQueue(consumerQueue(stack, 'Consumer', { fifo: true }), {
          eventTypes: ['*'],
          deadLetterQueue: consumerQueue(stack, 'DeadLetters'),
        });
      }),
    ).toThrow(/the dead-letter queue of a FIFO topic subscription must be an SQS FIFO queue/);
  });

  it('refuse subscribeFunction and say to go through an SQS FIFO queue', () => {
    expect(() =>
      synth({ fifo: true }, (r, stack) => {
        const fn = consumerFunction(stack, 'Consumer');
        r.subscribeFunction(fn, {
          eventTypes: ['*'],
          deadLetterQueue: consumerQueue(stack, 'DLQ', { fifo: true }),
        });
      }),
    ).toThrow(
      /subscribeFunction: SNS FIFO topics .* cannot invoke a Lambda function; subscribe an SQS FIFO queue/,
    );
  });

  it.each([
    ['email', () => new subscriptions.EmailSubscription('ops@example.com')],
    ['https', () => new subscriptions.UrlSubscription('https://consumer.example.com/events')],
  ])('refuse a %s subscription added to the topic directly, at synth', (protocol, subscription) => {
    expect(() =>
      synth({ fifo: true }, (r) => {
        r.topic('vault.connection.created').addSubscription(subscription());
      }),
    ).toThrow(
      new RegExp(
        `protocol "${protocol}" cannot subscribe to an SNS FIFO topic: FIFO topics deliver to SQS queues only`,
      ),
    );
  });

  it('refuse a Lambda subscription added to the topic directly, at synth', () => {
    expect(() =>
      synth({ fifo: true }, (r, stack) => {
        const fn = consumerFunction(stack, 'Consumer');
        r.catchAllTopic.addSubscription(new subscriptions.LambdaSubscription(fn));
      }),
    ).toThrow(/protocol "lambda" cannot subscribe to an SNS FIFO topic/);
  });
});

describe('subscriptions on standard topics', () => {
  it('refuse a FIFO dead-letter queue', () => {
    expect(() =>
      synth({}, (r, stack) => {
        r.subscribeQueue(consumerQueue(stack, 'Consumer'), {
          eventTypes: ['*'],
          deadLetterQueue: consumerQueue(stack, 'DeadLetters', { fifo: true }),
        });
      }),
    ).toThrow(
      /the dead-letter queue of a standard topic subscription must be a standard SQS queue/,
    );
  });

  it('refuse a FIFO queue in subscribeQueue and say why', () => {
    expect(() =>
      synth({}, (r, stack) => {
        r.subscribeQueue(consumerQueue(stack, 'Consumer', { fifo: true }), {
          eventTypes: ['vault.connection.created'],
          deadLetterQueue: consumerQueue(stack, 'DeadLetters', { fifo: true }),
        });
      }),
    ).toThrow(
      /subscribeQueue: a FIFO queue cannot subscribe to standard topics \(SNS delivers to SQS FIFO queues from FIFO topics only\)/,
    );
  });

  it('refuse a FIFO queue subscribed to the topic directly, at synth', () => {
    expect(() =>
      synth({}, (r, stack) => {
        r.topic('vault.connection.created').addSubscription(
          new subscriptions.SqsSubscription(consumerQueue(stack, 'Consumer', { fifo: true })),
        );
      }),
    ).toThrow(/a FIFO queue cannot subscribe to standard topics/);
  });

  it('refuse an imported FIFO queue by its ARN', () => {
    expect(() =>
      synth({}, (r, stack) => {
        r.catchAllTopic.addSubscription(
          new subscriptions.SqsSubscription(
            sqs.Queue.fromQueueArn(
              stack,
              'Imported',
              'arn:aws:sqs:eu-west-1:111111111111:orders.fifo',
            ),
          ),
        );
      }),
    ).toThrow(/a FIFO queue cannot subscribe to standard topics/);
  });

  it('still accept email and HTTPS subscriptions', () => {
    const { template } = synth({}, (r) => {
      r.topic('vault.connection.created').addSubscription(
        new subscriptions.EmailSubscription('ops@example.com'),
      );
      r.catchAllTopic.addSubscription(
        new subscriptions.UrlSubscription('https://consumer.example.com/events'),
      );
    });
    template.resourceCountIs('AWS::SNS::Subscription', 2);
  });

  it('leave subscriptions to topics that are not the receiver alone', () => {
    const { template } = synth({ fifo: true }, (_r, stack) => {
      new sns.Topic(stack, 'Other').addSubscription(
        new subscriptions.EmailSubscription('ops@example.com'),
      );
    });
    template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email' });
  });
});
