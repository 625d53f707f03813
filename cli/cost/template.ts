/**
 * What a synthesized CloudFormation template holds that costs money, read into
 * plain counts and settings ({@link StackInventory}). Nothing here knows a
 * price; `model.ts` prices the inventory.
 */
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import { CATCH_ALL_ROUTE } from '../../lambda/contract/event-catalogue.ts';

/** A template that cannot be read as a CloudFormation template. */
export class TemplateError extends Error {
  override readonly name = 'TemplateError';
}

/** How requests reach the receiver. */
export type FrontDoor = 'rest-api' | 'http-api' | 'function-url' | 'none';

/** One metric alarm, by what it is billed for. */
export interface AlarmInventory {
  readonly id: string;
  /** Metrics the alarm is billed for: 1, or each metric of a metric-math expression. */
  readonly metrics: number;
  /** Period under 60 s. */
  readonly highResolution: boolean;
}

/** The receiving function's settings. */
export interface ReceiverFunction {
  readonly id: string;
  /**
   * Whether it is this project's handler (it has `TOPIC_ARNS`): only then are
   * its table, topics, metrics and log lines known. Otherwise it is the function
   * the front door invokes, priced by its memory and architecture alone.
   */
  readonly apideckReceiver: boolean;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
  readonly tracing: 'Active' | 'PassThrough';
  readonly logFormat: 'Text' | 'JSON';
  /** JSON format only: the level below which the runtime drops the platform's lines (`INFO` when unset). */
  readonly systemLogLevel: string;
  /** JSON format only: the level below which the runtime drops application lines carrying a `level` (`INFO` when unset). */
  readonly applicationLogLevel: string;
  /** Routed event types (the catch-all route excluded). */
  readonly routedEventTypes: readonly string[];
  readonly fifoTopics: boolean;
  readonly keyRefreshIntervalSeconds: number;
  /** Whether the handler's metrics are also written per event type (else service totals only). */
  readonly metricsByEventType: boolean;
}

/** A function invoked on a schedule. */
export interface ScheduledFunction {
  readonly ruleId: string;
  /** `undefined` for a `cron(...)` schedule, which is not priced. */
  readonly invocationsPerMonth: number | undefined;
  readonly memoryMb: number;
  readonly architecture: 'arm64' | 'x86_64';
}

/** Everything the cost model prices. */
export interface StackInventory {
  readonly frontDoor: FrontDoor;
  /** The API stage's access log format, when access logging is on. */
  readonly accessLogFormat: string | undefined;
  /** REST API execution logging level (`OFF`, `ERROR`, `INFO`); `OFF` for other front doors. */
  readonly executionLogLevel: string;
  /** Whether the REST stage traces requests with X-Ray. */
  readonly apiTracing: boolean;
  /** Rules (or rule groups) of each web ACL associated with something. */
  readonly webAcls: readonly {
    readonly id: string;
    readonly rules: number;
    readonly associated: boolean;
    /** Managed rule groups with a subscription fee of their own (Bot Control, fraud control), not priced. */
    readonly paidRuleGroups: readonly string[];
  }[];
  readonly customerManagedKeys: readonly { readonly id: string; readonly rotation: boolean }[];
  readonly secrets: number;
  readonly dashboards: number;
  readonly alarms: readonly AlarmInventory[];
  readonly compositeAlarms: number;
  readonly receiver: ReceiverFunction | undefined;
  readonly table:
    | { readonly onDemand: boolean; readonly kmsEncrypted: boolean; readonly pitr: boolean }
    | undefined;
  /** Whether the topics are encrypted (SNS then asks KMS for data keys). */
  readonly encryptedTopics: boolean;
  readonly standardParameters: number;
  readonly advancedParameters: number;
  /** X-Ray sampling rules in the template, when any: the lowest fixed rate and its reservoir. */
  readonly samplingRule:
    | { readonly reservoirPerSecond: number; readonly fixedRate: number }
    | undefined;
  readonly scheduledFunctions: readonly ScheduledFunction[];
  /** Resource types this model gives no price, with their counts (free ones are not listed). */
  readonly unpriced: Readonly<Record<string, number>>;
}

