import type { Stack } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as iam from 'aws-cdk-lib/aws-iam';
import { describe, expect, it } from 'vitest';
import { logicalId, roleStatements, synthReceiver } from './support/synth.ts';

/** A principal of the consumer's own stack. */
function consumerRole(stack: Stack): iam.Role {
  return new iam.Role(stack, 'Consumer', { assumedBy: new iam.AccountRootPrincipal() });
}

describe('receiver grants', () => {
  it('grantSubscribe lets a principal subscribe to the named topics only', () => {
    let role: iam.Role | undefined;
    const synth = synthReceiver(
      () => ({}),
      (receiver, stack) => {
        role = consumerRole(stack);
        receiver.grantSubscribe(role, 'vault.connection.created', '*').assertSuccess();
      },
    );
    // The project's minimizePolicies flag merges the grants into one statement.
    expect(roleStatements(synth.template, logicalId(role as iam.Role))).toEqual([
      expect.objectContaining({
        Action: 'sns:Subscribe',
        Effect: 'Allow',
        Resource: [
          { Ref: logicalId(synth.receiver.catchAllTopic) },
          { Ref: logicalId(synth.receiver.topic('vault.connection.created')) },
        ].sort((a, b) => a.Ref.localeCompare(b.Ref)),
      }),
    ]);
  });

  it('grantSubscribe refuses a type without a topic and an empty list', () => {
    expect(() =>
      synthReceiver(
        () => ({}),
        (receiver, stack) => receiver.grantSubscribe(consumerRole(stack), 'crm.lead.created'),
      ),
    ).toThrow(/"crm.lead.created" has no topic/);
    expect(() =>
      synthReceiver(
        () => ({}),
        (receiver, stack) => receiver.grantSubscribe(consumerRole(stack)),
      ),
    ).toThrow(/name at least one event type/);
  });

  it("grantReadTopicParameters lets a principal read every topic's ARN parameter", () => {
    let role: iam.Role | undefined;
    const synth = synthReceiver(
      () => ({}),
      (receiver, stack) => {
        role = consumerRole(stack);
        receiver.grantReadTopicParameters(role).assertSuccess();
      },
    );
    const statements = roleStatements(synth.template, logicalId(role as iam.Role));
    expect(statements.flatMap((statement) => [statement.Action].flat())).toContain(
      'ssm:GetParameter',
    );
    const resources = JSON.stringify(statements.map((statement) => statement.Resource));
    for (const parameter of Object.values(synth.receiver.topicParameters)) {
      expect(resources).toContain(logicalId(parameter));
    }
  });

  it('grantSubscribe returns one grant whose statements cover every topic named', () => {
    let grant: iam.Grant | undefined;
    const { receiver } = synthReceiver(
      () => ({}),
      (r, stack) => {
        grant = r.grantSubscribe(consumerRole(stack), 'vault.connection.created', '*');
      },
    );
    const resources = grant?.principalStatements.flatMap((statement) => statement.resources);
    expect(resources?.sort()).toEqual(
      [receiver.topic('vault.connection.created').topicArn, receiver.catchAllTopic.topicArn].sort(),
    );
  });
});

describe('receiver metrics', () => {
  const { receiver } = synthReceiver(() => ({ metricsNamespace: 'Team/Apideck' }));

  it('metricPublished is the sum of Published in the receiver namespace', () => {
    const metric = receiver.metricPublished();
    expect([metric.namespace, metric.metricName, metric.statistic]).toEqual([
      'Team/Apideck',
      'Published',
      cloudwatch.Stats.SUM,
    ]);
    expect(metric.dimensions).toBeUndefined();
  });

  it('metricDuplicate reads one routed event type through its dimension', () => {
    const metric = receiver.metricDuplicate({ eventType: 'vault.connection.created' });
    expect(metric.metricName).toBe('Duplicate');
    expect(metric.dimensions).toEqual({ EventType: 'vault.connection.created' });
  });

  it('reads a type without a topic from the unrouted series the handler writes', () => {
    expect(receiver.metricPublishFailed({ eventType: 'crm.lead.created' }).dimensions).toEqual({
      EventType: 'unrouted',
    });
  });

  it('metric refuses a name the handler never emits, listing those it does', () => {
    expect(() => receiver.metric('Duplicates')).toThrow(
      /the handler emits no "Duplicates"; its metrics are .*Duplicate/,
    );
  });

  it('metricReceived keeps the options it is given', () => {
    const metric = receiver.metricReceived({ statistic: cloudwatch.Stats.SAMPLE_COUNT });
    expect([metric.metricName, metric.statistic]).toEqual(['Received', 'SampleCount']);
  });
});
