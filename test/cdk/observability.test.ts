import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import { describe, expect, it } from 'vitest';
import { EVENT_TYPE_DIMENSION, METRIC_NAMES } from '../../lambda/contract/metrics.ts';
import { logicalId, restApiOf, synthStack } from './support/synth.ts';

describe('attaching alarms', () => {
  it("synthesizes alarms on the handler's EMF metrics and on the exposed resources", () => {
    const attached: cloudwatch.Alarm[] = [];
    const { template } = synthStack({}, (stack) => {
      const receiver = stack.receiver;
      const alarm = (id: string, metric: cloudwatch.IMetric) =>
        attached.push(
          new cloudwatch.Alarm(stack, id, {
            metric,
            threshold: 1,
            evaluationPeriods: 1,
            treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
          }),
        );
      alarm('PublishFailed', receiver.metric(METRIC_NAMES.publishFailed));
      alarm(
        'UnroutedCreated',
        receiver.metric(METRIC_NAMES.unrouted, {
          dimensionsMap: { [EVENT_TYPE_DIMENSION]: 'vault.connection.created' },
        }),
      );
      alarm('HandlerErrors', receiver.handler.metricErrors());
      alarm('Api5xx', restApiOf(receiver).metricServerError());
      alarm(
        'TableThrottles',
        receiver.table.metricThrottledRequestsForOperations({
          operations: [dynamodb.Operation.PUT_ITEM, dynamodb.Operation.UPDATE_ITEM],
        }),
      );
      alarm('CatchAllPublished', receiver.catchAllTopic.metricNumberOfMessagesPublished());
    });
    expect(attached).toHaveLength(6);
    for (const alarm of attached) {
      expect(template.toJSON().Resources[logicalId(alarm)]).toMatchObject({
        Type: 'AWS::CloudWatch::Alarm',
      });
    }
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      Namespace: 'ApideckWebhooks',
      MetricName: 'PublishFailed',
      Statistic: 'Sum',
    });
  });

  it('reads the metrics in the configured namespace', () => {
    const { stack } = synthStack({ metricsNamespace: 'Team/Apideck' });
    expect(stack.receiver.metric(METRIC_NAMES.received).namespace).toBe('Team/Apideck');
  });
});
