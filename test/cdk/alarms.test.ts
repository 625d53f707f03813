import { Duration } from 'aws-cdk-lib';
import { Annotations, Match } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { beforeAll, describe, expect, it } from 'vitest';
import { IDEMPOTENCY_TABLE_ACTIONS } from '../../lambda/contract/idempotency-record.ts';
import { METRIC_NAMES } from '../../lambda/contract/metrics.ts';
import {
  FIRST_OCCURRENCE,
  noEventsWindow,
  P99_LATENCY_PERIODS,
  resolveAlarmThresholds,
} from '../../lib/receiver/monitoring/alarm-thresholds.ts';
import {
  RECEIVER_ALARM_NAMES,
  type ReceiverAlarmName,
} from '../../lib/receiver/monitoring/receiver-alarms.ts';
import {
  ReceiverConfigurationError,
  resolveReceiverProps,
} from '../../lib/receiver/resolve-props.ts';
import { type AlarmJson, alarmExpression, alarmMetrics, joined } from './support/cloudwatch.ts';
import {
  logicalId,
  type Synthesized,
  type SynthesizedReceiver,
  synthReceiver,
  synthStack,
} from './support/synth.ts';

const NAMESPACE = 'ApideckWebhooks';
const FIVE_MINUTES = 300;

interface Receiverish {
  readonly template: Synthesized['template'];
  readonly receiver: Synthesized['stack']['receiver'];
}

function alarmJson({ template, receiver }: Receiverish, name: ReceiverAlarmName): AlarmJson {
  const alarm = receiver.alarms[name];
  if (!alarm) throw new Error(`no ${name} alarm`);
  return (template.toJSON().Resources[logicalId(alarm)] as { Properties: AlarmJson }).Properties;
}

/** The alarms that watch one metric: name, then namespace, metric, statistic, threshold, comparison, periods. */
const SINGLE_METRIC_ALARMS: ReadonlyArray<
  readonly [ReceiverAlarmName, string, string, string, number, string, number]
> = [
  ['lambdaErrors', 'AWS/Lambda', 'Errors', 'Sum', 1, 'GreaterThanOrEqualToThreshold', 1],
  ['api5xx', 'AWS/ApiGateway', '5XXError', 'Sum', 1, 'GreaterThanOrEqualToThreshold', 1],
  [
    'signatureRejected',
    NAMESPACE,
    METRIC_NAMES.signatureRejected,
    'Sum',
    20,
    'GreaterThanOrEqualToThreshold',
    1,
  ],
  [
    'publishFailed',
    NAMESPACE,
    METRIC_NAMES.publishFailed,
    'Sum',
    1,
    'GreaterThanOrEqualToThreshold',
    1,
  ],
  [
    'publishUncertain',
    NAMESPACE,
    METRIC_NAMES.publishUncertain,
    'Sum',
    1,
    'GreaterThanOrEqualToThreshold',
    1,
  ],
  [
    'completionFailed',
    NAMESPACE,
    METRIC_NAMES.completionFailed,
    'Sum',
    1,
    'GreaterThanOrEqualToThreshold',
    1,
  ],
  [
    'payloadConflict',
    NAMESPACE,
    METRIC_NAMES.payloadConflict,
    'Sum',
    1,
    'GreaterThanOrEqualToThreshold',
    1,
  ],
  ['unrouted', NAMESPACE, METRIC_NAMES.unrouted, 'Sum', 1, 'GreaterThanOrEqualToThreshold', 1],
  ['p99Latency', 'AWS/ApiGateway', 'Latency', 'p99', 3000, 'GreaterThanThreshold', 3],
];

const DEFAULT_ALARMS = RECEIVER_ALARM_NAMES.filter((name) => name !== 'noEvents');

