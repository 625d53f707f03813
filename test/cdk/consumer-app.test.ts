import { Duration, Stack, type StackProps } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import type { Construct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ApideckWebhookReceiver } from '../../lib/apideck-webhook-receiver.ts';
import { ApideckWebhooksStack } from '../../lib/apideck-webhooks-stack.ts';
import { ApideckEventConsumer } from '../../lib/consumer/apideck-event-consumer.ts';
import { newApp } from './support/synth.ts';

interface CrmSyncStackProps extends StackProps {
  readonly receiver: ApideckWebhookReceiver;
}

/** The subscribing team's stack of docs/subscribing.md: its function and a consumer feeding it. */
class CrmSyncStack extends Stack {
  public readonly consumer: ApideckEventConsumer;

  constructor(scope: Construct, id: string, props: CrmSyncStackProps) {
    super(scope, id, props);
    const handler = new lambda.Function(this, 'Handler', {
      runtime: lambda.Runtime.NODEJS_24_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      code: lambda.Code.fromInline(
        'export const handler = async () => ({ batchItemFailures: [] });',
      ),
      timeout: Duration.seconds(30),
    });
    this.consumer = new ApideckEventConsumer(this, 'Connections', {
      receiver: props.receiver,
      eventTypes: ['vault.connection.callable', 'vault.connection.revoked'],
      handler,
      unifiedApis: ['crm'],
    });
  }
}

describe('ApideckEventConsumer in a stack of its own', () => {
  let webhooks: ApideckWebhooksStack;
  let crmSync: CrmSyncStack;
  beforeAll(() => {
    const app = newApp();
    webhooks = new ApideckWebhooksStack(app, 'ApideckWebhooks');
    crmSync = new CrmSyncStack(app, 'CrmSync', { receiver: webhooks.receiver });
    // Synthesizes the whole app: a dependency cycle between the stacks would throw here.
    app.synth();
  });

  it('puts every resource it creates in the consumer stack, none in the receiver stack', () => {
    const consumerTemplate = Template.fromStack(crmSync);
    consumerTemplate.resourceCountIs('AWS::SQS::Queue', 2);
    consumerTemplate.resourceCountIs('AWS::SNS::Subscription', 2);
    consumerTemplate.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
    consumerTemplate.resourceCountIs('AWS::DynamoDB::Table', 1);
    const receiverTemplate = Template.fromStack(webhooks);
    receiverTemplate.resourceCountIs('AWS::SQS::Queue', 0);
    receiverTemplate.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('makes the consumer stack depend on the receiver stack, not the other way', () => {
    expect(crmSync.dependencies).toContain(webhooks);
    expect(webhooks.dependencies).not.toContain(crmSync);
  });
});
