import { Match } from 'aws-cdk-lib/assertions';
import { beforeAll, describe, expect, it } from 'vitest';
import { UNAUTHORIZED_BODY } from '../../lambda/contract/http.ts';
import { toHttpResponse } from '../../lambda/http/responses.ts';
import { RECEIVER_DEFAULTS } from '../../lib/receiver/resolve-props.ts';
import { logicalId, restApiOf, type Synthesized, synthStack } from './support/synth.ts';

describe('webhook API', () => {
  let synth: Synthesized;
  beforeAll(() => {
    synth = synthStack();
  });

  it('is a regional REST API', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::RestApi', {
      EndpointConfiguration: { Types: ['REGIONAL'] },
    });
  });

  it('routes POST /webhooks to the handler as a Lambda proxy', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Resource', { PathPart: 'webhooks' });
    synth.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      Integration: { Type: 'AWS_PROXY' },
    });
  });

  it('requires the x-apideck-signature header through a request validator', () => {
    const validators = synth.template.findResources('AWS::ApiGateway::RequestValidator', {
      Properties: { ValidateRequestParameters: true },
    });
    expect(Object.keys(validators)).toHaveLength(1);
    synth.template.hasResourceProperties('AWS::ApiGateway::Method', {
      HttpMethod: 'POST',
      RequestValidatorId: { Ref: Object.keys(validators)[0] },
      RequestParameters: { 'method.request.header.x-apideck-signature': true },
    });
  });

  it("answers a missing signature header with the handler's 401 for a wrong signature", () => {
    const handlerAnswer = toHttpResponse({ kind: 'signature-rejected', reason: 'missing' });
    synth.template.hasResourceProperties('AWS::ApiGateway::GatewayResponse', {
      RestApiId: { Ref: logicalId(restApiOf(synth.stack.receiver)) },
      ResponseType: 'BAD_REQUEST_PARAMETERS',
      StatusCode: String(handlerAnswer.statusCode),
      ResponseParameters: {
        'gatewayresponse.header.content-type': "'application/json'",
        'gatewayresponse.header.cache-control': "'no-store'",
      },
      ResponseTemplates: { 'application/json': handlerAnswer.body },
    });
    expect(handlerAnswer.statusCode).toBe(401);
    expect(JSON.parse(handlerAnswer.body)).toEqual(UNAUTHORIZED_BODY);
    expect(handlerAnswer.headers).toMatchObject({
      'content-type': 'application/json',
      'cache-control': 'no-store',
    });
  });

  it('lets API Gateway invoke the handler only for POST /webhooks of its stage', () => {
    synth.template.hasResourceProperties('AWS::Lambda::Permission', {
      Principal: 'apigateway.amazonaws.com',
      SourceArn: {
        'Fn::Join': ['', Match.arrayWith([Match.stringLikeRegexp('/POST/webhooks$')])],
      },
    });
    synth.template.resourceCountIs('AWS::Lambda::Permission', 1);
  });

  it('throttles the stage at the default rate and burst', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({
          HttpMethod: '*',
          ResourcePath: '/*',
          ThrottlingRateLimit: RECEIVER_DEFAULTS.throttlingRateLimit,
          ThrottlingBurstLimit: RECEIVER_DEFAULTS.throttlingBurstLimit,
        }),
      ]),
    });
  });

  it('throttles at the configured rate and burst', () => {
    const { template } = synthStack({ throttlingRateLimit: 7, throttlingBurstLimit: 9 });
    template.hasResourceProperties('AWS::ApiGateway::Stage', {
      MethodSettings: Match.arrayWith([
        Match.objectLike({ ThrottlingRateLimit: 7, ThrottlingBurstLimit: 9 }),
      ]),
    });
  });

  it('writes JSON access logs to a log group with the configured retention', () => {
    const accessLogGroup = logicalId(synth.stack.receiver.accessLogGroup);
    expect(synth.template.toJSON().Resources[accessLogGroup]).toMatchObject({
      Type: 'AWS::Logs::LogGroup',
      Properties: { RetentionInDays: 365 },
    });
    const stage = Object.values(synth.template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { AccessLogSetting: { DestinationArn: unknown; Format: string } };
    };
    expect(JSON.stringify(stage.Properties.AccessLogSetting.DestinationArn)).toContain(
      accessLogGroup,
    );
    const fields = JSON.parse(stage.Properties.AccessLogSetting.Format) as Record<string, string>;
    expect(fields).toMatchObject({
      requestId: '$context.requestId',
      status: '$context.status',
      sourceIp: '$context.identity.sourceIp',
      errorResponseType: '$context.error.responseType',
    });
  });

  it('logs only the access log fields the runbook reads', () => {
    const stage = Object.values(synth.template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { AccessLogSetting: { Format: string } };
    };
    expect(Object.keys(JSON.parse(stage.Properties.AccessLogSetting.Format))).toEqual([
      'requestId',
      'sourceIp',
      'userAgent',
      'httpMethod',
      'resourcePath',
      'status',
      'responseLatency',
      'integrationStatus',
      'errorResponseType',
      'errorMessage',
      'wafResponseCode',
      'xrayTraceId',
    ]);
  });

  it("leaves the web ACL's verdict and the trace id out of the access log when there are none", () => {
    const { template } = synthStack({ webApplicationFirewall: false, tracing: false });
    const stage = Object.values(template.findResources('AWS::ApiGateway::Stage'))[0] as {
      Properties: { AccessLogSetting: { Format: string } };
    };
    const fields = Object.keys(JSON.parse(stage.Properties.AccessLogSetting.Format));
    expect(
      fields.filter((field) => field === 'wafResponseCode' || field === 'xrayTraceId'),
    ).toEqual([]);
  });

  it('traces with X-Ray and logs errors without request bodies', () => {
    synth.template.hasResourceProperties('AWS::ApiGateway::Stage', {
      TracingEnabled: true,
      MethodSettings: Match.arrayWith([
        Match.objectLike({ LoggingLevel: 'ERROR', DataTraceEnabled: false }),
      ]),
    });
  });

  it('gives the execution log group, which API Gateway would create without expiry, a retention', () => {
    synth.template.hasResourceProperties('AWS::Logs::LogGroup', {
      LogGroupName: {
        'Fn::Join': [
          '',
          [
            'API-Gateway-Execution-Logs_',
            { Ref: logicalId(restApiOf(synth.stack.receiver)) },
            '/prod',
          ],
        ],
      },
      RetentionInDays: 365,
    });
  });

  it('puts a web ACL with the common rule set and a per-IP rate rule in front of the stage', () => {
    synth.template.hasResourceProperties('AWS::WAFv2::WebACL', {
      Scope: 'REGIONAL',
      Rules: Match.arrayWith([
        Match.objectLike({
          Statement: {
            RateBasedStatement: {
              AggregateKeyType: 'IP',
              Limit: RECEIVER_DEFAULTS.firewallRateLimitPerFiveMinutes,
            },
          },
          Action: { Block: {} },
        }),
        Match.objectLike({
          Statement: {
            ManagedRuleGroupStatement: Match.objectLike({
              VendorName: 'AWS',
              Name: 'AWSManagedRulesCommonRuleSet',
            }),
          },
        }),
      ]),
    });
    synth.template.hasResourceProperties('AWS::WAFv2::WebACLAssociation', {
      ResourceArn: {
        'Fn::Join': [
          '',
          Match.arrayWith([{ Ref: logicalId(restApiOf(synth.stack.receiver).deploymentStage) }]),
        ],
      },
    });
  });

  it('creates no web ACL when the firewall is turned off', () => {
    const { template } = synthStack({ webApplicationFirewall: false });
    template.resourceCountIs('AWS::WAFv2::WebACL', 0);
    template.resourceCountIs('AWS::WAFv2::WebACLAssociation', 0);
  });

  it("leaves the account's API Gateway CloudWatch role alone when asked to", () => {
    const { template } = synthStack({ createApiGatewayCloudWatchRole: false });
    template.resourceCountIs('AWS::ApiGateway::Account', 0);
  });
});
