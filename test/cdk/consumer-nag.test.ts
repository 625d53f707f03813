import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { describe, expect, it } from 'vitest';
import { type SynthesizedConsumer, synthConsumer } from './support/consumer.ts';
import { acknowledgements, unacknowledged } from './support/nag.ts';

/**
 * Findings of both packs, but for those on the test's own bare function and
 * its role (no tracing, a managed policy, no async destination): the
 * subscriber's to settle, not the consumer's. The policy the consumer's grants
 * write on that role is checked.
 */
function consumerFindings(synth: SynthesizedConsumer): string[] {
  const handler = synth.handler.node.path;
  const theirs = [`${handler}/Resource`, `${handler}/ServiceRole/Resource`];
  return [new AwsSolutionsChecks(), new ServerlessChecks()]
    .flatMap((pack) => unacknowledged(pack, synth.stack))
    .filter((finding) => !theirs.some((path) => finding.endsWith(` at ${path}`)));
}

/** A FIFO receiver and a consumer whose queues and table use a customer managed key. */
function fifoWithKey(): SynthesizedConsumer {
  return synthConsumer({
    receiver: { fifo: true },
    consumer: (stack) => ({
      encryptionKey: new kms.Key(stack, 'ConsumerKey', { enableKeyRotation: true }),
    }),
  });
}

describe('cdk-nag on ApideckEventConsumer', () => {
  it('finds nothing unacknowledged with the defaults', () => {
    expect(consumerFindings(synthConsumer())).toEqual([]);
  });

  it('finds nothing unacknowledged on a FIFO receiver with a customer managed key', () => {
    expect(consumerFindings(fifoWithKey())).toEqual([]);
  });

  it('acknowledges only named rules on the resources they concern', () => {
    const synth = fifoWithKey();
    const mine = acknowledgements(synth.stack).filter(
      (a) => !a.path.startsWith(synth.receiver.node.path),
    );
    expect(mine.map((a) => `${a.id} @ ${a.path}`).sort()).toEqual([
      'AwsSolutions-IAM5[Action::kms:GenerateDataKey*] @ ConsumerTest/Handler/ServiceRole',
      'AwsSolutions-IAM5[Action::kms:ReEncrypt*] @ ConsumerTest/Handler/ServiceRole',
      'Serverless-LambdaEventSourceMappingDestination @ ConsumerTest/Handler/SqsEventSource:ConsumerTestConsumerQueueCDEF2619',
      'Serverless-SQSRedrivePolicy @ ConsumerTest/Consumer/DeadLetterQueue',
    ]);
    for (const { id, reason } of mine) expect(reason.length, id).toBeGreaterThanOrEqual(100);
  });
});
