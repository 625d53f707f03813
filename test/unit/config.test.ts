import { describe, expect, it } from 'vitest';
import { loadConfig } from '../../lambda/config.ts';
import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import { MAX_BODY_BYTES_LIMIT } from '../../lambda/contract/limits.ts';
import { ConfigurationError } from '../../lambda/errors.ts';
import { TEST_TOPIC_ARNS } from '../support/delivery-harness.ts';

type Environment = Record<string, string | undefined>;

const REQUIRED: Environment = {
  [ENVIRONMENT.tableName]: 'apideck-idempotency',
  [ENVIRONMENT.topicArns]: JSON.stringify(TEST_TOPIC_ARNS),
  [ENVIRONMENT.signingSecretId]: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:apideck',
};

function env(changes: Environment = {}): Environment {
  return { ...REQUIRED, ...changes };
}

/** The ConfigurationError `loadConfig` throws for `environment`, or undefined. */
function configurationError(environment: Environment): ConfigurationError | undefined {
  try {
    loadConfig(environment);
  } catch (error) {
    if (error instanceof ConfigurationError) return error;
    throw error;
  }
  return undefined;
}

describe('loadConfig', () => {
  it('reads the required variables and applies every default', () => {
    expect(loadConfig(env())).toEqual({
      tableName: 'apideck-idempotency',
      topicArns: TEST_TOPIC_ARNS,
      signingSecretId: 'arn:aws:secretsmanager:eu-west-1:123456789012:secret:apideck',
      retentionDays: ENVIRONMENT_DEFAULTS.retentionDays,
      replayMarginHours: ENVIRONMENT_DEFAULTS.replayMarginHours,
      maxClockSkewSeconds: ENVIRONMENT_DEFAULTS.maxClockSkewSeconds,
      maxBodyBytes: ENVIRONMENT_DEFAULTS.maxBodyBytes,
      leaseMarginSeconds: ENVIRONMENT_DEFAULTS.leaseMarginSeconds,
      keyRefreshIntervalSeconds: ENVIRONMENT_DEFAULTS.keyRefreshIntervalSeconds,
      metricsNamespace: ENVIRONMENT_DEFAULTS.metricsNamespace,
      fifo: false,
      metricsByEventType: true,
    });
  });

  it('writes service totals only with METRICS_BY_EVENT_TYPE=false', () => {
    expect(loadConfig(env({ [ENVIRONMENT.metricsByEventType]: 'false' })).metricsByEventType).toBe(
      false,
    );
  });

  it('reads every optional variable when set', () => {
    expect(
      loadConfig(
        env({
          [ENVIRONMENT.retentionDays]: '14',
          [ENVIRONMENT.replayMarginHours]: '48',
          [ENVIRONMENT.maxClockSkewSeconds]: '0',
          [ENVIRONMENT.maxBodyBytes]: '131072',
          [ENVIRONMENT.leaseMarginSeconds]: '30',
          [ENVIRONMENT.keyRefreshIntervalSeconds]: '300',
          [ENVIRONMENT.metricsNamespace]: 'Custom/Webhooks',
        }),
      ),
    ).toMatchObject({
      retentionDays: 14,
      replayMarginHours: 48,
      maxClockSkewSeconds: 0,
      maxBodyBytes: 131_072,
      leaseMarginSeconds: 30,
      keyRefreshIntervalSeconds: 300,
      metricsNamespace: 'Custom/Webhooks',
    });
  });

  it('trims required values', () => {
    expect(loadConfig(env({ [ENVIRONMENT.tableName]: '  table \n' })).tableName).toBe('table');
  });

  it('treats blank optional variables as unset', () => {
    expect(
      loadConfig(env({ [ENVIRONMENT.retentionDays]: ' ', [ENVIRONMENT.metricsNamespace]: '' })),
    ).toMatchObject({
      retentionDays: ENVIRONMENT_DEFAULTS.retentionDays,
      metricsNamespace: ENVIRONMENT_DEFAULTS.metricsNamespace,
    });
  });

  it.each([ENVIRONMENT.tableName, ENVIRONMENT.topicArns, ENVIRONMENT.signingSecretId])(
    'refuses a missing %s, naming it',
    (name) => {
      expect(configurationError(env({ [name]: undefined }))?.variable).toBe(name);
    },
  );

  it.each([ENVIRONMENT.tableName, ENVIRONMENT.topicArns, ENVIRONMENT.signingSecretId])(
    'refuses a blank %s, naming it',
    (name) => {
      expect(configurationError(env({ [name]: '   ' }))?.variable).toBe(name);
    },
  );

  it('puts the variable name in the error message', () => {
    expect(configurationError(env({ [ENVIRONMENT.tableName]: undefined }))?.message).toContain(
      ENVIRONMENT.tableName,
    );
  });

  describe('TOPIC_ARNS', () => {
    const invalid = (value: string) => configurationError(env({ [ENVIRONMENT.topicArns]: value }));

    it('refuses a value that is not JSON, keeping the parse error as cause', () => {
      const error = invalid('{"*": arn:aws:sns:eu-west-1:1:t}');
      expect({ variable: error?.variable, cause: error?.cause }).toEqual({
        variable: ENVIRONMENT.topicArns,
        cause: expect.any(SyntaxError),
      });
    });

    it.each([
      ['an array', '["arn:aws:sns:eu-west-1:123456789012:t"]'],
      ['a string', '"arn:aws:sns:eu-west-1:123456789012:t"'],
      ['null', 'null'],
      ['a number', '42'],
    ])('refuses %s, naming TOPIC_ARNS', (_, value) => {
      expect(invalid(value)?.variable).toBe(ENVIRONMENT.topicArns);
    });

    it('refuses a map without the "*" catch-all', () => {
      expect(
        invalid('{"vault.connection.created":"arn:aws:sns:eu-west-1:123456789012:t"}')?.message,
      ).toMatch(/TOPIC_ARNS .*"\*"/);
    });

    it.each([
      ['a non-ARN string', '{"*":"apideck-unrouted"}'],
      ['an empty string', '{"*":"arn:aws:sns:eu-west-1:1:t","vault.connection.created":""}'],
      ['a number', '{"*":42}'],
      ['null', '{"*":null}'],
      ['an object', '{"*":{"arn":"arn:aws:sns:eu-west-1:1:t"}}'],
    ])('refuses %s as a topic, naming the type', (_, value) => {
      expect(invalid(value)?.message).toMatch(/^TOPIC_ARNS has no topic ARN for "/);
    });

    it('accepts a map with only the catch-all', () => {
      const map = { '*': 'arn:aws:sns:eu-west-1:123456789012:unrouted' };
      expect(loadConfig(env({ [ENVIRONMENT.topicArns]: JSON.stringify(map) })).topicArns).toEqual(
        map,
      );
    });
  });

  describe('FIFO_TOPICS', () => {
    const fifoArns = Object.fromEntries(
      Object.entries(TEST_TOPIC_ARNS).map(([type, arn]) => [type, `${arn}.fifo`]),
    );

    it('reads FIFO mode with FIFO topics', () => {
      expect(
        loadConfig(
          env({ [ENVIRONMENT.fifo]: 'true', [ENVIRONMENT.topicArns]: JSON.stringify(fifoArns) }),
        ).fifo,
      ).toBe(true);
    });

    it('refuses FIFO mode with a standard topic, naming TOPIC_ARNS', () => {
      expect(() => loadConfig(env({ [ENVIRONMENT.fifo]: 'true' }))).toThrow(
        /TOPIC_ARNS has a standard topic for ".*" while FIFO_TOPICS is true/,
      );
    });

    it('refuses a FIFO topic without FIFO mode', () => {
      expect(() => loadConfig(env({ [ENVIRONMENT.topicArns]: JSON.stringify(fifoArns) }))).toThrow(
        /has a FIFO topic for ".*" while FIFO_TOPICS is false/,
      );
    });

    it('refuses a value other than true or false, naming the variable', () => {
      expect(() => loadConfig(env({ [ENVIRONMENT.fifo]: 'yes' }))).toThrow(
        new ConfigurationError(ENVIRONMENT.fifo, 'must be "true" or "false", got "yes"'),
      );
    });
  });

  describe('integer knobs', () => {
    it.each([
      [ENVIRONMENT.retentionDays, '1'],
      [ENVIRONMENT.retentionDays, '366'],
      [ENVIRONMENT.replayMarginHours, '0'],
      [ENVIRONMENT.replayMarginHours, '8761'],
      [ENVIRONMENT.maxClockSkewSeconds, '-1'],
      [ENVIRONMENT.maxClockSkewSeconds, '3601'],
      [ENVIRONMENT.maxBodyBytes, '1023'],
      [ENVIRONMENT.maxBodyBytes, String(MAX_BODY_BYTES_LIMIT + 1)],
      [ENVIRONMENT.leaseMarginSeconds, '0'],
      [ENVIRONMENT.leaseMarginSeconds, '901'],
      [ENVIRONMENT.keyRefreshIntervalSeconds, '0'],
      [ENVIRONMENT.keyRefreshIntervalSeconds, '86401'],
    ])('refuses %s=%s (out of range), naming it', (name, value) => {
      expect(configurationError(env({ [name]: value }))?.variable).toBe(name);
    });

    it.each([
      [ENVIRONMENT.retentionDays, '365', 'retentionDays', 365],
      [ENVIRONMENT.replayMarginHours, '1', 'replayMarginHours', 1],
      [ENVIRONMENT.maxClockSkewSeconds, '3600', 'maxClockSkewSeconds', 3600],
      [ENVIRONMENT.maxBodyBytes, '1024', 'maxBodyBytes', 1024],
      [
        ENVIRONMENT.maxBodyBytes,
        String(MAX_BODY_BYTES_LIMIT),
        'maxBodyBytes',
        MAX_BODY_BYTES_LIMIT,
      ],
      [ENVIRONMENT.leaseMarginSeconds, '900', 'leaseMarginSeconds', 900],
      [ENVIRONMENT.keyRefreshIntervalSeconds, '86400', 'keyRefreshIntervalSeconds', 86_400],
    ] as const)('accepts %s=%s at the edge of its range', (name, value, field, expected) => {
      expect(loadConfig(env({ [name]: value }))[field]).toBe(expected);
    });

    it.each([
      ['a fraction', '7.5'],
      ['a word', 'seven'],
      ['a number with a unit', '7d'],
      ['Infinity', 'Infinity'],
      ['hexadecimal', '0x7'],
      ['an exponent', '7e0'],
      ['a trailing fraction', '7.0'],
    ])('refuses %s, naming the variable', (_, value) => {
      expect(configurationError(env({ [ENVIRONMENT.retentionDays]: value }))?.variable).toBe(
        ENVIRONMENT.retentionDays,
      );
    });
  });

  describe('replay window', () => {
    it('refuses a margin leaving fewer than 28 hours of retention, naming REPLAY_MARGIN_HOURS', () => {
      expect(
        configurationError(
          env({ [ENVIRONMENT.retentionDays]: '2', [ENVIRONMENT.replayMarginHours]: '21' }),
        )?.variable,
      ).toBe(ENVIRONMENT.replayMarginHours);
    });

    it('accepts a margin leaving exactly 28 hours of retention', () => {
      expect(
        loadConfig(env({ [ENVIRONMENT.retentionDays]: '2', [ENVIRONMENT.replayMarginHours]: '20' }))
          .replayMarginHours,
      ).toBe(20);
    });

    it('names IDEMPOTENCY_RETENTION_DAYS when a short retention meets the default margin', () => {
      expect(configurationError(env({ [ENVIRONMENT.retentionDays]: '2' }))?.variable).toBe(
        ENVIRONMENT.retentionDays,
      );
    });

    it('refuses a clock skew as long as the replay margin, naming MAX_CLOCK_SKEW_SECONDS', () => {
      expect(
        configurationError(
          env({ [ENVIRONMENT.replayMarginHours]: '1', [ENVIRONMENT.maxClockSkewSeconds]: '3600' }),
        )?.variable,
      ).toBe(ENVIRONMENT.maxClockSkewSeconds);
    });

    it('refuses a margin as long as the retention itself', () => {
      expect(
        configurationError(env({ [ENVIRONMENT.replayMarginHours]: String(7 * 24) }))?.variable,
      ).toBe(ENVIRONMENT.replayMarginHours);
    });
  });
});
