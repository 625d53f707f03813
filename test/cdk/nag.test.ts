import { Duration, type Stack, Validations } from 'aws-cdk-lib';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { acknowledgements, unacknowledged } from './support/nag.ts';
import { synthReceiver, synthStack } from './support/synth.ts';

/** The stack with everything optional turned the other way, plus a compliant consumer queue. */
function variantStack(): Stack {
  return synthReceiver(
    (stack) => ({
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      signingSecret: secretsmanager.Secret.fromSecretNameV2(stack, 'Existing', 'apideck/api-key'),
      webApplicationFirewall: false,
      subscriberAccountIds: ['111111111111'],
      tableDeletionProtection: false,
      alarmEmail: 'oncall@example.com',
      noEventsAlarmAfter: Duration.hours(6),
    }),
    (receiver, stack) => {
      const queueProps = {
        encryption: sqs.QueueEncryption.SQS_MANAGED,
        enforceSSL: true,
        retentionPeriod: Duration.days(14),
      };
      const deadLetters = new sqs.Queue(stack, 'DeadLetters', queueProps);
      Validations.of(deadLetters).acknowledge({
        id: 'Serverless-SQSRedrivePolicy',
        reason:
          "Test consumer's dead-letter queue: it is the end of the redrive chain of the consumer queue and of the SNS subscriptions.",
      });
      const queue = new sqs.Queue(stack, 'Consumer', {
        ...queueProps,
        deadLetterQueue: { queue: deadLetters, maxReceiveCount: 5 },
      });
      receiver.subscribeQueue(queue, {
        eventTypes: ['vault.connection.created', '*'],
        deadLetterQueue: deadLetters,
        filterPolicy: { unified_api: sns.SubscriptionFilter.stringFilter({ allowlist: ['crm'] }) },
      });
    },
  ).stack;
}

describe('cdk-nag', () => {
  const stack = synthStack().stack;

  it('finds nothing unacknowledged in the stack with the AwsSolutions pack', () => {
    expect(unacknowledged(new AwsSolutionsChecks(), stack)).toEqual([]);
  });

  it('finds nothing unacknowledged in the stack with the Serverless pack', () => {
    expect(unacknowledged(new ServerlessChecks(), stack)).toEqual([]);
  });

  it('finds nothing unacknowledged with a customer key, an imported secret, no web ACL, a subscriber and an alarm email', () => {
    const variant = variantStack();
    expect([
      ...unacknowledged(new AwsSolutionsChecks(), variant),
      ...unacknowledged(new ServerlessChecks(), variant),
    ]).toEqual([]);
  });

  it('acknowledges only named rules on the resources they concern, never stack-wide', () => {
    const found = acknowledgements(stack);
    expect(found.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual(
      [
        'AwsSolutions-APIG2 @ ApideckWebhooks/Receiver/Api/Resource',
        'AwsSolutions-APIG4 @ ApideckWebhooks/Receiver/Api/Resource/Default/webhooks/POST',
        'AwsSolutions-COG4 @ ApideckWebhooks/Receiver/Api/Resource/Default/webhooks/POST',
        'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs] @ ApideckWebhooks/Receiver/Api/Resource/CloudWatchRole',
        'AwsSolutions-IAM5[Resource::*] @ ApideckWebhooks/Receiver/HandlerRole',
        'AwsSolutions-SMG4 @ ApideckWebhooks/Receiver/SigningSecret/Resource',
        'Serverless-LambdaAsyncFailureDestination @ ApideckWebhooks/Receiver/Handler',
        'Serverless-LambdaDLQ @ ApideckWebhooks/Receiver/Handler',
      ].sort(),
    );
  });

  it('gives every acknowledgement a specific reason', () => {
    for (const { id, reason } of acknowledgements(stack)) {
      expect(reason.length, id).toBeGreaterThanOrEqual(100);
    }
  });
});
