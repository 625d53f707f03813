import { Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import * as apigwv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import { describe, expect, it } from 'vitest';
import {
  invocationsPerMonth,
  readInventory,
  TemplateError,
} from '../../../../cli/cost/template.ts';
import * as fixture from './template-fixtures.ts';

describe('readInventory', () => {
  it('refuses a document without a Resources object', () => {
    expect(() => readInventory({ AWSTemplateFormatVersion: '2010-09-09' })).toThrow(TemplateError);
  });

  it('refuses a resource without a Type, naming it', () => {
    expect(() => readInventory({ Resources: { Broken: { Properties: {} } } })).toThrow(
      'resource "Broken" has no "Type"',
    );
  });

  it('reads a REST API as the front door', () => {
    expect(readInventory(fixture.templateOf({ Api: fixture.restApi })).frontDoor).toBe('rest-api');
  });

  it('reads an HTTP API (ApiGatewayV2, protocol HTTP) as the front door', () => {
    expect(readInventory(fixture.templateOf({ Api: fixture.httpApi })).frontDoor).toBe('http-api');
  });

  it('does not take a WebSocket API for an HTTP API', () => {
    const websocket = { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'WEBSOCKET' } };
    expect(readInventory(fixture.templateOf({ Api: websocket })).frontDoor).toBe('none');
  });

  it('reads the API kind of an HTTP API synthesized by CDK, and the function it invokes', () => {
    const stack = new Stack();
    const fn = new lambda.Function(stack, 'Fn', {
      runtime: lambda.Runtime.NODEJS_24_X,
      handler: 'index.handler',
      code: lambda.Code.fromInline('export const handler = async () => ({});'),
      memorySize: 512,
    });
    const api = new apigwv2.HttpApi(stack, 'Api');
    api.addRoutes({
      path: '/webhooks',
      methods: [apigwv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Integration', fn),
    });
    const inventory = readInventory(Template.fromStack(stack).toJSON());
    expect(inventory.frontDoor).toBe('http-api');
    expect(inventory.receiver).toMatchObject({ memoryMb: 512, apideckReceiver: false });
  });

  it('counts the rules of a web ACL', () => {
    expect(readInventory(fixture.templateOf({ Acl: fixture.webAcl(4) })).webAcls).toEqual([
      { id: 'Acl', rules: 4, associated: false, paidRuleGroups: [] },
    ]);
  });

  it('sees a web ACL associated by its ARN', () => {
    const association = {
      Type: 'AWS::WAFv2::WebACLAssociation',
      Properties: { WebACLArn: { 'Fn::GetAtt': ['Acl', 'Arn'] } },
    };
    const [acl] = readInventory(
      fixture.templateOf({ Acl: fixture.webAcl(1), Link: association }),
    ).webAcls;
    expect(acl?.associated).toBe(true);
  });

  it('bills a metric-math alarm for each metric, not for the expression', () => {
    expect(readInventory(fixture.templateOf({ Alarm: fixture.mathAlarm(4) })).alarms).toEqual([
      { id: 'Alarm', metrics: 4, highResolution: false },
    ]);
  });

  it('takes an alarm with a period under 60 s for a high-resolution alarm', () => {
    const [read] = readInventory(fixture.templateOf({ Alarm: fixture.alarm(10) })).alarms;
    expect(read?.highResolution).toBe(true);
  });

  it('finds the receiver by its TOPIC_ARNS and reads the routed types without the catch-all', () => {
    const inventory = readInventory(
      fixture.templateOf({
        Other: fixture.lambdaFunction(),
        Fn: fixture.receiver(['a.created', 'a.deleted']),
      }),
    );
    expect(inventory.receiver).toMatchObject({
      id: 'Fn',
      apideckReceiver: true,
      routedEventTypes: ['a.created', 'a.deleted'],
    });
  });

  it("reads the receiver's log format and levels", () => {
    const fn = fixture.receiver(['a'], {
      logging: { LogFormat: 'JSON', SystemLogLevel: 'WARN', ApplicationLogLevel: 'INFO' },
    });
    expect(readInventory(fixture.templateOf({ Fn: fn })).receiver).toMatchObject({
      logFormat: 'JSON',
      systemLogLevel: 'WARN',
      applicationLogLevel: 'INFO',
    });
  });

  it("reads the stage's access log format, execution logging level and tracing", () => {
    const inventory = readInventory(
      fixture.templateOf({
        Api: fixture.restApi,
        Stage: fixture.restStage('{"id":"$context.requestId"}', 'INFO', true),
      }),
    );
    expect(inventory).toMatchObject({
      accessLogFormat: '{"id":"$context.requestId"}',
      executionLogLevel: 'INFO',
      apiTracing: true,
    });
  });

  it('keeps the sampling rule with the lowest fixed rate', () => {
    const rule = (fixedRate: number) => ({
      Type: 'AWS::XRay::SamplingRule',
      Properties: { SamplingRule: { ReservoirSize: 1, FixedRate: fixedRate } },
    });
    expect(
      readInventory(fixture.templateOf({ A: rule(0.05), B: rule(0.01) })).samplingRule,
    ).toEqual({
      reservoirPerSecond: 1,
      fixedRate: 0.01,
    });
  });

  it('lists resource types it has no price for, and not the free ones', () => {
    const inventory = readInventory(
      fixture.templateOf({
        Queue: { Type: 'AWS::SQS::Queue' },
        Role: { Type: 'AWS::IAM::Role' },
      }),
    );
    expect(inventory.unpriced).toEqual({ 'AWS::SQS::Queue': 1 });
  });

  it('reads a function run on a rate schedule', () => {
    const rule = {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'rate(1 hour)',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Health', 'Arn'] }, Id: 'Target0' }],
      },
    };
    const [scheduled] = readInventory(
      fixture.templateOf({ Health: fixture.lambdaFunction(), Schedule: rule }),
    ).scheduledFunctions;
    expect(scheduled?.invocationsPerMonth).toBe(730);
  });
});

describe('invocationsPerMonth', () => {
  it('reads rate() in minutes, hours and days', () => {
    expect([
      invocationsPerMonth('rate(5 minutes)'),
      invocationsPerMonth('rate(1 hour)'),
      invocationsPerMonth('rate(1 day)'),
    ]).toEqual([8760, 730, 730 / 24]);
  });

  it('answers undefined for a cron expression', () => {
    expect(invocationsPerMonth('cron(0 12 * * ? *)')).toBeUndefined();
  });
});
