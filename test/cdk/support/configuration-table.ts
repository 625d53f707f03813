import { Duration } from 'aws-cdk-lib';
import {
  CODE_ONLY_PROPS,
  contextFormat,
  RECEIVER_CONTEXT_KEYS,
  SUBSCRIPTION_HEALTH_CONTEXT_FORMAT,
  SUBSCRIPTION_HEALTH_CONTEXT_KEY,
} from '../../../lib/context/receiver-context.ts';
import { RECEIVER_DEFAULTS } from '../../../lib/receiver/resolve-props.ts';

/** A default as it is written in context: ISO 8601 durations, JSON for objects. */
function contextValue(value: unknown): string {
  if (value === undefined) return '(none)';
  if (value instanceof Duration) return value.toIsoString();
  if (Array.isArray(value))
    return value.length === 0 ? '(none)' : `the ${value.length} Vault connection types`;
  if (typeof value === 'object' && value !== null) {
    return JSON.stringify(value, (_, item: unknown) =>
      item instanceof Duration ? item.toIsoString() : item,
    );
  }
  return String(value);
}

/** One row per context key: key, value format, default, as docs/configuration.md lists them. */
export function configurationRows(): [string, string, string][] {
  const defaults = RECEIVER_DEFAULTS as Record<string, unknown>;
  return [
    ...RECEIVER_CONTEXT_KEYS.map((key): [string, string, string] => [
      `\`${key}\``,
      contextFormat(key),
      `\`${contextValue(defaults[key])}\``,
    ]),
    [`\`${SUBSCRIPTION_HEALTH_CONTEXT_KEY}\``, SUBSCRIPTION_HEALTH_CONTEXT_FORMAT, '`(none)`'],
  ];
}

/** The code-only props, as the document names them. */
export const CODE_ONLY = CODE_ONLY_PROPS;
