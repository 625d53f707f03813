import { Duration } from 'aws-cdk-lib';
import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiKind } from '../../lib/api-kind.ts';
import { receiverPropsFromContext } from '../../lib/context/receiver-context.ts';
import { AlarmCoverage } from '../../lib/receiver/monitoring/alarm-coverage.ts';
import { ReceiverProfile } from '../../lib/receiver-profile.ts';
import { newApp, type Synthesized, synthStack } from './support/synth.ts';

describe('the lean profile (profile: ReceiverProfile.LEAN)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack({ profile: ReceiverProfile.LEAN });
  });

  it('deploys the HTTP API', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    synth.template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
  });

  it('creates no web ACL and no dashboard', () => {
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    synth.template.resourceCountIs('AWS::CloudWatch::Dashboard', 0);
  });

  it('creates only the alarms that catch an event lost or published twice', () => {
    expect(Object.keys(synth.stack.receiver.alarms).sort()).toEqual(
      [
        'api5xx',
        'completionFailed',
        'payloadConflict',
        'publishUncertain',
        'signatureRejected',
      ].sort(),
    );
    synth.template.resourceCountIs('AWS::CloudWatch::Alarm', 5);
    synth.template.resourceCountIs('AWS::CloudWatch::CompositeAlarm', 0);
  });

  it('keeps the no-events alarm when alarms.noEventsFor asks for it', () => {
    const { stack, template } = synthStack({
      profile: ReceiverProfile.LEAN,
      noEventsAlarmAfter: Duration.hours(12),
    });
    expect(stack.receiver.alarms.noEvents).toBeDefined();
    template.resourceCountIs('AWS::CloudWatch::Alarm', 6);
  });

  it('creates no KMS key: the alarm topic has no customer managed key', () => {
    synth.template.resourceCountIs('AWS::KMS::Key', 0);
    synth.template.hasResourceProperties('AWS::SNS::Topic', {
      DisplayName: 'Apideck webhook receiver alarms',
      KmsMasterKeyId: Match.absent(),
    });
  });

  it('has the handler write its metrics as service totals only', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Environment: { Variables: Match.objectLike({ METRICS_BY_EVENT_TYPE: 'false' }) },
    });
  });

  it('records no X-Ray traces', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Function', {
      Description: Match.stringLikeRegexp('^Receives Apideck webhooks'),
      TracingConfig: Match.absent(),
    });
  });

  it('lets a prop set explicitly win over the profile', () => {
    const { stack, template } = synthStack({
      profile: ReceiverProfile.LEAN,
      apiKind: ApiKind.REST,
      dashboard: true,
      tracing: true,
    });
    template.resourceCountIs('AWS::ApiGateway::RestApi', 1);
    template.resourceCountIs('AWS::CloudWatch::Dashboard', 1);
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(stack.receiver.alarms.lambdaErrors).toBeUndefined();
  });

  it('is chosen by the context key profile=lean, under the keys set beside it', () => {
    const app = newApp();
    app.node.setContext('profile', 'lean');
    app.node.setContext('alarmCoverage', 'all');
    expect(receiverPropsFromContext(app.node)).toEqual({
      profile: ReceiverProfile.LEAN,
      alarmCoverage: AlarmCoverage.ALL,
    });
  });
});

describe('alarmCoverage', () => {
  it('creates every alarm by default', () => {
    const { stack } = synthStack();
    expect(Object.keys(stack.receiver.alarms).sort()).toEqual(
      [
        'api5xx',
        'completionFailed',
        'dynamoThrottles',
        'lambdaErrors',
        'p99Latency',
        'payloadConflict',
        'publishFailed',
        'publishUncertain',
        'signatureRejected',
        'snsNotificationsFailed',
        'unrouted',
      ].sort(),
    );
  });
});