describe('alarms', () => {
  let synth: Synthesized;
  let r: Receiverish;
  beforeAll(() => {
    synth = synthStack();
    r = { template: synth.template, receiver: synth.stack.receiver };
  });

  it('exposes every alarm but the no-events one by its stable name', () => {
    expect(Object.keys(synth.stack.receiver.alarms).sort()).toEqual([...DEFAULT_ALARMS].sort());
  });

  it.each(SINGLE_METRIC_ALARMS)(
    '%s watches %s %s (%s) against its default threshold',
    (name, namespace, metric, stat, threshold, comparison, periods) => {
      const alarm = alarmJson(r, name);
      expect(alarmMetrics(alarm)).toEqual([
        expect.objectContaining({ namespace, name: metric, stat, period: FIVE_MINUTES }),
      ]);
      expect(alarm).toMatchObject({
        Threshold: threshold,
        ComparisonOperator: comparison,
        EvaluationPeriods: periods,
        TreatMissingData: 'notBreaching',
      });
    },
  );

  it('reads the EMF alarms as service totals, without the EventType dimension', () => {
    const emfAlarms = SINGLE_METRIC_ALARMS.filter(([, namespace]) => namespace === NAMESPACE);
    expect(emfAlarms.length).toBeGreaterThan(5);
    for (const [name] of emfAlarms) {
      expect(alarmMetrics(alarmJson(r, name))[0]?.dimensions).toEqual({});
    }
  });

  it('fires on the first event that may be published twice and notifies the alarm topic', () => {
    const topic = { Ref: logicalId(synth.stack.receiver.alarmTopic) };
    const alarm = alarmJson(r, 'completionFailed');
    expect(alarmMetrics(alarm)).toEqual([
      {
        namespace: NAMESPACE,
        name: METRIC_NAMES.completionFailed,
        stat: 'Sum',
        period: FIVE_MINUTES,
        dimensions: {},
      },
    ]);
    expect(alarm).toMatchObject({
      Threshold: FIRST_OCCURRENCE,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
    expect(FIRST_OCCURRENCE).toBe(1);
  });

  it('reads the Lambda errors of the receiver function', () => {
    expect(alarmMetrics(alarmJson(r, 'lambdaErrors'))[0]?.dimensions).toEqual({
      FunctionName: { Ref: logicalId(synth.stack.receiver.handler) },
    });
  });

  it('reads the API metrics of the webhook stage', () => {
    for (const name of ['api5xx', 'p99Latency'] as const) {
      expect(alarmMetrics(alarmJson(r, name))[0]?.dimensions).toEqual({
        ApiName: 'ApideckWebhooks-apideck-webhooks',
        Stage: { Ref: logicalId(synth.stack.receiver.api.deploymentStage) },
      });
    }
  });

  it('fires on p99 latency only after every one of its periods breached', () => {
    expect(alarmJson(r, 'p99Latency')).toMatchObject({
      EvaluationPeriods: P99_LATENCY_PERIODS,
      DatapointsToAlarm: P99_LATENCY_PERIODS,
    });
  });

  it('sums DynamoDB throttles over every operation the handler uses on the table', () => {
    const alarm = alarmJson(r, 'dynamoThrottles');
    expect(alarmExpression(alarm)).toBe(
      'SUM([FILL(m0, 0), FILL(m1, 0), FILL(m2, 0), FILL(m3, 0)])',
    );
    const table = { Ref: logicalId(synth.stack.receiver.table) };
    expect(alarmMetrics(alarm)).toEqual(
      IDEMPOTENCY_TABLE_ACTIONS.map((action) => ({
        namespace: 'AWS/DynamoDB',
        name: 'ThrottledRequests',
        stat: 'Sum',
        period: FIVE_MINUTES,
        dimensions: { TableName: table, Operation: action.replace('dynamodb:', '') },
      })),
    );
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'GreaterThanOrEqualToThreshold',
      EvaluationPeriods: 1,
      TreatMissingData: 'notBreaching',
    });
  });

  it('sums failed SNS notifications of every topic, 10 per alarm, under one composite alarm', () => {
    const composite = alarmJson(r, 'snsNotificationsFailed') as AlarmJson & { AlarmRule: unknown };
    const rule = joined(composite.AlarmRule);
    const groups = Object.entries(synth.template.findResources('AWS::CloudWatch::Alarm')).filter(
      ([id]) => rule.includes(`\${${id}.Arn}`),
    );
    expect(groups).toHaveLength(2);
    expect(rule).toBe(`(${groups.map(([id]) => `ALARM("\${${id}.Arn}")`).join(' OR ')})`);
    const read = groups.flatMap(([, group]) => {
      const alarm = (group as { Properties: AlarmJson }).Properties;
      expect(alarm).toMatchObject({
        Threshold: 1,
        ComparisonOperator: 'GreaterThanOrEqualToThreshold',
        TreatMissingData: 'notBreaching',
      });
      expect(alarm.AlarmActions).toBeUndefined();
      const metrics = alarmMetrics(alarm);
      expect(metrics.length).toBeLessThanOrEqual(10);
      expect(alarmExpression(alarm)).toMatch(/^SUM\(\[FILL\(m0, 0\)/);
      return metrics;
    });
    expect(read.map((m) => `${m.namespace} ${m.name} ${m.stat}`)).toEqual(
      Array(Object.keys(synth.stack.receiver.topics).length).fill(
        'AWS/SNS NumberOfNotificationsFailed Sum',
      ),
    );
    expect(read.map((m) => m.dimensions.TopicName)).toEqual(
      Object.values(synth.stack.receiver.topics).map((topic) => ({
        'Fn::GetAtt': [logicalId(topic), 'TopicName'],
      })),
    );
  });

  it.each(DEFAULT_ALARMS)('notifies the alarm topic when %s fires and when it recovers', (name) => {
    const topic = { Ref: logicalId(synth.stack.receiver.alarmTopic) };
    expect(alarmJson(r, name)).toMatchObject({ AlarmActions: [topic], OKActions: [topic] });
  });

  it('has no no-events alarm unless asked to', () => {
    expect(synth.stack.receiver.alarms.noEvents).toBeUndefined();
    const received = Object.values(synth.template.findResources('AWS::CloudWatch::Alarm')).filter(
      (alarm) =>
        alarmMetrics((alarm as { Properties: AlarmJson }).Properties).some(
          (m) => m.name === METRIC_NAMES.received,
        ),
    );
    expect(received).toEqual([]);
  });

  it('subscribes no email address unless given one', () => {
    synth.template.resourceCountIs('AWS::SNS::Subscription', 0);
  });

  it('encrypts the alarm topic with a rotating customer managed key that CloudWatch may use', () => {
    const topic = synth.template.toJSON().Resources[logicalId(synth.stack.receiver.alarmTopic)];
    const keyId = (topic.Properties.KmsMasterKeyId as { 'Fn::GetAtt': [string, string] })[
      'Fn::GetAtt'
    ][0];
    const key = synth.template.toJSON().Resources[keyId];
    expect(key).toMatchObject({ Type: 'AWS::KMS::Key', Properties: { EnableKeyRotation: true } });
    expect(key.Properties.KeyPolicy.Statement).toContainEqual({
      Sid: 'CloudWatchAlarmsEncryptForTheAlarmTopic',
      Effect: 'Allow',
      Principal: { Service: 'cloudwatch.amazonaws.com' },
      Action: ['kms:Decrypt', 'kms:GenerateDataKey*'],
      Resource: '*',
    });
  });

  it("lets only this account's CloudWatch alarms publish to the alarm topic, over TLS only", () => {
    const topic = { Ref: logicalId(synth.stack.receiver.alarmTopic) };
    synth.template.hasResourceProperties('AWS::SNS::TopicPolicy', {
      Topics: [topic],
      PolicyDocument: {
        Statement: [
          Match.objectLike({
            Effect: 'Deny',
            Action: 'sns:Publish',
            Condition: { Bool: { 'aws:SecureTransport': 'false' } },
          }),
          {
            Sid: 'CloudWatchAlarmsOfThisAccountPublish',
            Effect: 'Allow',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
            Action: 'sns:Publish',
            Resource: topic,
            Condition: {
              StringEquals: { 'aws:SourceAccount': { Ref: 'AWS::AccountId' } },
              ArnLike: {
                'aws:SourceArn': {
                  'Fn::Join': ['', Match.arrayWith([':cloudwatch:', ':alarm:*'])],
                },
              },
            },
          },
        ],
      },
    });
  });
});

describe('configured alarms', () => {
  let synth: SynthesizedReceiver;
  beforeAll(() => {
    synth = synthReceiver((stack) => ({
      eventTypes: ['crm.contact.updated'],
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
      alarmEmail: 'oncall@example.com',
      signatureRejectedAlarmPerFiveMinutes: 5,
      p99LatencyAlarmThreshold: Duration.millis(1500),
      noEventsAlarmAfter: Duration.hours(2),
      dashboard: false,
    }));
  });

  it('subscribes the alarm email to the alarm topic', () => {
    synth.template.hasResourceProperties('AWS::SNS::Subscription', {
      Protocol: 'email',
      Endpoint: 'oncall@example.com',
      TopicArn: { Ref: logicalId(synth.receiver.alarmTopic) },
    });
  });

  it('fires when no request reached the handler for the configured time, missing data breaching', () => {
    const alarm = alarmJson(synth, 'noEvents');
    expect(alarmMetrics(alarm)).toEqual([
      { namespace: NAMESPACE, name: 'Received', stat: 'Sum', period: FIVE_MINUTES, dimensions: {} },
    ]);
    const topic = { Ref: logicalId(synth.receiver.alarmTopic) };
    expect(alarm).toMatchObject({
      Threshold: 1,
      ComparisonOperator: 'LessThanThreshold',
      EvaluationPeriods: 24,
      DatapointsToAlarm: 24,
      TreatMissingData: 'breaching',
      AlarmActions: [topic],
      OKActions: [topic],
    });
  });

  it('uses the configured thresholds', () => {
    expect(alarmJson(synth, 'signatureRejected').Threshold).toBe(5);
    expect(alarmJson(synth, 'p99Latency')).toMatchObject({
      Threshold: 1500,
      EvaluationPeriods: P99_LATENCY_PERIODS,
      DatapointsToAlarm: P99_LATENCY_PERIODS,
    });
  });

  it('keeps every other alarm at the first occurrence, which no prop can raise', () => {
    for (const name of RECEIVER_ALARM_NAMES) {
      if (['signatureRejected', 'p99Latency', 'noEvents', 'snsNotificationsFailed'].includes(name))
        continue;
      expect(alarmJson(synth, name).Threshold, name).toBe(FIRST_OCCURRENCE);
    }
  });

  it('watches failed notifications of up to 10 topics with one alarm', () => {
    const alarm = alarmJson(synth, 'snsNotificationsFailed');
    expect(alarmExpression(alarm)).toBe('SUM([FILL(m0, 0), FILL(m1, 0)])');
    synth.template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  });

  it('encrypts the alarm topic with the customer key and lets CloudWatch use it', () => {
    const key = logicalId(synth.stack.node.findChild('Key'));
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      KmsMasterKeyId: { 'Fn::GetAtt': [key, 'Arn'] },
      DisplayName: 'Apideck webhook receiver alarms',
    });
    synth.template.resourceCountIs('AWS::KMS::Key', 1);
    synth.template.hasResourceProperties('AWS::KMS::Key', {
      KeyPolicy: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Sid: 'CloudWatchAlarmsEncryptForTheAlarmTopic',
            Principal: { Service: 'cloudwatch.amazonaws.com' },
          }),
        ]),
      },
    });
  });
});

