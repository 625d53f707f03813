import { Annotations, ArnFormat, Duration, RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as kms from 'aws-cdk-lib/aws-kms';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as subscriptions from 'aws-cdk-lib/aws-sns-subscriptions';
import type { Construct } from 'constructs';

/** The service principal that delivers alarm notifications. */
export const CLOUDWATCH_SERVICE_PRINCIPAL = 'cloudwatch.amazonaws.com';

export interface AlarmTopicProps {
  /** A customer managed key to encrypt the topic with; a dedicated one is created otherwise. */
  readonly encryptionKey?: kms.IKey | undefined;
  /** Whether to encrypt the topic at all (a created key costs 1 USD a month). */
  readonly encrypt: boolean;
  /** An address to subscribe by email. */
  readonly email?: string | undefined;
}

export interface AlarmTopic {
  readonly topic: sns.Topic;
  /** The key that encrypts the topic, unless it is not encrypted. */
  readonly key: kms.IKey | undefined;
}

/** The topic's key (the receiver's, or one of its own), with CloudWatch allowed to use it. */
function topicKey(scope: Construct, encryptionKey: kms.IKey | undefined): kms.IKey {
  const key =
    encryptionKey ??
    new kms.Key(scope, 'AlarmTopicKey', {
      description: 'Encrypts the Apideck webhook receiver alarm topic',
      enableKeyRotation: true,
      // The key only protects alarm notifications in flight; nothing is lost with it.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(7),
    });
  const allowed = key.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsEncryptForTheAlarmTopic',
      principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE_PRINCIPAL)],
      actions: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      resources: ['*'],
    }),
    true,
  );
  if (!allowed.statementAdded) {
    Annotations.of(scope).addWarningV2(
      'apideck-webhooks:alarm-topic-key',
      `The imported encryptionKey's policy is not managed here: its owner must allow ${CLOUDWATCH_SERVICE_PRINCIPAL} kms:Decrypt and kms:GenerateDataKey*, or alarm notifications are not delivered.`,
    );
  }

  return key;
}

/**
 * The topic the alarms notify: encrypted and TLS-only like the event topics.
 *
 * Unlike them it cannot use the AWS managed key `alias/aws/sns`: CloudWatch
 * publishes as a service principal, and only a customer managed key's policy
 * can let it encrypt messages for the topic (Amazon SNS Developer Guide,
 * "Enable compatibility between event sources from AWS services and encrypted
 * topics"). The topic policy that `enforceSSL` creates replaces SNS's default
 * one, so it must also let CloudWatch publish, for this account's alarms only.
 */
export function createAlarmTopic(scope: Construct, props: AlarmTopicProps): AlarmTopic {
  const key = props.encrypt ? topicKey(scope, props.encryptionKey) : undefined;
  const topic = new sns.Topic(scope, 'AlarmTopic', {
    displayName: 'Apideck webhook receiver alarms',
    ...(key && { masterKey: key }),
    enforceSSL: true,
  });
  if (key === undefined) {
    Validations.of(topic).acknowledge({
      id: 'AwsSolutions-SNS2',
      reason:
        'encryptAlarmTopic: false, chosen by the operator to save the customer managed key CloudWatch would need (1 USD a month): alarm notifications carry alarm names, states and metric values, no event data, and the topic is TLS-only.',
    });
  }
  const stack = Stack.of(scope);
  topic.addToResourcePolicy(
    new iam.PolicyStatement({
      sid: 'CloudWatchAlarmsOfThisAccountPublish',
      principals: [new iam.ServicePrincipal(CLOUDWATCH_SERVICE_PRINCIPAL)],
      actions: ['sns:Publish'],
      resources: [topic.topicArn],
      conditions: {
        StringEquals: { 'aws:SourceAccount': stack.account },
        ArnLike: {
          'aws:SourceArn': stack.formatArn({
            service: 'cloudwatch',
            resource: 'alarm',
            resourceName: '*',
            arnFormat: ArnFormat.COLON_RESOURCE_NAME,
          }),
        },
      },
    }),
  );
  if (props.email !== undefined) {
    const subscription = topic.addSubscription(new subscriptions.EmailSubscription(props.email));
    Validations.of(subscription).acknowledge({
      id: 'Serverless-SNSRedrivePolicy',
      reason:
        'An email of an alarm notification that SNS cannot deliver loses nothing: CloudWatch keeps the alarm in its state and its history, the dashboard shows it, and the OK notification follows on recovery. A dead-letter queue would hold undeliverable emails nobody reads.',
    });
  }
  return { topic, key };
}
