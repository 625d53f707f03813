import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { WEBHOOK_PATH } from '../../lambda/contract/http.ts';
import {
  addHttpApiDomain,
  type CustomDomainOptions,
  customDomainWebhookUrl,
} from './custom-domain.ts';
import { optional } from './optional.ts';

export interface HttpWebhookApiProps {
  readonly handler: lambda.IFunction;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly logRetention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey | undefined;
  readonly customDomain?: CustomDomainOptions | undefined;
}

/**
 * The access log fields an on-call engineer reads: which request (its id is
 * the handler log line's `api_request_id`), from where, what the API answered,
 * what the function answered, and why the API answered by itself.
 */
const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  sourceIp: '$context.identity.sourceIp',
  userAgent: '$context.identity.userAgent',
  routeKey: '$context.routeKey',
  status: '$context.status',
  responseLatency: '$context.responseLatency',
  integrationStatus: '$context.integrationStatus',
  // Why the API itself answered (e.g. a 429 when throttled, a 404 for another route).
  errorMessage: '$context.error.message',
  integrationErrorMessage: '$context.integrationErrorMessage',
};

/**
 * The HTTP API: `POST /webhooks` to the function with payload format 2.0, a
 * `$default` stage (so the URL has no stage name) with throttling and JSON
 * access logs. An HTTP API has no request validator, no customisable gateway
 * responses and no web ACL: the function answers every request of the route,
 * a missing signature header included, with the REST API's answers.
 */
export class HttpWebhookApi extends Construct {
  public readonly api: apigatewayv2.HttpApi;
  public readonly stage: apigatewayv2.HttpStage;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly domain: apigatewayv2.DomainName | undefined;
  /** The full HTTPS URL to register in Apideck: on the custom domain when there is one. */
  public readonly webhookUrl: string;
  /** The API's own URL of `/webhooks`, on its `execute-api` endpoint. */
  public readonly apiWebhookUrl: string;

  constructor(scope: Construct, id: string, props: HttpWebhookApiProps) {
    super(scope, id);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      ...optional('encryptionKey', props.encryptionKey),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigatewayv2.HttpApi(this, 'Resource', {
      // Not unique in API Gateway; derived from the stack so consoles tell receivers apart.
      apiName: `${Stack.of(this).stackName}-apideck-webhooks`,
      description: 'Receives Apideck webhooks',
      createDefaultStage: false,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttlingRateLimit, burstLimit: props.throttlingBurstLimit },
      accessLogSettings: {
        destination: new apigatewayv2.LogGroupLogDestination(this.accessLogGroup),
        format: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    const [route] = this.api.addRoutes({
      path: `/${WEBHOOK_PATH}`,
      methods: [apigatewayv2.HttpMethod.POST],
      integration: new HttpLambdaIntegration('Handler', props.handler, {
        payloadFormatVersion: apigatewayv2.PayloadFormatVersion.VERSION_2_0,
      }),
    });
    if (route) {
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason:
          'No authorizer by design: Apideck delivers webhooks from the public internet with no AWS credentials, JWT or published IP range; each request is authenticated by the HMAC-SHA256 signature of its body, which the Lambda verifies in constant time against the API key in Secrets Manager before it reads or writes anything.',
      });
    }

    this.domain = props.customDomain
      ? addHttpApiDomain(this, this.stage, props.customDomain)
      : undefined;
    this.apiWebhookUrl = `${this.stage.url}${WEBHOOK_PATH}`;
    this.webhookUrl = props.customDomain
      ? customDomainWebhookUrl(props.customDomain.domainName)
      : this.apiWebhookUrl;
  }
}
