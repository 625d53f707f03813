import { ENVIRONMENT, ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';

/** A value for each of the handler's variables: the type makes leaving one out a compile error. */
export type HandlerEnvironmentValues = { readonly [K in keyof typeof ENVIRONMENT]: string };

/** What the construct decides; every other variable is pinned to the contract's default. */
export interface HandlerEnvironmentProps {
  readonly tableName: string;
  readonly topicArns: string;
  readonly signingSecretId: string;
  readonly retentionDays: number;
  readonly maxBodyBytes: number;
  readonly metricsNamespace: string;
  /** Whether the topics are FIFO topics. */
  readonly fifo?: boolean;
  /** Whether the metrics carry the `EventType` dimension. */
  readonly metricsByEventType?: boolean;
}

/**
 * Every variable the handler reads (`lambda/config.ts`), set explicitly: the
 * deployed function never falls back on a default that a later handler
 * version could change under a deployed table. The tuning knobs without a
 * prop (replay margin, clock skew, lease margin, key refresh) are pinned to
 * the contract's defaults, which the construct's own rules (the retention
 * bounds) assume.
 */
export function handlerEnvironment(props: HandlerEnvironmentProps): Record<string, string> {
  const d = ENVIRONMENT_DEFAULTS;
  const values: HandlerEnvironmentValues = {
    tableName: props.tableName,
    topicArns: props.topicArns,
    signingSecretId: props.signingSecretId,
    retentionDays: String(props.retentionDays),
    replayMarginHours: String(d.replayMarginHours),
    maxClockSkewSeconds: String(d.maxClockSkewSeconds),
    maxBodyBytes: String(props.maxBodyBytes),
    leaseMarginSeconds: String(d.leaseMarginSeconds),
    keyRefreshIntervalSeconds: String(d.keyRefreshIntervalSeconds),
    metricsNamespace: props.metricsNamespace,
    fifo: String(props.fifo ?? d.fifo),
    metricsByEventType: String(props.metricsByEventType ?? d.metricsByEventType),
  };
  return Object.fromEntries(
    (Object.keys(values) as (keyof typeof ENVIRONMENT)[]).map((key) => [
      ENVIRONMENT[key],
      values[key],
    ]),
  );
}
