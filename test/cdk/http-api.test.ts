import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { ApiKind } from '../../lib/api-kind.ts';
import { receiverPropsFromContext } from '../../lib/context/receiver-context.ts';
import { httpApiOf, logicalId, newApp, type Synthesized, synthStack } from './support/synth.ts';

describe('HTTP API (apiKind: ApiKind.HTTP)', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack({
      apiKind: ApiKind.HTTP,
      throttlingRateLimit: 20,
      throttlingBurstLimit: 40,
    });
  });

  it('deploys an HTTP API and no REST API', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Api', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Api', { ProtocolType: 'HTTP' });
    synth.template.resourceCountIs('AWS::ApiGateway::RestApi', 0);
    expect([synth.stack.receiver.api, synth.stack.receiver.httpApi !== undefined]).toEqual([
      undefined,
      true,
    ]);
  });

  it('routes POST /webhooks and nothing else to the handler, with payload format 2.0', () => {
    synth.template.resourceCountIs('AWS::ApiGatewayV2::Route', 1);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Route', {
      RouteKey: 'POST /webhooks',
    });
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Integration', {
      IntegrationType: 'AWS_PROXY',
      PayloadFormatVersion: '2.0',
      IntegrationUri: { 'Fn::GetAtt': [logicalId(synth.stack.receiver.handler), 'Arn'] },
    });
  });

  it('throttles the $default stage, which deploys itself', () => {
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: { ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 },
    });
  });

  it('writes JSON access logs to a log group with the configured retention', () => {
    const accessLogGroup = logicalId(synth.stack.receiver.accessLogGroup);
    synth.template.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      AccessLogSettings: {
        DestinationArn: { 'Fn::GetAtt': [accessLogGroup, 'Arn'] },
        Format: Match.anyValue(),
      },
    });
    const stage = Object.values(synth.template.findResources('AWS::ApiGatewayV2::Stage'))[0] as {
      Properties: { AccessLogSettings: { Format: string } };
    };
    expect(JSON.parse(stage.Properties.AccessLogSettings.Format)).toMatchObject({
      requestId: '$context.requestId',
      sourceIp: '$context.identity.sourceIp',
      status: '$context.status',
      integrationStatus: '$context.integrationStatus',
      errorMessage: '$context.error.message',
    });
    expect(synth.template.toJSON().Resources[accessLogGroup]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365 },
    });
  });

  it('lets API Gateway invoke the handler only for POST /webhooks of this API', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([{ Ref: logicalId(httpApiOf(synth.stack.receiver)) }, '/*/*/webhooks']),
        ],
      },
    });
  });

  it('outputs the URL of /webhooks on the $default stage, without a stage name', () => {
    const url = synth.template.findOutputs('WebhookUrl').WebhookUrl?.Value as {
      'Fn::Join': [string, unknown[]];
    };
    const parts = url['Fn::Join'][1];
    expect([parts[0], parts.at(-1)]).toEqual(['https://', '/webhooks']);
  });

  it('creates no web ACL by default', () => {
    synth.template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    expect(synth.stack.receiver.webAcl).toBeUndefined();
  });

  it('refuses webApplicationFirewall: true, saying a web ACL cannot attach to an HTTP API', () => {
    expect(() => synthStack({ apiKind: ApiKind.HTTP, webApplicationFirewall: true })).toThrow(
      /webApplicationFirewall: true needs apiKind: ApiKind.REST: AWS WAF cannot attach a web ACL to an HTTP API/,
    );
  });

  it("alarms on the HTTP API's 5xx metric of its stage", () => {
    synth.template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmDescription: Match.stringLikeRegexp('alarm api5xx'),
      Metrics: [
        Match.objectLike({
          MetricStat: Match.objectLike({
            Metric: {
              Namespace: 'AWS/ApiGateway',
              MetricName: '5xx',
              Dimensions: [
                { Name: 'ApiId', Value: { Ref: logicalId(httpApiOf(synth.stack.receiver)) } },
                { Name: 'Stage', Value: '$default' },
              ],
            },
          }),
        }),
      ],
    });
  });

  it('has no execution log group and no account CloudWatch role', () => {
    expect(synth.stack.receiver.executionLogGroup).toBeUndefined();
    synth.template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });

  it('is chosen by the context key apiKind=http', () => {
    const app = newApp();
    app.node.setContext('apiKind', 'http');
    expect(receiverPropsFromContext(app.node).apiKind).toBe(ApiKind.HTTP);
  });

  it('refuses an unknown apiKind in context, naming the key and the choices', () => {
    const app = newApp();
    app.node.setContext('apiKind', 'graphql');
    expect(() => receiverPropsFromContext(app.node)).toThrow(
      'context "apiKind": must be rest or http, got "graphql"',
    );
  });
});
