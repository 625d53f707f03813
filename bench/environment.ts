/**
 * The environment the bench runs the handler in: what the construct sets
 * (table, one topic per Vault connection type plus the catch-all, secret,
 * retention, namespace), a region, and static fake credentials, so that the
 * handler composes for real (never its misconfigured path) and the SDK signs
 * requests without looking for credentials anywhere else.
 */
import { ENVIRONMENT } from '../lambda/contract/environment.ts';
import {
  CATCH_ALL_ROUTE,
  eventTypeIdentifier,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../lambda/contract/event-catalogue.ts';

export const BENCH_REGION = 'eu-west-1';

/** The event type of every bench delivery (routed to a topic of its own). */
export const BENCH_EVENT_TYPE = 'vault.connection.created';
const ACCOUNT = '123456789012';

function topicArn(name: string): string {
  return `arn:aws:sns:${BENCH_REGION}:${ACCOUNT}:ApideckWebhooks-${name}`;
}

/** Event type -> topic ARN, `"*"` the catch-all, as the construct passes them. */
export const BENCH_TOPIC_ARNS: Readonly<Record<string, string>> = Object.fromEntries([
  ...VAULT_CONNECTION_EVENT_TYPES.map((type) => [type, topicArn(eventTypeIdentifier(type))]),
  [CATCH_ALL_ROUTE, topicArn('CatchAll')],
]);

export const BENCH_TABLE_NAME = 'ApideckWebhooks-IdempotencyTable';
export const BENCH_SECRET_ID = `arn:aws:secretsmanager:${BENCH_REGION}:${ACCOUNT}:secret:ApideckSigningKey-AbCdEf`;

/** Where the floor's calls go: the receiver's table, secret and the bench event's topic. */
export function benchFloorTarget() {
  const topicArn = BENCH_TOPIC_ARNS[BENCH_EVENT_TYPE];
  if (topicArn === undefined) throw new Error(`no topic for ${BENCH_EVENT_TYPE}`);
  return {
    tableName: BENCH_TABLE_NAME,
    topicArn,
    secretId: BENCH_SECRET_ID,
    eventType: BENCH_EVENT_TYPE,
  };
}

/** The handler's variables, region and fake credentials; nothing from the caller's shell. */
export function handlerEnvironment(): Record<string, string> {
  return {
    [ENVIRONMENT.tableName]: BENCH_TABLE_NAME,
    [ENVIRONMENT.topicArns]: JSON.stringify(BENCH_TOPIC_ARNS),
    [ENVIRONMENT.signingSecretId]: BENCH_SECRET_ID,
    [ENVIRONMENT.retentionDays]: '7',
    [ENVIRONMENT.metricsNamespace]: 'ApideckWebhooks',
    AWS_REGION: BENCH_REGION,
    AWS_ACCESS_KEY_ID: 'AKIAIOSFODNN7EXAMPLE',
    AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY',
    AWS_SESSION_TOKEN: 'bench-session-token',
    // Lambda runs Node.js 24, where the SDK has nothing to warn about; on an
    // older Node.js its one-time deprecation warning would be timed too.
    AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
  };
}

/** A child process's environment: the handler's, plus PATH and HOME, and nothing else. */
export function childEnvironment(extra: Record<string, string> = {}): Record<string, string> {
  const env: Record<string, string> = { ...handlerEnvironment(), ...extra };
  for (const name of ['PATH', 'HOME', 'TMPDIR']) {
    const value = process.env[name];
    if (value !== undefined) env[name] = value;
  }
  return env;
}
