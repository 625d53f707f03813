import { Duration, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { ApideckWebhookReceiver } from '../../../lib/apideck-webhook-receiver.ts';
import { ApideckEventConsumer } from '../../../lib/consumer/apideck-event-consumer.ts';
import type { ApideckEventConsumerProps } from '../../../lib/consumer/consumer-props.ts';
import type { ApideckWebhookReceiverProps } from '../../../lib/receiver-props.ts';
import { newApp } from './synth.ts';

/** The subscriber's own function, as a team would define it: 30 s timeout unless told. */
export function handlerFunction(
  scope: Stack,
  props: Partial<lambda.FunctionProps> = {},
  id = 'Handler',
): lambda.Function {
  return new lambda.Function(scope, id, {
    runtime: lambda.Runtime.NODEJS_24_X,
    handler: 'index.handler',
    code: lambda.Code.fromInline('export const handler = async () => ({ batchItemFailures: [] });'),
    timeout: Duration.seconds(30),
    ...props,
  });
}

export interface ConsumerFixture {
  /** Receiver props; the default routes two types. */
  readonly receiver?: ApideckWebhookReceiverProps;
  /** The handler; a `lambda.Function` of 30 s by default. */
  readonly handler?: (stack: Stack) => lambda.IFunction;
  /** Consumer props beside `receiver` and `handler`; `eventTypes` defaults to one type. */
  readonly consumer?: (
    stack: Stack,
    receiver: ApideckWebhookReceiver,
    handler: lambda.IFunction,
  ) => Partial<ApideckEventConsumerProps>;
}

export interface SynthesizedConsumer {
  readonly stack: Stack;
  readonly receiver: ApideckWebhookReceiver;
  readonly handler: lambda.IFunction;
  readonly consumer: ApideckEventConsumer;
  readonly template: Template;
}

/** A receiver, a handler and a consumer of it in one stack. */
export function synthConsumer(fixture: ConsumerFixture = {}): SynthesizedConsumer {
  const stack = new Stack(newApp(), 'ConsumerTest');
  const receiver = new ApideckWebhookReceiver(stack, 'Receiver', {
    eventTypes: ['vault.connection.created', 'vault.connection.revoked'],
    ...fixture.receiver,
  });
  const handler = fixture.handler?.(stack) ?? handlerFunction(stack);
  const consumer = new ApideckEventConsumer(stack, 'Consumer', {
    receiver,
    handler,
    eventTypes: ['vault.connection.created'],
    ...fixture.consumer?.(stack, receiver, handler),
  });
  return { stack, receiver, handler, consumer, template: Template.fromStack(stack) };
}
