import { Duration, type Stack } from 'aws-cdk-lib';
import { Match, type Template } from 'aws-cdk-lib/assertions';
import * as kms from 'aws-cdk-lib/aws-kms';
import { AwsSolutionsChecks, type NagPack, ServerlessChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  APIDECK_ENVIRONMENT,
  RECONCILIATION_METRIC_NAMES as R,
} from '../../lambda/contract/reconciliation.ts';
import {
  type SubscriptionHealthSettings,
  subscriptionHealthFromContext,
} from '../../lib/context/receiver-context.ts';
import { ApideckSubscriptionHealth } from '../../lib/receiver/subscription-health.ts';
import type { ApideckWebhookReceiverProps } from '../../lib/receiver-props.ts';
import { logicalId, newApp, type SynthesizedReceiver, synthReceiver } from './support/synth.ts';

const DESCRIPTION = 'Apideck subscription health and event-log reconciliation (scheduled)';

interface SynthesizedHealth extends SynthesizedReceiver {
  readonly health: ApideckSubscriptionHealth | undefined;
}

/** A receiver, with its subscription health when settings are given. */
function synth(
  settings?: SubscriptionHealthSettings,
  receiverProps: (stack: Stack) => ApideckWebhookReceiverProps = () => ({}),
): SynthesizedHealth {
  let health: ApideckSubscriptionHealth | undefined;
  const synthesized = synthReceiver(receiverProps, (receiver, stack) => {
    if (settings) {
      health = new ApideckSubscriptionHealth(stack, 'SubscriptionHealth', {
        ...settings,
        receiver,
      });
    }
  });
  return { ...synthesized, health };
}

function scheduledFunctions(template: Template) {
  return template.findResources('AWS::Lambda::Function', {
    Properties: { Description: DESCRIPTION },
  });
}

function unacknowledged(pack: NagPack, scope: IConstruct): string[] {
  return pack
    .validateScope(scope)
    .violations.flatMap((v) =>
      v.violatingResources.map((r) => `${v.ruleName} at ${r.constructPath}`),
    );
}

describe('ApideckWebhookReceiver without ApideckSubscriptionHealth', () => {
  it('has no scheduled function or rule', () => {
    const { template } = synth();
    expect([
      Object.keys(scheduledFunctions(template)).length,
      Object.keys(template.findResources('AWS::Events::Rule')).length,
    ]).toEqual([0, 0]);
  });
});

