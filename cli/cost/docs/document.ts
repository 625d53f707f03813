/**
 * docs/cost.md, written by `npm run cost -- --write-docs` from templates
 * synthesized here: the ready app with its defaults, the app with the `lean`
 * profile, and AWS's inbound-webhook quick start for comparison.
 * `test/unit/cli/cost-docs.test.ts` fails when the file differs from what this
 * writes.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { App, type Stack } from 'aws-cdk-lib';
import { composeReadyApp } from '../../../lib/context/ready-app.ts';
import {
  ARRIVALS,
  KMS_DATA_KEY_REUSE_SECONDS,
  MEASURED,
  RECEIVER_BILLED_MS,
} from '../assumptions.ts';
import { type CostEstimate, estimateCost, totalAt } from '../model.ts';
import {
  DEFAULT_REGION,
  PRICE_LISTS,
  PRICE_SOURCES,
  PRICES_AS_OF,
  priceListOf,
} from '../prices.ts';
import { logBytesLine, renderMarkdown, volumeLabel } from '../render.ts';
import { DEFAULT_VOLUMES } from '../run.ts';
import { readInventory } from '../template.ts';
import { QuickStartStack } from './quick-start-stack.ts';

/** The repository's root. */
export const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..');

/** Where the document goes. */
export const COST_DOC = join(PROJECT_ROOT, 'docs', 'cost.md');

/** One priced configuration. */
interface Priced {
  readonly title: string;
  readonly how: string;
  readonly estimate: CostEstimate;
}

function cdkJsonContext(): Record<string, unknown> {
  // cdk.json's feature flags, so the templates are what `cdk synth` writes.
  const { context } = JSON.parse(readFileSync(join(PROJECT_ROOT, 'cdk.json'), 'utf8')) as {
    context: Record<string, unknown>;
  };
  return context;
}

/** The template of the ready app's stack synthesized with `context` (as `-c key=value`). */
export function appTemplate(context: Record<string, string> = {}): unknown {
  const app = new App({
    context: { ...cdkJsonContext(), ...context, 'aws:cdk:bundling-stacks': [] },
  });
  return templateOf(app, composeReadyApp(app).stack);
}

/** The quick start's template. */
export function quickStartTemplate(): unknown {
  const app = new App({ context: cdkJsonContext() });
  return templateOf(app, new QuickStartStack(app, 'QuickStart'));
}

function templateOf(app: App, stack: Stack): unknown {
  return app.synth({ validateOnSynthesis: false }).getStackByName(stack.stackName).template;
}

function dollars(value: number): string {
  return `$${value.toFixed(2)}`;
}

function perMillion(estimate: CostEstimate): number {
  return estimate.lines
    .filter((line) => line.perMillion)
    .reduce((sum, line) => sum + line.variable(1e6), 0);
}

function xray(estimate: CostEstimate): number {
  return estimate.lines.find((line) => line.service === 'X-Ray')?.variable(1e6) ?? 0;
}

function sideBySide(priced: readonly Priced[]): string[] {
  const row = (cells: readonly string[]) => `| ${cells.join(' | ')} |`;
  return [
    row(['', ...priced.map((p) => p.title)]),
    row(['---', ...priced.map(() => '--:')]),
    row(['Idle, a month', ...priced.map((p) => dollars(totalAt(p.estimate, 0)))]),
    row([
      'Per million deliveries',
      ...priced.map(
        (p) => `${dollars(perMillion(p.estimate))} (X-Ray ${dollars(xray(p.estimate))})`,
      ),
    ]),
    ...DEFAULT_VOLUMES.map((n) =>
      row([
        `${volumeLabel(n)} deliveries a month`,
        ...priced.map((p) => dollars(totalAt(p.estimate, n))),
      ]),
    ),
    row([
      'Logged per delivery',
      ...priced.map((p) => `${p.estimate.logBytes.total.toLocaleString('en-US')} B`),
    ]),
  ];
}

/** The priced configurations of the document. */
export function pricedConfigurations(): Priced[] {
  const prices = priceListOf(DEFAULT_REGION);
  const price = (template: unknown) => estimateCost(readInventory(template), prices);
  return [
    {
      title: 'Default app',
      how: 'The ready app as `npx cdk synth` writes it with no context',
      estimate: price(appTemplate()),
    },
    {
      title: 'Lean profile',
      how: 'The ready app with `-c profile=lean`',
      estimate: price(appTemplate({ profile: 'lean' })),
    },
    {
      title: 'AWS quick start',
      how: "A function URL, a secret and one alarm on the function's errors (`cli/cost/docs/quick-start-stack.ts`; the function at 256 MB arm64 and the same duration a delivery)",
      estimate: price(quickStartTemplate()),
    },
  ];
}