interface Resource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

const FREE_TYPES = new Set([
  'AWS::IAM::Role',
  'AWS::IAM::Policy',
  'AWS::IAM::ManagedPolicy',
  'AWS::Lambda::Permission',
  'AWS::ApiGateway::Account',
  'AWS::ApiGateway::Deployment',
  'AWS::ApiGateway::Resource',
  'AWS::ApiGateway::Method',
  'AWS::ApiGateway::RequestValidator',
  'AWS::ApiGateway::GatewayResponse',
  'AWS::ApiGatewayV2::Route',
  'AWS::ApiGatewayV2::Integration',
  'AWS::ApiGatewayV2::Deployment',
  'AWS::ApiGatewayV2::ApiMapping',
  'AWS::ApiGateway::BasePathMapping',
  'AWS::ApiGateway::BasePathMappingV2',
  'AWS::ApiGateway::DomainName',
  'AWS::ApiGateway::DomainNameV2',
  'AWS::ApiGatewayV2::DomainName',
  'AWS::CertificateManager::Certificate',
  'AWS::Route53::RecordSet',
  'AWS::SNS::TopicPolicy',
  'AWS::SNS::Subscription',
  'AWS::SecretsManager::ResourcePolicy',
  'AWS::Logs::QueryDefinition',
  'AWS::Logs::LogGroup', // priced by what is written to it
  'AWS::WAFv2::WebACLAssociation',
  'AWS::KMS::Alias',
  'AWS::CDK::Metadata',
  'AWS::Lambda::Url',
  'AWS::Events::Rule', // scheduled events are free; the function they invoke is priced
]);

const PRICED_TYPES = new Set([
  'AWS::ApiGateway::RestApi',
  'AWS::ApiGateway::Stage',
  'AWS::ApiGatewayV2::Api',
  'AWS::ApiGatewayV2::Stage',
  'AWS::WAFv2::WebACL',
  'AWS::KMS::Key',
  'AWS::SecretsManager::Secret',
  'AWS::CloudWatch::Dashboard',
  'AWS::CloudWatch::Alarm',
  'AWS::CloudWatch::CompositeAlarm',
  'AWS::Lambda::Function',
  'AWS::DynamoDB::Table',
  'AWS::SNS::Topic',
  'AWS::SSM::Parameter',
  'AWS::XRay::SamplingRule',
]);

/** AWS managed rule groups billed beyond the rule fee: Bot Control, account takeover and account creation fraud prevention, anti-DDoS. */
const PAID_RULE_GROUP = /BotControl|ATP|ACFP|AntiDDoS/;

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The resources of a parsed template. @throws TemplateError */
function resourcesOf(template: unknown): Record<string, Resource> {
  if (!isObject(template) || !isObject(template.Resources)) {
    throw new TemplateError('not a CloudFormation template: no "Resources" object');
  }
  const resources: Record<string, Resource> = {};
  for (const [id, resource] of Object.entries(template.Resources)) {
    if (!isObject(resource) || typeof resource.Type !== 'string') {
      throw new TemplateError(`resource "${id}" has no "Type"`);
    }
    resources[id] = {
      Type: resource.Type,
      ...(isObject(resource.Properties) ? { Properties: resource.Properties } : {}),
    };
  }
  return resources;
}

function ofType(resources: Record<string, Resource>, type: string): [string, Resource][] {
  return Object.entries(resources).filter(([, resource]) => resource.Type === type);
}

function props(resource: Resource): Record<string, unknown> {
  return resource.Properties ?? {};
}

/**
 * A string property's value, or the literal parts of an `Fn::Join` with every
 * other part (references) replaced by `placeholder`.
 */
function literal(value: unknown, placeholder = ''): string | undefined {
  if (typeof value === 'string') return value;
  if (isObject(value) && Array.isArray(value['Fn::Join'])) {
    const [separator, parts] = value['Fn::Join'] as [unknown, unknown];
    if (typeof separator !== 'string' || !Array.isArray(parts)) return undefined;
    return parts.map((part) => (typeof part === 'string' ? part : placeholder)).join(separator);
  }
  return undefined;
}

