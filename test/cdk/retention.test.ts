import { Duration } from 'aws-cdk-lib';
import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.ts';
import { ENVIRONMENT } from '../../lambda/contract/environment.ts';
import { MAX_RETENTION_DAYS, MIN_RETENTION_DAYS } from '../../lambda/contract/limits.ts';
import { handlerEnvironment } from '../../lib/receiver/handler-environment.ts';
import { resolveReceiverProps } from '../../lib/receiver/resolve-props.ts';

/** The environment the construct would give the handler for a retention. */
function deployedEnvironment(retentionDays: number): Record<string, string> {
  return handlerEnvironment({
    tableName: 'table',
    topicArns: JSON.stringify({ '*': 'arn:aws:sns:eu-west-1:123456789012:unrouted' }),
    signingSecretId: 'secret',
    retentionDays,
    maxBodyBytes: 262_144,
    metricsNamespace: 'ApideckWebhooks',
  });
}

function constructAccepts(days: number): boolean {
  try {
    resolveReceiverProps('R', { idempotencyRetention: Duration.days(days) });
    return true;
  } catch {
    return false;
  }
}

function handlerAccepts(days: number): boolean {
  try {
    loadConfig(deployedEnvironment(days));
    return true;
  } catch {
    return false;
  }
}

describe('the retention rule', () => {
  it('is 3 to 365 days with the pinned 24-hour replay margin', () => {
    expect([MIN_RETENTION_DAYS, MAX_RETENTION_DAYS]).toEqual([3, 365]);
  });

  it('accepts in the construct exactly the retentions the handler accepts at cold start', () => {
    const days = [0, 1, 2, 3, 4, 7, 30, 364, 365, 366, 400];
    expect(days.map(constructAccepts)).toEqual(days.map(handlerAccepts));
    expect(days.filter(constructAccepts)).toEqual([3, 4, 7, 30, 364, 365]);
  });

  it('gives the handler the retention as whole days', () => {
    expect(deployedEnvironment(14)[ENVIRONMENT.retentionDays]).toBe('14');
  });
});
