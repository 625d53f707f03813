/**
 * The consumer part of ./app/app.py in TypeScript, construct for construct
 * (same ids, same props), beside a receiver at the ready app's path with the
 * same event types: what the Python consumer's resources are compared with
 * (they refer to the receiver's topics by logical id, which only the path and
 * the event type make).
 */
import { App, Duration, Stack, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ApideckWebhookReceiver } from '../../lib/apideck-webhook-receiver.ts';
import { ApideckEventConsumer } from '../../lib/consumer/apideck-event-consumer.ts';
import type { CloudFormationTemplate } from './template-comparison.ts';

/** Synthesizes the mirror in this process, with the given context (`cliContext()`). */
export function synthConsumerMirror(
  stackName: string,
  eventTypes: string[],
  context: Record<string, unknown>,
): CloudFormationTemplate {
  const app = new App({ context });
  const stack = new Stack(app, stackName);
  // alarmEmail only keeps the receiver from warning that no alarm reaches anyone.
  const receiver = new ApideckWebhookReceiver(stack, 'Receiver', {
    eventTypes,
    alarmEmail: 'ops@example.com',
  });
  const role = new iam.Role(stack, 'ConsumerHandlerRole', {
    assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
  });
  const logGroup = new logs.LogGroup(stack, 'ConsumerHandlerLogs', {
    retention: logs.RetentionDays.THREE_MONTHS,
  });
  logGroup.grantWrite(role);
  const handler = new lambda.Function(stack, 'ConsumerHandler', {
    runtime: lambda.Runtime.PYTHON_3_14,
    handler: 'index.handler',
    code: lambda.Code.fromInline(
      'def handler(event, context):\n    return {"batchItemFailures": []}\n',
    ),
    timeout: Duration.seconds(30),
    memorySize: 256,
    role,
    logGroup,
    tracing: lambda.Tracing.ACTIVE,
  });
  // The acknowledgements of app.py: they are metadata of the resources compared.
  Validations.of(role).acknowledge({
    id: 'AwsSolutions-IAM5[Resource::*]',
    reason:
      "X-Ray's PutTraceSegments and PutTelemetryRecords take no resource; the log stream grant is on the function's own log group.",
  });
  Validations.of(handler).acknowledge({
    id: 'Serverless-LambdaDLQ',
    reason:
      "Invoked by its SQS event source only: a record it fails goes back to the queue and then to the consumer's dead-letter queue; a function DLQ serves asynchronous invocations only.",
  });
  new ApideckEventConsumer(stack, 'Consumer', { receiver, eventTypes, handler });
  return app.synth().getStackByName(stackName).template as CloudFormationTemplate;
}