function numberOr(value: unknown, fallback: number): number {
  const number = typeof value === 'string' ? Number(value) : value;
  return typeof number === 'number' && Number.isFinite(number) ? number : fallback;
}

function architectureOf(properties: Record<string, unknown>): 'arm64' | 'x86_64' {
  const architectures = properties.Architectures;
  return Array.isArray(architectures) && architectures[0] === 'arm64' ? 'arm64' : 'x86_64';
}

function environmentOf(properties: Record<string, unknown>): Record<string, unknown> {
  const environment = properties.Environment;
  return isObject(environment) && isObject(environment.Variables) ? environment.Variables : {};
}

/** The routed event types of the receiver's `TOPIC_ARNS` (a JSON object whose values are references). */
function routedEventTypes(value: unknown): string[] {
  const text = literal(value, 'arn');
  if (text === undefined) return [];
  try {
    const parsed: unknown = JSON.parse(text);
    return isObject(parsed) ? Object.keys(parsed).filter((type) => type !== CATCH_ALL_ROUTE) : [];
  } catch {
    return [];
  }
}

/** The logical id an `Fn::GetAtt` names. */
function getAttTarget(value: unknown): string | undefined {
  const getAtt = isObject(value) ? value['Fn::GetAtt'] : undefined;
  return Array.isArray(getAtt) && typeof getAtt[0] === 'string' ? getAtt[0] : undefined;
}

/** The function a function URL or an API Gateway permission invokes. */
function frontDoorTarget(resources: Record<string, Resource>): string | undefined {
  for (const [, url] of ofType(resources, 'AWS::Lambda::Url')) {
    const target = getAttTarget(props(url).TargetFunctionArn);
    if (target !== undefined) return target;
  }
  for (const [, permission] of ofType(resources, 'AWS::Lambda::Permission')) {
    if (props(permission).Principal !== 'apigateway.amazonaws.com') continue;
    const target = getAttTarget(props(permission).FunctionName);
    if (target !== undefined) return target;
  }
  return undefined;
}

function receiverOf(resources: Record<string, Resource>): ReceiverFunction | undefined {
  const functions = ofType(resources, 'AWS::Lambda::Function');
  const ours = functions.find(
    ([, fn]) => environmentOf(props(fn))[ENVIRONMENT.topicArns] !== undefined,
  );
  const targetId = frontDoorTarget(resources);
  const found =
    ours ??
    functions.find(([id]) => id === targetId) ??
    (functions.length === 1 ? functions[0] : undefined);
  if (found === undefined) return undefined;
  const [id, fn] = found;
  const properties = props(fn);
  const environment = environmentOf(properties);
  const logging = isObject(properties.LoggingConfig) ? properties.LoggingConfig : {};
  const tracing = isObject(properties.TracingConfig) ? properties.TracingConfig.Mode : undefined;
  return {
    id,
    apideckReceiver: found === ours,
    memoryMb: numberOr(properties.MemorySize, 128),
    architecture: architectureOf(properties),
    tracing: tracing === 'Active' ? 'Active' : 'PassThrough',
    logFormat: logging.LogFormat === 'JSON' ? 'JSON' : 'Text',
    systemLogLevel: typeof logging.SystemLogLevel === 'string' ? logging.SystemLogLevel : 'INFO',
    applicationLogLevel:
      typeof logging.ApplicationLogLevel === 'string' ? logging.ApplicationLogLevel : 'INFO',
    routedEventTypes: routedEventTypes(environment[ENVIRONMENT.topicArns]),
    fifoTopics: environment[ENVIRONMENT.fifo] === 'true',
    metricsByEventType:
      environment[ENVIRONMENT.metricsByEventType] === undefined
        ? ENVIRONMENT_DEFAULTS.metricsByEventType
        : environment[ENVIRONMENT.metricsByEventType] !== 'false',
    keyRefreshIntervalSeconds: numberOr(
      environment[ENVIRONMENT.keyRefreshIntervalSeconds],
      ENVIRONMENT_DEFAULTS.keyRefreshIntervalSeconds,
    ),
  };
}

