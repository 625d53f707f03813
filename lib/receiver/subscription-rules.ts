import { type IResolvable, Stack } from 'aws-cdk-lib';
import * as sns from 'aws-cdk-lib/aws-sns';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { docsUrl } from '../../lambda/contract/docs.ts';

/**
 * Why a function cannot subscribe to a FIFO topic, and what to do instead
 * (https://docs.aws.amazon.com/sns/latest/dg/fifo-message-delivery.html).
 */
export const FIFO_FUNCTION_REFUSAL = `SNS FIFO topics deliver to SQS queues only and cannot invoke a Lambda function; subscribe an SQS FIFO queue with subscribeQueue and give the function that queue as its event source (${docsUrl('fifo.md')})`;

/**
 * Why SNS would refuse an SQS subscription, or undefined when it accepts it:
 * a FIFO topic delivers to FIFO and standard queues, a standard topic to
 * standard queues only.
 */
export function queueRefusal(fifoTopics: boolean, fifoQueue: boolean): string | undefined {
  return !fifoTopics && fifoQueue
    ? `a FIFO queue cannot subscribe to standard topics (SNS delivers to SQS FIFO queues from FIFO topics only); subscribe a standard queue, or set fifo: true on the receiver (${docsUrl('fifo.md')})`
    : undefined;
}

/**
 * Why SNS would refuse a subscription's dead-letter queue, or undefined: FIFO
 * topic subscriptions use FIFO dead-letter queues, standard topic
 * subscriptions standard ones
 * (https://docs.aws.amazon.com/sns/latest/dg/sns-dead-letter-queues.html).
 */
export function deadLetterQueueRefusal(
  fifoTopics: boolean,
  fifoQueue: boolean,
): string | undefined {
  if (fifoTopics === fifoQueue) return undefined;
  return fifoTopics
    ? 'the dead-letter queue of a FIFO topic subscription must be an SQS FIFO queue'
    : 'the dead-letter queue of a standard topic subscription must be a standard SQS queue';
}

/** Why SNS would refuse a subscription protocol on a FIFO topic, or undefined. */
export function fifoProtocolRefusal(protocol: string): string | undefined {
  return protocol === sns.SubscriptionProtocol.SQS
    ? undefined
    : `protocol "${protocol}" cannot subscribe to an SNS FIFO topic: FIFO topics deliver to SQS queues only (no HTTP(S), email, SMS, Lambda or Firehose); subscribe an SQS queue (${docsUrl('fifo.md')})`;
}

function sameValue(stack: Stack, a: unknown, b: unknown): boolean {
  return JSON.stringify(stack.resolve(a)) === JSON.stringify(stack.resolve(b));
}

/** Whether an SQS subscription's endpoint is a FIFO queue: by its ARN, or the queue in this stack it names. */
function isFifoQueueEndpoint(stack: Stack, endpoint: string | undefined): boolean {
  const resolved: unknown = stack.resolve(endpoint);
  if (typeof resolved === 'string') return resolved.endsWith('.fifo');
  const getAtt = (resolved as { 'Fn::GetAtt'?: unknown[] } | undefined)?.['Fn::GetAtt'];
  if (!Array.isArray(getAtt)) return false;
  return stack.node
    .findAll()
    .some(
      (node) =>
        node instanceof sqs.CfnQueue &&
        stack.resolve(stack.getLogicalId(node)) === getAtt[0] &&
        isTrue(node.fifoQueue),
    );
}

function isTrue(value: boolean | IResolvable | undefined): boolean {
  return value === true;
}

/**
 * Refuses at synth every subscription to the receiver's topics in their stack
 * that SNS would refuse at deploy time, including those added with
 * `topic.addSubscription` directly rather than `subscribeQueue`: any protocol
 * but SQS on FIFO topics, a FIFO queue on standard topics.
 */
export function refuseSubscriptionsSnsWouldRefuse(
  scope: Construct,
  topics: Iterable<sns.ITopic>,
  fifo: boolean,
): void {
  const receiverTopics = [...topics];
  scope.node.addValidation({
    validate: () => {
      const stack = Stack.of(scope);
      const errors: string[] = [];
      for (const node of stack.node.findAll()) {
        if (!(node instanceof sns.CfnSubscription)) continue;
        if (!receiverTopics.some((topic) => sameValue(stack, node.topicArn, topic.topicArn))) {
          continue;
        }
        const refusal = fifo
          ? fifoProtocolRefusal(node.protocol)
          : node.protocol === sns.SubscriptionProtocol.SQS
            ? queueRefusal(false, isFifoQueueEndpoint(stack, node.endpoint))
            : undefined;
        if (refusal) errors.push(`${node.node.path}: ${refusal}`);
      }
      return errors;
    },
  });
}
