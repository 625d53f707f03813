/**
 * Each prop's default is written once, in its TSDoc: the build turns the TSDoc
 * into the `.jsii` assembly, the API reference and the context-key table. This
 * checks the committed references against the ones the build just generated
 * (in the packed copy), and the code's defaults against the TSDoc.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Duration } from 'aws-cdk-lib';
import * as logs from 'aws-cdk-lib/aws-logs';
import { describe, expect, inject, it } from 'vitest';
import { CONSUMER_DEFAULTS } from '../../lib/consumer/apideck-event-consumer.ts';
import { RECEIVER_DEFAULTS } from '../../lib/receiver/resolve-props.ts';
import { SUBSCRIPTION_HEALTH_DEFAULTS } from '../../lib/receiver/subscription-health.ts';
import { propDocs, readAssembly } from '../../scripts/configuration-table.ts';
import { PROJECT_ROOT } from './consumer-app.ts';

const { source } = inject('packed');
const assembly = readAssembly(source);

const committed = (file: string) => readFileSync(join(PROJECT_ROOT, file), 'utf8');
const generated = (file: string) => readFileSync(join(source, file), 'utf8');

/** A default value as TSDoc writes it: `50`, `true`, `'text'`, `Duration.days(7)`, `logs.RetentionDays.ONE_YEAR`. */
function asTsdoc(value: unknown): string | undefined {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'string') return `'${value}'`;
  if (value instanceof Duration) {
    const millis = value.toMilliseconds();
    for (const [unit, size] of [
      ['days', 86_400_000],
      ['hours', 3_600_000],
      ['minutes', 60_000],
      ['seconds', 1_000],
    ] as const) {
      if (millis % size === 0) return `Duration.${unit}(${millis / size})`;
    }
    return `Duration.millis(${millis})`;
  }
  return undefined;
}

/** `logs.RetentionDays.ONE_YEAR` for 365, as TSDoc names an enum member. */
function retentionName(days: unknown): string {
  const name = Object.entries(logs.RetentionDays).find(([, value]) => value === days)?.[0];
  return `logs.RetentionDays.${name}`;
}

/**
 * The code's default against the prop's `@default`: a value must be written
 * exactly so; a described default (`- ...`) must name it when it is a value,
 * and a list by its length.
 */
function expectDocumented(struct: string, defaults: Readonly<Record<string, unknown>>): void {
  const docs = propDocs(assembly, struct);
  for (const [prop, value] of Object.entries(defaults)) {
    const tsdoc = docs.get(prop)?.default?.replace(/\s+/g, ' ').trim();
    expect(tsdoc, `${struct}.${prop} has a @default`).toBeDefined();
    const written =
      prop === 'logRetention' ? retentionName(value) : (asTsdoc(value) ?? String(value));
    if (Array.isArray(value)) {
      expect(tsdoc, prop).toMatch(value.length === 0 ? /^- no / : `the ${value.length} `);
    } else if (tsdoc?.startsWith('- ')) {
      expect(tsdoc, prop).toContain(written);
    } else {
      expect(tsdoc?.split(' (')[0], prop).toBe(written);
    }
  }
}

describe('generated references', () => {
  it('docs/api/README.md is the one the build generates from the assembly (run npm run build)', () => {
    expect(committed('docs/api/README.md')).toBe(generated('docs/api/README.md'));
  });

  it('docs/configuration.md holds the context-key table the build generates (run npm run build)', () => {
    expect(committed('docs/configuration.md')).toBe(generated('docs/configuration.md'));
  });
});

describe('defaults', () => {
  it("the receiver's defaults in code are the ones its props' TSDoc states", () => {
    expectDocumented('ApideckWebhookReceiverProps', RECEIVER_DEFAULTS);
  });

  it("the subscription health's defaults in code are the ones its props' TSDoc states", () => {
    expectDocumented('ApideckSubscriptionHealthProps', SUBSCRIPTION_HEALTH_DEFAULTS);
  });

  it("the consumer's defaults in code are the ones its props' TSDoc states", () => {
    expectDocumented('ApideckEventConsumerProps', CONSUMER_DEFAULTS);
  });

  it('every optional prop of every struct states its default', () => {
    const structs = Object.entries(assembly.types).filter(([, type]) => type.datatype);
    expect(structs.length).toBeGreaterThan(0);
    const undocumented = structs.flatMap(([fqn, type]) =>
      (type.properties ?? [])
        .filter((property) => property.optional && property.docs?.default === undefined)
        .map((property) => `${fqn}.${property.name}`),
    );
    expect(undocumented).toEqual([]);
  });
});
