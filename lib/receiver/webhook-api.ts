import { RemovalPolicy, Stack, Validations } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import type * as kms from 'aws-cdk-lib/aws-kms';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import {
  bodyTooLargeBody,
  SIGNATURE_HEADER,
  UNAUTHORIZED_BODY,
  WEBHOOK_PATH,
} from '../../lambda/contract/http.ts';
import { optional } from './optional.ts';

const STAGE_NAME = 'prod';

const JSON_RESPONSE_HEADERS = {
  'content-type': "'application/json'",
  'cache-control': "'no-store'",
};

export interface WebhookApiProps {
  readonly handler: lambda.IFunction;
  readonly throttlingRateLimit: number;
  readonly throttlingBurstLimit: number;
  readonly logRetention: logs.RetentionDays;
  readonly encryptionKey?: kms.IKey | undefined;
  readonly createCloudWatchRole: boolean;
  /** The body limit named in the answer to a body API Gateway itself refuses. */
  readonly maxBodyBytes: number;
}

/** One field per concern a reviewer or an on-call engineer asks about a request. */
const ACCESS_LOG_FIELDS = {
  requestId: apigateway.AccessLogField.contextRequestId(),
  extendedRequestId: apigateway.AccessLogField.contextExtendedRequestId(),
  requestTime: apigateway.AccessLogField.contextRequestTime(),
  sourceIp: apigateway.AccessLogField.contextIdentitySourceIp(),
  userAgent: apigateway.AccessLogField.contextIdentityUserAgent(),
  httpMethod: apigateway.AccessLogField.contextHttpMethod(),
  resourcePath: apigateway.AccessLogField.contextResourcePath(),
  protocol: apigateway.AccessLogField.contextProtocol(),
  status: apigateway.AccessLogField.contextStatus(),
  responseLength: apigateway.AccessLogField.contextResponseLength(),
  responseLatency: apigateway.AccessLogField.contextResponseLatency(),
  integrationStatus: apigateway.AccessLogField.contextIntegrationStatus(),
  integrationLatency: apigateway.AccessLogField.contextIntegrationLatency(),
  // Why API Gateway itself answered: e.g. BAD_REQUEST_PARAMETERS (no signature
  // header), THROTTLED, WAF_FILTERED.
  errorResponseType: apigateway.AccessLogField.contextErrorResponseType(),
  errorMessage: apigateway.AccessLogField.contextErrorMessageString(),
  wafResponseCode: apigateway.AccessLogField.contextWafResponseCode(),
  xrayTraceId: apigateway.AccessLogField.contextXrayTraceId(),
};

/**
 * The regional REST API: `POST /webhooks`, a validator that rejects unsigned
 * requests, stage throttling, JSON access logs and X-Ray.
 */
export class WebhookApi extends Construct {
  public readonly api: apigateway.RestApi;
  public readonly method: apigateway.Method;
  public readonly accessLogGroup: logs.LogGroup;
  public readonly executionLogGroup: logs.LogGroup;