describe('ApideckSubscriptionHealth', () => {
  let synthesized: SynthesizedHealth;
  beforeAll(() => {
    synthesized = synth({ appId: 'app-123' });
  });

  it('creates the scheduled function with the Apideck settings beside the receiver environment', () => {
    synthesized.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: DESCRIPTION,
      Timeout: 300,
      ReservedConcurrentExecutions: 1,
      Environment: {
        Variables: Match.objectLike({
          [APIDECK_ENVIRONMENT.appId]: 'app-123',
          [APIDECK_ENVIRONMENT.apiUrl]: 'https://unify.apideck.com',
          [APIDECK_ENVIRONMENT.webhookUrl]: Match.anyValue(),
          [APIDECK_ENVIRONMENT.autoReenable]: 'false',
          [APIDECK_ENVIRONMENT.reconcileWindowHours]: '48',
          IDEMPOTENCY_TABLE_NAME: Match.anyValue(),
          TOPIC_ARNS: Match.anyValue(),
          SIGNING_SECRET_ID: Match.anyValue(),
        }),
      },
    });
  });

  it('runs with the receiver role, the only one the created secret admits', () => {
    const { template, receiver } = synthesized;
    const [fn] = Object.values(scheduledFunctions(template)) as Array<{
      Properties: { Role: unknown };
    }>;
    const handler = template.toJSON().Resources[logicalId(receiver.handler)] as {
      Properties: { Role: unknown };
    };
    expect(fn?.Properties.Role).toEqual(handler.Properties.Role);
  });

  it('checks the subscriptions every 15 minutes', () => {
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(15 minutes)',
      Targets: [
        Match.objectLike({
          Input: JSON.stringify({ job: 'health' }),
          RetryPolicy: { MaximumRetryAttempts: 0 },
        }),
      ],
    });
  });

  it('reconciles every 6 hours', () => {
    synthesized.template.hasResourceProperties('AWS::Events::Rule', {
      ScheduleExpression: 'rate(6 hours)',
      Targets: [Match.objectLike({ Input: JSON.stringify({ job: 'reconcile' }) })],
    });
  });

  it('alarms on a disabled subscription, a failed check or a missing one, to the alarm topic', () => {
    const { template, receiver } = synthesized;
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('alarm subscriptionDisabled'),
      EvaluationPeriods: 2,
      DatapointsToAlarm: 2,
      Threshold: 1,
      TreatMissingData: 'breaching',
      AlarmActions: [{ Ref: logicalId(receiver.alarmTopic) }],
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: 'IF(failed > 0, 1, disabled)' }),
        Match.objectLike({
          Id: 'disabled',
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'ApideckWebhooks', MetricName: R.subscriptionDisabled },
            Stat: 'Maximum',
          }),
        }),
      ]),
    });
  });

  it('alarms on a reconciliation that failed', () => {
    synthesized.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('alarm reconcileFailed'),
      TreatMissingData: 'notBreaching',
    });
  });

  it('exposes the function and both alarms', () => {
    expect(Object.keys(synthesized.health?.alarms ?? {}).sort()).toEqual([
      'reconcileFailed',
      'subscriptionDisabled',
    ]);
  });

  it('finds nothing unacknowledged with the AwsSolutions and Serverless packs', () => {
    expect([
      ...unacknowledged(new AwsSolutionsChecks(), synthesized.stack),
      ...unacknowledged(new ServerlessChecks(), synthesized.stack),
    ]).toEqual([]);
  });
});

describe('ApideckSubscriptionHealth props', () => {
  it('passes automatic re-enabling to the function', () => {
    synth({ appId: 'app-123', autoReenable: true }).template.hasResourceProperties(
      'AWS::Lambda::Function',
      {
        Environment: {
          Variables: Match.objectLike({ [APIDECK_ENVIRONMENT.autoReenable]: 'true' }),
        },
      },
    );
  });

  it('keeps only the health schedule and its alarm without scheduled reconciliation', () => {
    const { template, health } = synth({ appId: 'app-123', reconcile: false });
    expect([
      Object.keys(template.findResources('AWS::Events::Rule')).length,
      Object.keys(health?.alarms ?? {}),
    ]).toEqual([1, ['subscriptionDisabled']]);
  });

  it('refuses a reconcile window beyond the retention minus the replay margin', () => {
    expect(() => synth({ appId: 'app-123', reconcileWindow: Duration.hours(145) })).toThrow(
      /reaches past what the receiver's idempotency records cover \(144 h/,
    );
  });

  it('refuses an empty application id', () => {
    expect(() => synth({ appId: ' ' })).toThrow(/appId must not be empty/);
  });

  it('encrypts its log group and environment with a customer key when given one', () => {
    const { template } = synth({ appId: 'app-123' }, (stack) => ({
      encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
    }));
    template.hasResourceProperties('AWS::Lambda::Function', {
      Description: DESCRIPTION,
      KmsKeyArn: Match.anyValue(),
    });
  });
});

describe('subscriptionHealth context', () => {
  function fromContext(value: string) {
    const app = newApp();
    app.node.setContext('subscriptionHealth', value);
    return subscriptionHealthFromContext(app.node);
  }

  it('reads the JSON object the ready app is given', () => {
    const options = fromContext('{"appId":"app-1","autoReenable":true,"reconcileWindow":"PT24H"}');
    expect([options?.appId, options?.autoReenable, options?.reconcileWindow?.toHours()]).toEqual([
      'app-1',
      true,
      24,
    ]);
  });

  it('refuses an object without appId', () => {
    expect(() => fromContext('{"autoReenable":true}')).toThrow(/subscriptionHealth\.appId/);
  });

  it('refuses a setting it does not know', () => {
    expect(() => fromContext('{"appId":"a","reenable":true}')).toThrow(
      /not a subscription-health setting/,
    );
  });
});