/** Runs a month of a `rate(...)` schedule; `undefined` for a `cron(...)` one (not priced). */
export function invocationsPerMonth(expression: string): number | undefined {
  const rate = /^rate\((\d+) (minute|minutes|hour|hours|day|days)\)$/.exec(expression.trim());
  if (rate !== null) {
    const unit = (rate[2] as string).replace(/s$/, '');
    const seconds = { minute: 60, hour: 3600, day: 86_400 }[unit] as number;
    return (730 * 3600) / (Number(rate[1]) * seconds);
  }
  return undefined;
}

function scheduledFunctions(resources: Record<string, Resource>): ScheduledFunction[] {
  const scheduled: ScheduledFunction[] = [];
  for (const [ruleId, rule] of ofType(resources, 'AWS::Events::Rule')) {
    const properties = props(rule);
    if (typeof properties.ScheduleExpression !== 'string') continue;
    const runs = invocationsPerMonth(properties.ScheduleExpression);
    const targets = Array.isArray(properties.Targets) ? properties.Targets : [];
    for (const target of targets) {
      const fnId = isObject(target) ? getAttTarget(target.Arn) : undefined;
      const fn = fnId === undefined ? undefined : resources[fnId];
      if (fn?.Type !== 'AWS::Lambda::Function') continue;
      scheduled.push({
        ruleId,
        invocationsPerMonth: runs,
        memoryMb: numberOr(props(fn).MemorySize, 128),
        architecture: architectureOf(props(fn)),
      });
    }
  }
  return scheduled;
}

function alarmOf(id: string, properties: Record<string, unknown>): AlarmInventory {
  const metrics = Array.isArray(properties.Metrics) ? properties.Metrics.filter(isObject) : [];
  if (metrics.length === 0) {
    return { id, metrics: 1, highResolution: numberOr(properties.Period, 60) < 60 };
  }
  const stats = metrics.filter((metric) => isObject(metric.MetricStat));
  const periods = stats.map((metric) =>
    numberOr((metric.MetricStat as Record<string, unknown>).Period, 60),
  );
  return {
    id,
    metrics: Math.max(1, stats.length),
    highResolution: periods.some((period) => period < 60),
  };
}

function stageOf(resources: Record<string, Resource>): {
  accessLogFormat: string | undefined;
  executionLogLevel: string;
  apiTracing: boolean;
} {
  const [rest] = ofType(resources, 'AWS::ApiGateway::Stage');
  if (rest !== undefined) {
    const properties = props(rest[1]);
    const access = isObject(properties.AccessLogSetting) ? properties.AccessLogSetting : {};
    const settings = Array.isArray(properties.MethodSettings) ? properties.MethodSettings : [];
    const levels = settings
      .filter(isObject)
      .map((setting) => setting.LoggingLevel)
      .filter((level): level is string => typeof level === 'string');
    const level = levels.includes('INFO') ? 'INFO' : levels.includes('ERROR') ? 'ERROR' : 'OFF';
    return {
      accessLogFormat: typeof access.Format === 'string' ? access.Format : undefined,
      executionLogLevel: level,
      apiTracing: properties.TracingEnabled === true,
    };
  }
  const [http] = ofType(resources, 'AWS::ApiGatewayV2::Stage');
  if (http !== undefined) {
    const access = props(http[1]).AccessLogSettings;
    return {
      accessLogFormat:
        isObject(access) && typeof access.Format === 'string' ? access.Format : undefined,
      executionLogLevel: 'OFF',
      apiTracing: false,
    };
  }
  return { accessLogFormat: undefined, executionLogLevel: 'OFF', apiTracing: false };
}

function frontDoorOf(resources: Record<string, Resource>): FrontDoor {
  if (ofType(resources, 'AWS::ApiGateway::RestApi').length > 0) return 'rest-api';
  const http = ofType(resources, 'AWS::ApiGatewayV2::Api').filter(
    ([, api]) => (props(api).ProtocolType ?? 'HTTP') === 'HTTP',
  );
  if (http.length > 0) return 'http-api';
  if (ofType(resources, 'AWS::Lambda::Url').length > 0) return 'function-url';
  return 'none';
}