/** The whole document. */
export function costDocument(priced: readonly Priced[] = pricedConfigurations()): string {
  const lines = [
    '# What it costs',
    '',
    '<!-- Written by `npm run cost -- --write-docs`; a test fails when it is stale. Do not edit by hand. -->',
    '',
    `What the receiver costs in ${DEFAULT_REGION}, in USD, at on-demand prices of ${PRICES_AS_OF}, with`,
    'no free tier (free tiers are per account and shared with everything else in it). Every figure',
    'comes from a synthesized template, priced by `npx apideck-webhooks cost` (`npm run cost` in a',
    'clone): run it on your own `cdk.out` for your configuration, with `--events-per-month` for your',
    `volume and \`--region\` for another region (priced: ${Object.keys(PRICE_LISTS).join(', ')}).`,
    '',
    '## Side by side',
    '',
    ...sideBySide(priced),
    '',
    '"Per million" is what a million deliveries add to the idle month. It leaves out what is',
    "metered per time window (custom metrics by the hour, KMS data keys, the secret's reads),",
    'which stops growing once every window has traffic; the monthly totals include it.',
    '',
  ];
  for (const { title, how, estimate } of priced) {
    lines.push(`## ${title}`, '', `${how}.`, '', ...renderMarkdown(estimate, DEFAULT_VOLUMES), '');
    lines.push(logBytesLine(estimate), '');
    for (const note of estimate.notes) lines.push(`- ${note}`);
    lines.push('');
  }
  lines.push(
    '## How it is counted',
    '',
    `- **Prices**: one list per region in \`cli/cost/prices.ts\`, read on ${PRICES_AS_OF} from ${Object.values(
      PRICE_SOURCES,
    )
      .map((url) => `<${url}>`)
      .join(', ')}. A region without a list is refused by name.`,
    "- **From the template**: the API kind (`AWS::ApiGateway::RestApi` or an HTTP `AWS::ApiGatewayV2::Api`, or a function URL), each web ACL and its rules, customer managed keys, secrets, dashboards, alarms (each metric of a metric-math alarm, high resolution below a 60 s period, composite alarms), the receiving function's memory, architecture, tracing and log format and levels, the table's billing mode and encryption, the topics (standard or FIFO, encrypted), SSM parameter tiers, X-Ray sampling rules, functions on a schedule, and the stage's access log format.",
    "- **Dashboards**: each counted at $3 a month; the account's first three are free, but are usually taken.",
    `- **Lambda duration**: ${RECEIVER_BILLED_MS} ms billed a delivery, the p99 of the bench's end-to-end figure (\`bench/results.md\`, figure 5) rounded up; a cold start adds its initialisation once per container.`,
    `- **DynamoDB**: the claim (\`PutItem\`) and the completion (\`UpdateItem\`), one write unit per KB of the item, sizes measured (claim ${MEASURED.claimItemBytes} B).`,
    `- **Log bytes**: the handler's lines are measured: ${MEASURED.how} (${MEASURED.measuredAt.slice(0, 10)}): ${MEASURED.logLineBytes} B of log line (${MEASURED.tracedLogLineBytes} B when the invocation is sampled for X-Ray, with the trace id) and ${MEASURED.emfBytes} B of EMF document a delivery. The Lambda runtime's own lines (START, END, REPORT; or platform.start and platform.report in JSON) are AWS's documented lines for one invocation, dropped when the template raises the system log level above INFO. The access log line is the stage's format from the template, rendered with the values of one delivery (\`cli/cost/assumptions.ts\`). Execution logging at ERROR writes nothing for a delivery answered 2xx. Ingestion is $0.50 a GB; storage ($0.03 a GB-month, compressed) is not counted.`,
    `- **Per time window**: deliveries arrive ${ARRIVALS} (a Poisson process), the case where windows cost most. Custom metrics are billed for each hour a series receives data; KMS is asked for a data key once per ${KMS_DATA_KEY_REUSE_SECONDS / 60} minutes with traffic for the table and for each topic; the handler reads the secret at most once per refresh interval; X-Ray records the first request of each second and the rule's fixed rate of the rest.`,
    '- **Not counted**: data transfer (answers of about 70 B), DynamoDB storage and point-in-time recovery (cents: records expire after the retention), log storage, what subscribers pay (SQS, their functions), and free tiers.',
    '',
    "To measure the handler's log bytes again after a change to what it logs: `npm run cost:measure`, then `npm run cost -- --write-docs`.",
    '',
  );
  return lines.join('\n');
}
