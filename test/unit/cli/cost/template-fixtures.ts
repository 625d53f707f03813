/** Hand-built CloudFormation templates for the cost command's tests: one resource per call. */

type Resources = Record<string, { Type: string; Properties?: Record<string, unknown> }>;

/** A template of the given resources. */
export function templateOf(resources: Resources): { Resources: Resources } {
  return { Resources: resources };
}

/** A Lambda function; `topicArns` makes it this project's receiver. */
export function lambdaFunction(
  options: {
    memoryMb?: number;
    architecture?: 'arm64' | 'x86_64';
    tracing?: 'Active' | 'PassThrough';
    logging?: Record<string, string>;
    topicArns?: unknown;
  } = {},
) {
  return {
    Type: 'AWS::Lambda::Function',
    Properties: {
      MemorySize: options.memoryMb ?? 256,
      Architectures: [options.architecture ?? 'arm64'],
      ...(options.tracing === undefined ? {} : { TracingConfig: { Mode: options.tracing } }),
      ...(options.logging === undefined ? {} : { LoggingConfig: options.logging }),
      Environment: {
        Variables: options.topicArns === undefined ? {} : { TOPIC_ARNS: options.topicArns },
      },
    },
  };
}

/** This project's receiver routing `types` (and the catch-all), as the construct writes TOPIC_ARNS. */
export function receiver(
  types: readonly string[],
  options: Parameters<typeof lambdaFunction>[0] = {},
) {
  const parts: unknown[] = ['{'];
  for (const [i, type] of [...types, '*'].entries()) {
    parts.push(`${i === 0 ? '' : ','}"${type}":"`, { Ref: `Topic${i}` }, '"');
  }
  parts.push('}');
  return lambdaFunction({ ...options, topicArns: { 'Fn::Join': ['', parts] } });
}

/** A single-metric alarm. */
export function alarm(period = 300) {
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: { MetricName: 'Errors', Namespace: 'AWS/Lambda', Period: period, Statistic: 'Sum' },
  };
}

/** A metric-math alarm over `count` metrics. */
export function mathAlarm(count: number) {
  const metrics = Array.from({ length: count }, (_, i) => ({
    Id: `m${i}`,
    MetricStat: {
      Metric: { MetricName: 'Throttles', Namespace: 'AWS/DynamoDB' },
      Period: 300,
      Stat: 'Sum',
    },
    ReturnData: false,
  }));
  return {
    Type: 'AWS::CloudWatch::Alarm',
    Properties: {
      Metrics: [{ Id: 'expr', Expression: 'SUM(METRICS())', ReturnData: true }, ...metrics],
    },
  };
}

/** A web ACL of `rules` rules, associated with `Api` when `associated`. */
export function webAcl(rules: number) {
  return {
    Type: 'AWS::WAFv2::WebACL',
    Properties: {
      Rules: Array.from({ length: rules }, (_, i) => ({ Name: `Rule${i}`, Priority: i })),
    },
  };
}

export const restApi = { Type: 'AWS::ApiGateway::RestApi', Properties: {} };
export const httpApi = { Type: 'AWS::ApiGatewayV2::Api', Properties: { ProtocolType: 'HTTP' } };

/** A REST stage with an access log format, execution logging at `level` and tracing. */
export function restStage(format: string | undefined, level = 'ERROR', tracing = false) {
  return {
    Type: 'AWS::ApiGateway::Stage',
    Properties: {
      ...(format === undefined ? {} : { AccessLogSetting: { Format: format } }),
      MethodSettings: [{ HttpMethod: '*', ResourcePath: '/*', LoggingLevel: level }],
      TracingEnabled: tracing,
    },
  };
}

export const onDemandTable = {
  Type: 'AWS::DynamoDB::Table',
  Properties: { BillingMode: 'PAY_PER_REQUEST', SSESpecification: { SSEEnabled: true } },
};