/** Reads what costs money out of a parsed template. @throws TemplateError */
export function readInventory(template: unknown): StackInventory {
  const resources = resourcesOf(template);
  const associated = new Set(
    ofType(resources, 'AWS::WAFv2::WebACLAssociation').flatMap(([, association]) => {
      const target = getAttTarget(props(association).WebACLArn);
      return target === undefined ? [] : [target];
    }),
  );
  // A web ACL costs a month whether or not it is associated; only an associated one inspects deliveries.
  const webAcls = ofType(resources, 'AWS::WAFv2::WebACL').map(([id, acl]) => {
    const rules = Array.isArray(props(acl).Rules) ? (props(acl).Rules as unknown[]) : [];
    const groups = rules.filter(isObject).flatMap((rule) => {
      const statement = isObject(rule.Statement)
        ? rule.Statement.ManagedRuleGroupStatement
        : undefined;
      return isObject(statement) && typeof statement.Name === 'string' ? [statement.Name] : [];
    });
    return {
      id,
      rules: rules.length,
      associated: associated.has(id),
      paidRuleGroups: groups.filter((name) => PAID_RULE_GROUP.test(name)),
    };
  });
  const receiver = receiverOf(resources);
  const [tableEntry] = ofType(resources, 'AWS::DynamoDB::Table');
  const table =
    tableEntry === undefined
      ? undefined
      : (() => {
          const properties = props(tableEntry[1]);
          const sse = isObject(properties.SSESpecification) ? properties.SSESpecification : {};
          const pitr = isObject(properties.PointInTimeRecoverySpecification)
            ? properties.PointInTimeRecoverySpecification.PointInTimeRecoveryEnabled === true
            : false;
          return {
            onDemand: properties.BillingMode === 'PAY_PER_REQUEST',
            kmsEncrypted: sse.SSEEnabled === true,
            pitr,
          };
        })();
  const topics = ofType(resources, 'AWS::SNS::Topic');
  const parameters = ofType(resources, 'AWS::SSM::Parameter');
  const advanced = parameters.filter(
    ([, parameter]) => props(parameter).Tier === 'Advanced',
  ).length;
  const samplingRules = ofType(resources, 'AWS::XRay::SamplingRule')
    .map(([, rule]) => props(rule).SamplingRule)
    .filter(isObject)
    .map((rule) => ({
      reservoirPerSecond: numberOr(rule.ReservoirSize, 1),
      fixedRate: numberOr(rule.FixedRate, 0.05),
    }));
  const unpriced: Record<string, number> = {};
  for (const resource of Object.values(resources)) {
    if (FREE_TYPES.has(resource.Type) || PRICED_TYPES.has(resource.Type)) continue;
    if (resource.Type.startsWith('Custom::')) continue;
    unpriced[resource.Type] = (unpriced[resource.Type] ?? 0) + 1;
  }
  return {
    frontDoor: frontDoorOf(resources),
    ...stageOf(resources),
    webAcls,
    customerManagedKeys: ofType(resources, 'AWS::KMS::Key').map(([id, key]) => ({
      id,
      rotation: props(key).EnableKeyRotation === true,
    })),
    secrets: ofType(resources, 'AWS::SecretsManager::Secret').length,
    dashboards: ofType(resources, 'AWS::CloudWatch::Dashboard').length,
    alarms: ofType(resources, 'AWS::CloudWatch::Alarm').map(([id, alarm]) =>
      alarmOf(id, props(alarm)),
    ),
    compositeAlarms: ofType(resources, 'AWS::CloudWatch::CompositeAlarm').length,
    receiver,
    table,
    encryptedTopics: topics.some(([, topic]) => props(topic).KmsMasterKeyId !== undefined),
    standardParameters: parameters.length - advanced,
    advancedParameters: advanced,
    samplingRule:
      samplingRules.length === 0
        ? undefined
        : samplingRules.reduce((lowest, rule) =>
            rule.fixedRate < lowest.fixedRate ? rule : lowest,
          ),
    scheduledFunctions: scheduledFunctions(resources),
    unpriced,
  };
}
