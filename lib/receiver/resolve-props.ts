import { Duration, Token } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import {
  CATCH_ALL_ROUTE,
  eventTypeIdentifier,
  isEventTypeName,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import {
  MAX_BODY_BYTES_LIMIT,
  MAX_RETENTION_DAYS,
  MIN_BODY_BYTES_LIMIT,
  MIN_RETENTION_DAYS,
} from '../../lambda/contract/limits.ts';
import { ApiKind } from '../api-kind.ts';
import { ReceiverProfile } from '../receiver-profile.ts';
import type { ApideckWebhookReceiverProps } from '../receiver-props.ts';
import { ReceiverConfigurationError } from './configuration-error.ts';
import { CATCH_ALL_IDENTIFIER } from './event-topics.ts';
import { AlarmCoverage } from './monitoring/alarm-coverage.ts';
import {
  ALARM_THRESHOLD_DEFAULTS,
  type ResolvedAlarmThresholds,
  resolveAlarmThresholds,
} from './monitoring/alarm-thresholds.ts';

export { ReceiverConfigurationError } from './configuration-error.ts';

/** The defaults of {@link ApideckWebhookReceiverProps}, named once for the TSDoc, the code and the tests. */
export const RECEIVER_DEFAULTS = {
  profile: ReceiverProfile.STANDARD,
  eventTypes: VAULT_CONNECTION_EVENT_TYPES,
  idempotencyRetention: Duration.days(ENVIRONMENT_DEFAULTS.retentionDays),
  apiKind: ApiKind.REST,
  throttlingRateLimit: 50,
  throttlingBurstLimit: 100,
  /** With the REST API; an HTTP API has none (a web ACL cannot attach to it). */
  webApplicationFirewall: true,
  firewallRateLimitPerFiveMinutes: 6000,
  maxBodyBytes: ENVIRONMENT_DEFAULTS.maxBodyBytes,
  memorySizeMiB: 256,
  logRetention: logs.RetentionDays.ONE_YEAR,
  subscriberAccountIds: [] as string[],
  topicParameterPrefix: '/apideck-webhooks/topics',
  tableDeletionProtection: true,
  metricsNamespace: ENVIRONMENT_DEFAULTS.metricsNamespace,
  createApiGatewayCloudWatchRole: true,
  ...ALARM_THRESHOLD_DEFAULTS,
  dashboard: true,
  alarmCoverage: AlarmCoverage.ALL,
  metricsByEventType: true,
  encryptAlarmTopic: true,
  tracing: true,
  fifo: ENVIRONMENT_DEFAULTS.fifo,
  /** Applied only with `fifo: true`: standard topics have no archive. */
  archiveRetention: Duration.days(14),
} as const;

/**
 * What each profile changes of {@link RECEIVER_DEFAULTS} (docs/configuration.md,
 * "The lean profile", says what the lean one gives up).
 */
export const PROFILE_DEFAULTS: Readonly<
  Record<ReceiverProfile, Readonly<Partial<ApideckWebhookReceiverProps>>>
> = {
  [ReceiverProfile.STANDARD]: {},
  [ReceiverProfile.LEAN]: {
    apiKind: ApiKind.HTTP,
    webApplicationFirewall: false,
    dashboard: false,
    alarmCoverage: AlarmCoverage.LOST_OR_DOUBLED,
    metricsByEventType: false,
    encryptAlarmTopic: false,
    tracing: false,
  },
};

/** The props with the profile's defaults under those set explicitly (an explicit `undefined` is unset). */
export function withProfile(
  path: string,
  props: ApideckWebhookReceiverProps,
): ApideckWebhookReceiverProps {
  const profile = props.profile ?? ReceiverProfile.STANDARD;
  const defaults = PROFILE_DEFAULTS[profile];
  if (defaults === undefined) {
    throw new ReceiverConfigurationError(
      path,
      `profile must be ${Object.values(ReceiverProfile).join(' or ')}, got ${JSON.stringify(profile)}`,
    );
  }
  const given = Object.fromEntries(
    Object.entries(props).filter(([, value]) => value !== undefined),
  ) as ApideckWebhookReceiverProps;
  return { ...defaults, ...given, profile };
}

/** SNS's range for a FIFO topic's archive policy (`MessageRetentionPeriod`), in days. */
export const ARCHIVE_RETENTION_DAYS_RANGE = { min: 1, max: 365 } as const;

export { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../lambda/contract/limits.ts';

export type ResolvedReceiverProps = Required<
  Omit<
    ApideckWebhookReceiverProps,
    | 'signingSecret'
    | 'encryptionKey'
    | 'idempotencyRetention'
    | 'alarmEmail'
    | 'signatureRejectedAlarmPerFiveMinutes'
    | 'p99LatencyAlarmThreshold'
    | 'noEventsAlarmAfter'
    | 'archiveRetention'
    // Checked together by resolveCustomDomain (lib/receiver/custom-domain.ts).
    | 'domainName'
    | 'certificate'
    | 'hostedZone'
  >
> & {
  readonly signingSecret: ApideckWebhookReceiverProps['signingSecret'] | undefined;
  readonly encryptionKey: ApideckWebhookReceiverProps['encryptionKey'] | undefined;
  readonly retentionDays: number;
  readonly alarmEmail: string | undefined;
  readonly alarms: ResolvedAlarmThresholds;
  /** Days of the topics' archive; undefined without `fifo`. */
  readonly archiveRetentionDays: number | undefined;
};

function requireRange(path: string, name: string, value: number, min: number, max: number): number {
  if (!Token.isUnresolved(value) && (!Number.isInteger(value) || value < min || value > max)) {
    throw new ReceiverConfigurationError(
      path,
      `${name} must be an integer from ${min} to ${max}, got ${value}`,
    );
  }
  return value;
}

function maxBodyBytes(path: string, value: number): number {
  if (!Token.isUnresolved(value) && Number.isInteger(value) && value > MAX_BODY_BYTES_LIMIT) {
    throw new ReceiverConfigurationError(
      path,
      `maxBodyBytes must be at most ${MAX_BODY_BYTES_LIMIT} (SNS's message limit: a larger event could never be published), got ${value}`,
    );
  }
  return requireRange(path, 'maxBodyBytes', value, MIN_BODY_BYTES_LIMIT, MAX_BODY_BYTES_LIMIT);
}

function eventTypes(path: string, types: readonly string[]): string[] {
  if (types.length === 0) {
    throw new ReceiverConfigurationError(
      path,
      'eventTypes must name at least one event type; unrouted types go to the catch-all topic anyway',
    );
  }
  const identifiers = new Map<string, string>();
  for (const type of types) {
    if (type === CATCH_ALL_ROUTE || !isEventTypeName(type)) {
      throw new ReceiverConfigurationError(
        path,
        `eventTypes: "${type}" is not an Apideck event type such as "vault.connection.created" (the catch-all topic always exists)`,
      );
    }
    const identifier = eventTypeIdentifier(type);
    const clash = identifiers.get(identifier);
    if (clash !== undefined || identifier === CATCH_ALL_IDENTIFIER) {
      throw new ReceiverConfigurationError(
        path,
        `eventTypes: "${type}" ${clash === type ? 'is listed twice' : `maps to the same identifier "${identifier}" as "${clash ?? CATCH_ALL_ROUTE}"`}`,
      );
    }
    identifiers.set(identifier, type);
  }
  return [...types];
}

function accountIds(path: string, accounts: readonly string[]): string[] {
  for (const account of accounts) {
    if (!Token.isUnresolved(account) && !/^\d{12}$/.test(account)) {
      throw new ReceiverConfigurationError(
        path,
        `subscriberAccountIds: "${account}" is not a 12-digit AWS account id`,
      );
    }
  }
  return [...new Set(accounts)];
}

function alarmEmail(path: string, email: string | undefined): string | undefined {
  if (
    email !== undefined &&
    !Token.isUnresolved(email) &&
    !/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)
  ) {
    throw new ReceiverConfigurationError(path, `alarmEmail: "${email}" is not an email address`);
  }
  return email;
}

function parameterPrefix(path: string, prefix: string): string {
  if (!/^(\/[a-zA-Z0-9_.-]+)+$/.test(prefix)) {
    throw new ReceiverConfigurationError(
      path,
      `topicParameterPrefix must look like "/team/apideck/topics" (leading "/", no trailing "/"), got "${prefix}"`,
    );
  }
  return prefix;
}

function archiveRetentionDays(
  path: string,
  fifo: boolean,
  retention: Duration | undefined,
): number | undefined {
  if (!fifo) {
    if (retention !== undefined) {
      throw new ReceiverConfigurationError(
        path,
        'archiveRetention needs fifo: true (only SNS FIFO topics archive and replay messages)',
      );
    }
    return undefined;
  }
  const { min, max } = ARCHIVE_RETENTION_DAYS_RANGE;
  const days = (retention ?? RECEIVER_DEFAULTS.archiveRetention).toDays({ integral: false });
  return requireRange(path, 'archiveRetention (in whole days)', days, min, max);
}

/** A web ACL attaches to a REST API's stage only; an HTTP API's default is none. */
function webApplicationFirewall(
  path: string,
  apiKind: ApiKind,
  requested: boolean | undefined,
): boolean {
  if (apiKind !== ApiKind.HTTP) return requested ?? RECEIVER_DEFAULTS.webApplicationFirewall;
  if (requested === true) {
    throw new ReceiverConfigurationError(
      path,
      'webApplicationFirewall: true needs apiKind: ApiKind.REST: AWS WAF cannot attach a web ACL to an HTTP API (leave webApplicationFirewall unset or false with the HTTP API, or use the REST API)',
    );
  }
  return false;
}

function apiKind(path: string, kind: ApiKind | undefined): ApiKind {
  const value = kind ?? RECEIVER_DEFAULTS.apiKind;
  if (!Object.values(ApiKind).includes(value)) {
    throw new ReceiverConfigurationError(
      path,
      `apiKind must be ${Object.values(ApiKind).join(' or ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

function alarmCoverage(path: string, coverage: AlarmCoverage | undefined): AlarmCoverage {
  const value = coverage ?? RECEIVER_DEFAULTS.alarmCoverage;
  if (!Object.values(AlarmCoverage).includes(value)) {
    throw new ReceiverConfigurationError(
      path,
      `alarmCoverage must be ${Object.values(AlarmCoverage).join(' or ')}, got ${JSON.stringify(value)}`,
    );
  }
  return value;
}

/** Applies the defaults and rejects what would fail at deploy time or at the handler's cold start. */
export function resolveReceiverProps(
  path: string,
  given: ApideckWebhookReceiverProps,
): ResolvedReceiverProps {
  const props = withProfile(path, given);
  const d = RECEIVER_DEFAULTS;
  const retention = props.idempotencyRetention ?? d.idempotencyRetention;
  const retentionDays = retention.toDays({ integral: false });
  const fifo = props.fifo ?? d.fifo;
  const kind = apiKind(path, props.apiKind);
  return {
    profile: props.profile ?? d.profile,
    apiKind: kind,
    eventTypes: eventTypes(path, props.eventTypes ?? d.eventTypes),
    signingSecret: props.signingSecret,
    encryptionKey: props.encryptionKey,
    retentionDays: requireRange(
      path,
      'idempotencyRetention (in whole days)',
      retentionDays,
      MIN_RETENTION_DAYS,
      MAX_RETENTION_DAYS,
    ),
    throttlingRateLimit: requireRange(
      path,
      'throttlingRateLimit',
      props.throttlingRateLimit ?? d.throttlingRateLimit,
      1,
      10_000,
    ),
    throttlingBurstLimit: requireRange(
      path,
      'throttlingBurstLimit',
      props.throttlingBurstLimit ?? d.throttlingBurstLimit,
      1,
      5_000,
    ),
    webApplicationFirewall: webApplicationFirewall(path, kind, props.webApplicationFirewall),
    firewallRateLimitPerFiveMinutes: requireRange(
      path,
      'firewallRateLimitPerFiveMinutes',
      props.firewallRateLimitPerFiveMinutes ?? d.firewallRateLimitPerFiveMinutes,
      10,
      2_000_000_000,
    ),
    maxBodyBytes: maxBodyBytes(path, props.maxBodyBytes ?? d.maxBodyBytes),
    memorySizeMiB: requireRange(
      path,
      'memorySizeMiB',
      props.memorySizeMiB ?? d.memorySizeMiB,
      128,
      10_240,
    ),
    logRetention: props.logRetention ?? d.logRetention,
    subscriberAccountIds: accountIds(path, props.subscriberAccountIds ?? d.subscriberAccountIds),
    topicParameterPrefix: parameterPrefix(
      path,
      props.topicParameterPrefix ?? d.topicParameterPrefix,
    ),
    tableDeletionProtection: props.tableDeletionProtection ?? d.tableDeletionProtection,
    metricsNamespace: props.metricsNamespace ?? d.metricsNamespace,
    createApiGatewayCloudWatchRole:
      props.createApiGatewayCloudWatchRole ?? d.createApiGatewayCloudWatchRole,
    alarmEmail: alarmEmail(path, props.alarmEmail),
    alarms: resolveAlarmThresholds(path, props),
    dashboard: props.dashboard ?? d.dashboard,
    alarmCoverage: alarmCoverage(path, props.alarmCoverage),
    metricsByEventType: props.metricsByEventType ?? d.metricsByEventType,
    encryptAlarmTopic: props.encryptAlarmTopic ?? d.encryptAlarmTopic,
    tracing: props.tracing ?? d.tracing,
    fifo,
    archiveRetentionDays: archiveRetentionDays(path, fifo, props.archiveRetention),
  };
}