  constructor(scope: Construct, id: string, props: WebhookApiProps) {
    super(scope, id);

    this.accessLogGroup = new logs.LogGroup(this, 'AccessLogs', {
      retention: props.logRetention,
      ...optional('encryptionKey', props.encryptionKey),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    this.api = new apigateway.RestApi(this, 'Resource', {
      // Not unique in API Gateway; derived from the stack so consoles tell receivers apart.
      restApiName: `${Stack.of(this).stackName}-apideck-webhooks`,
      description: 'Receives Apideck webhooks',
      endpointConfiguration: { types: [apigateway.EndpointType.REGIONAL] },
      // Access and execution logging need the account's API Gateway CloudWatch
      // role; retained so that other APIs of the account keep logging after a destroy.
      cloudWatchRole: props.createCloudWatchRole,
      ...(props.createCloudWatchRole ? { cloudWatchRoleRemovalPolicy: RemovalPolicy.RETAIN } : {}),
      deployOptions: {
        stageName: STAGE_NAME,
        tracingEnabled: true,
        throttlingRateLimit: props.throttlingRateLimit,
        throttlingBurstLimit: props.throttlingBurstLimit,
        // Errors only, and never request bodies: they carry customer connection data.
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        dataTraceEnabled: false,
        accessLogDestination: new apigateway.LogGroupLogDestination(this.accessLogGroup),
        accessLogFormat: apigateway.AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    if (props.createCloudWatchRole) {
      const role = this.api.node.tryFindChild('CloudWatchRole');
      if (role) {
        Validations.of(role).acknowledge({
          id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
          reason:
            "API Gateway's account-wide logging role: AWS publishes this managed policy for exactly this role, and the service writes to log groups it names per API and stage, which a narrower custom policy cannot list in advance.",
        });
      }
    }

    // API Gateway creates the execution log group on first use with no expiry;
    // creating it here under the name it will use gives it the configured retention.
    this.executionLogGroup = new logs.LogGroup(this, 'ExecutionLogs', {
      logGroupName: `API-Gateway-Execution-Logs_${this.api.restApiId}/${STAGE_NAME}`,
      retention: props.logRetention,
      ...optional('encryptionKey', props.encryptionKey),
      removalPolicy: RemovalPolicy.RETAIN,
    });

    // Parameters only: the signature is over the exact body bytes, and the body
    // of Apideck's URL-validation request is undocumented, so the body is
    // checked by the Lambda after the signature, not by a gateway model.
    const signatureValidator = this.api.addRequestValidator('SignatureHeaderValidator', {
      validateRequestParameters: true,
      validateRequestBody: false,
    });
    Validations.of(this.api).acknowledge({
      id: 'AwsSolutions-APIG2',
      reason: `The request validator requires the ${SIGNATURE_HEADER} header, so unsigned requests never invoke the Lambda. Body validation is left to the Lambda, after the HMAC check over the exact bytes: the URL-validation body Apideck sends is undocumented and a gateway model rejecting it would disable the webhook.`,
    });

    // The validator answers a missing signature header with API Gateway's own
    // 400; the handler answers a wrong signature 401. Apideck (and anyone else)
    // gets one answer for both, the handler's (lambda/http/responses.ts).
    this.api.addGatewayResponse('MissingSignature', {
      type: apigateway.ResponseType.BAD_REQUEST_PARAMETERS,
      statusCode: '401',
      responseHeaders: JSON_RESPONSE_HEADERS,
      templates: { 'application/json': JSON.stringify(UNAUTHORIZED_BODY) },
    });
    // Over 10 MB API Gateway answers 413 itself, before the web ACL and the
    // Lambda: the same answer as every other size refusal, with the limit
    // the sender must keep to.
    this.api.addGatewayResponse('BodyTooLarge', {
      type: apigateway.ResponseType.REQUEST_TOO_LARGE,
      statusCode: '413',
      responseHeaders: JSON_RESPONSE_HEADERS,
      templates: {
        'application/json': JSON.stringify(bodyTooLargeBody(props.maxBodyBytes)),
      },
    });

    this.method = this.api.root
      .addResource(WEBHOOK_PATH)
      .addMethod(
        'POST',
        new apigateway.LambdaIntegration(props.handler, { proxy: true, allowTestInvoke: false }),
        {
          requestValidator: signatureValidator,
          requestParameters: { [`method.request.header.${SIGNATURE_HEADER}`]: true },
        },
      );

    const publicByDesign =
      'Apideck delivers webhooks from the public internet with no AWS credentials, Cognito token or published IP range; each request is authenticated by the HMAC-SHA256 signature the Lambda verifies against the API key in Secrets Manager, and unsigned requests are rejected by the request validator.';
    Validations.of(this.method).acknowledge(
      { id: 'AwsSolutions-APIG4', reason: publicByDesign },
      { id: 'AwsSolutions-COG4', reason: publicByDesign },
    );
  }

  /** The full HTTPS URL to register in Apideck. */
  public get webhookUrl(): string {
    return this.api.urlForPath(`/${WEBHOOK_PATH}`);
  }
}
