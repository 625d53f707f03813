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

/** A default value as TSDoc writes it: `50`, `true`, `'text'`. */
function asTsdoc(value: unknown): string {
  return typeof value === 'string' ? `'${value}'` : String(value);
}

const DURATION_UNITS = {
  days: Duration.days,
  hours: Duration.hours,
  minutes: Duration.minutes,
  seconds: Duration.seconds,
  millis: Duration.millis,
} as const;

/** The first `Duration.<unit>(<n>)` a TSDoc default writes, in milliseconds. */
function tsdocDurationMillis(tsdoc: string): number | undefined {
  const match = /Duration\.(days|hours|minutes|seconds|millis)\((\d+(?:\.\d+)?)\)/.exec(tsdoc);
  if (!match) return undefined;
  const unit = match[1] as keyof typeof DURATION_UNITS;
  return DURATION_UNITS[unit](Number(match[2])).toMilliseconds();
}

/** `logs.RetentionDays.ONE_YEAR` for 365, as TSDoc names an enum member. */
function retentionName(days: unknown): string {
  const name = Object.entries(logs.RetentionDays).find(([, value]) => value === days)?.[0];
  return `logs.RetentionDays.${name}`;
}

/**
 * The code's default against the prop's `@default`: a value must be written
 * exactly so, a duration be the same length of time; a described default
 * (`- ...`) must name the value, and a list by its length.
 */
function expectDocumented(struct: string, defaults: Readonly<Record<string, unknown>>): void {
  const docs = propDocs(assembly, struct);
  for (const [prop, value] of Object.entries(defaults)) {
    const tsdoc = docs.get(prop)?.default?.replace(/\s+/g, ' ').trim();
    expect(tsdoc, `${struct}.${prop} has a @default`).toBeDefined();
    if (value instanceof Duration) {
      expect(tsdocDurationMillis(tsdoc ?? ''), prop).toBe(value.toMilliseconds());
      continue;
    }
    const written = prop === 'logRetention' ? retentionName(value) : asTsdoc(value);
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