describe('alarm topic with an imported key', () => {
  it("warns that the key's owner must let CloudWatch use it", () => {
    const { stack } = synthReceiver((scope) => ({
      encryptionKey: kms.Key.fromKeyArn(
        scope,
        'Imported',
        'arn:aws:kms:eu-west-1:111111111111:key/1234abcd-12ab-34cd-56ef-1234567890ab',
      ),
    }));
    Annotations.fromStack(stack).hasWarning(
      '/ReceiverTest/Receiver/Alarms',
      Match.stringLikeRegexp('must allow cloudwatch.amazonaws.com kms:Decrypt'),
    );
  });
});

describe('alarm thresholds', () => {
  it('looks at five-minute periods for up to a day without events', () => {
    expect(noEventsWindow('R', Duration.hours(2))).toEqual({
      period: Duration.minutes(5),
      evaluationPeriods: 24,
    });
    expect(noEventsWindow('R', Duration.days(1)).evaluationPeriods).toBe(288);
  });

  it('looks at hourly periods beyond a day, up to seven days', () => {
    const window = noEventsWindow('R', Duration.days(2));
    expect(window.period.toSeconds()).toBe(3600);
    expect(window.evaluationPeriods).toBe(48);
  });

  it.each([
    ['1 minute', Duration.minutes(1)],
    ['7 minutes', Duration.minutes(7)],
    ['25.5 hours', Duration.minutes(25 * 60 + 30)],
    ['8 days', Duration.days(8)],
  ])('refuses a no-events window of %s', (_, duration) => {
    expect(() => noEventsWindow('R', duration)).toThrow(ReceiverConfigurationError);
  });

  it.each([
    ['a zero count', { signatureRejectedAlarmPerFiveMinutes: 0 }],
    ['a fractional count', { signatureRejectedAlarmPerFiveMinutes: 1.5 }],
    ['a latency beyond API Gateway timeout', { p99LatencyAlarmThreshold: Duration.seconds(30) }],
  ])('refuses %s', (_, thresholds) => {
    expect(() => resolveAlarmThresholds('R', thresholds)).toThrow(ReceiverConfigurationError);
  });

  it('refuses an alarm email that is not an address', () => {
    expect(() => resolveReceiverProps('R', { alarmEmail: 'oncall' })).toThrow(
      ReceiverConfigurationError,
    );
  });
});
