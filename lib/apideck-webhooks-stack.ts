import { CfnOutput, Stack, type StackProps } from 'aws-cdk-lib';
import type { Construct } from 'constructs';
import { ApideckWebhookReceiver } from './apideck-webhook-receiver.ts';
import { routeIdentifier } from './receiver/event-topics.ts';
import type { ApideckWebhookReceiverProps } from './receiver-props.ts';

/** Properties of `ApideckWebhooksStack`: the stack's own and the receiver's, side by side. */
export interface ApideckWebhooksStackProps extends StackProps, ApideckWebhookReceiverProps {}

/** The deployable unit: one receiver and the outputs an operator needs after `cdk deploy`. */
export class ApideckWebhooksStack extends Stack {
  public readonly receiver: ApideckWebhookReceiver;

  constructor(scope: Construct, id: string, props: ApideckWebhooksStackProps = {}) {
    super(scope, id, props);
    // The receiver reads its own props and ignores the stack's.
    this.receiver = new ApideckWebhookReceiver(this, 'Receiver', props);

    new CfnOutput(this, 'WebhookUrl', {
      description: 'Register this URL in Apideck as the webhook delivery URL',
      value: this.receiver.webhookUrl,
    });
    new CfnOutput(this, 'SigningSecretArn', {
      description: 'Store the Apideck API key here (aws secretsmanager put-secret-value)',
      value: this.receiver.signingSecret.secretArn,
    });
    new CfnOutput(this, 'IdempotencyTableName', {
      description: 'DynamoDB table of claimed event ids',
      value: this.receiver.table.tableName,
    });
    for (const [route, topic] of Object.entries(this.receiver.topics)) {
      new CfnOutput(this, `${routeIdentifier(route)}TopicArn`, {
        description: `SNS topic of Apideck events, route "${route}"`,
        value: topic.topicArn,
      });
    }
  }
}
