import { Duration } from 'aws-cdk-lib';
import {
  CODE_ONLY_PROPS,
  contextFormat,
  RECEIVER_CONTEXT_KEYS,
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
  // An enum member (`LOST_OR_DOUBLED`) as context spells it (`lost-or-doubled`).
  if (typeof value === 'string' && /^[A-Z][A-Z_]*$/.test(value)) {
    return value.toLowerCase().replaceAll('_', '-');
  }
  return String(value);
}

/** One row per context key: key, value format, default, as docs/configuration.md lists them. */
export function configurationRows(): [string, string, string][] {
  const defaults = RECEIVER_DEFAULTS as Record<string, unknown>;
  return RECEIVER_CONTEXT_KEYS.map((key) => [
    `\`${key}\``,
    contextFormat(key),
    `\`${contextValue(defaults[key])}\``,
  ]);
}

/** The code-only props, as the document names them. */
export const CODE_ONLY = CODE_ONLY_PROPS;
