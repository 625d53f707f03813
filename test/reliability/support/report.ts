/**
 * Writes `docs/reliability.md` from the figures the reliability and scan tests
 * recorded (test/support/figures.ts): the table of what was tried and what came out, then
 * the figures of each scenario, the hostile-input properties and the security
 * scan.
 */
import type { Figures, PropertyRun, SecurityScan } from '../../support/figures.ts';
import { Checks, n, type ScenarioRow } from './result.ts';

/** What the report is made from. */
export interface ReportInput {
  readonly startedAt: Date;
  readonly durationMs: number;
  readonly environment: readonly string[];
  /** Every test's figures, in report order. */
  readonly figures: readonly Figures[];
  /** Tests that failed before they recorded anything. */
  readonly crashed: readonly { readonly name: string; readonly error: string }[];
  readonly command: string;
}

/** The delivery columns of a row that counts no deliveries. */
const NOT_COUNTED = { delivered: undefined, duplicated: undefined, lost: undefined } as const;

/** The one row of the hostile-input properties, counted over every run. */
function hostileRow(properties: readonly PropertyRun[]): ScenarioRow {
  const total = properties.reduce((sum, run) => sum + run.runs, 0);
  const answers: Record<string, number> = {};
  for (const [key, count] of properties.flatMap((run) => Object.entries(run.answers))) {
    answers[key] = (answers[key] ?? 0) + count;
  }
  const checks = new Checks();
  for (const run of properties) {
    if (run.failure !== undefined) checks.expect(false, `${run.name}: ${run.failure}`);
  }
  checks.expect(
    Object.keys(answers).every((key) => !key.startsWith('5')),
    'a 5xx answer',
  );
  return {
    scenario: 'Hostile input (property-based)',
    sent: `${n(total)} generated requests, ${properties.length} properties (headers, bodies, encodings, sizes, signatures)`,
    answers,
    ...NOT_COUNTED,
    expected:
      'never 5xx or a throw; nothing published or written without a valid signature; valid signatures never 401; invalid envelopes never published',
    failures: checks.failures,
    notes: [
      `${n(answers['200 published'] ?? 0)} published: the validly signed valid events among them, each exactly once (in-memory publisher; no tap here); none published or written without a valid signature`,
    ],
  };
}

function cell(text: string): string {
  return text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
}

function answersCell(answers: Readonly<Record<string, number>>): string {
  const entries = Object.entries(answers).sort(([a], [b]) => a.localeCompare(b));
  return entries.length === 0
    ? '-'
    : entries.map(([key, count]) => `${key}: ${n(count)}`).join('<br>');
}

function count(value: number | undefined): string {
  return value === undefined ? 'n/a' : n(value);
}

/** A Markdown table: its header line as written (`| A | B |`), the rule under it, one line per row (cells already escaped). */
function table(head: string, rows: readonly (readonly string[])[]): string[] {
  const columns = head.split('|').length - 2;
  return [head, `|${'---|'.repeat(columns)}`, ...rows.map((cells) => `| ${cells.join(' | ')} |`)];
}

function scanRows(scan: SecurityScan): ScenarioRow[] {
  const errors = scan.cfnLint.filter((match) => match.level === 'Error');
  const warnings = scan.cfnLint.filter((match) => match.level === 'Warning');
  const failures = [
    ...scan.checkov.failed.map((check) => `${check.id} fails on ${check.resource} (${check.name})`),
    ...scan.skips
      .filter((skip) => skip.reason.length < 60)
      .map((skip) => `${skip.id} is skipped without a reason`),
    ...scan.staleSkips.map((id) => `${id} is skipped but no longer fails`),
    ...(scan.checkov.parsingErrors > 0 ? [`${scan.checkov.parsingErrors} parsing errors`] : []),
  ];
  return [
    {
      scenario: 'Security scan: checkov',
      sent: `the synthesized template (${n(scan.checkov.resourceCount)} resources), checkov ${scan.checkov.version}, ${scan.skips.length} checks skipped in test/scan/checkov.yaml`,
      answers: {
        passed: scan.checkov.passed.length,
        failed: scan.checkov.failed.length,
        'skipped (with a reason)': scan.skippedFindings.length,
      },
      ...NOT_COUNTED,
      expected: '0 failed checks that are not skipped with a written reason',
      failures,
      notes: [],
    },
    {
      scenario: 'Security scan: cfn-lint',
      sent: `the synthesized template, ${scan.cfnLintVersion}`,
      answers: { errors: errors.length, warnings: warnings.length },
      ...NOT_COUNTED,
      expected: '0 errors',
      failures: errors.map((match) => `${match.rule} at ${match.path}: ${match.message}`),
      notes: [],
    },
  ];
}

/** The section on the security scan, as Markdown blocks. */
function scanSection(scan: SecurityScan): string[][] {
  const { checkov, cfnLint } = scan;
  const errors = cfnLint.filter((match) => match.level === 'Error');
  const skipRows = scan.skips.map((skip) => {
    const covered = scan.skippedFindings
      .filter((check) => check.id === skip.id)
      .map((check) => `\`${check.resource}\``);
    return [
      skip.id,
      covered.length === 0 ? '(none: stale)' : covered.join('<br>'),
      cell(skip.reason),
    ];
  });
  return [
    ['## Security scan of the synthesized template'],
    [
      `The stack of \`bin/app.ts\` synthesized without bundling the handler (the template differs only in the asset hash), ` +
        `scanned with checkov ${checkov.version} (\`--framework cloudformation --config-file test/scan/checkov.yaml\`) and ${scan.cfnLintVersion}, ` +
        'both pinned in `tools/emulator/requirements-scan.txt` and installed from PyPI into `.venv/scan` on first use.',
    ],
    [
      `checkov: **${checkov.passed.length} passed, ${checkov.failed.length} failed, ${scan.skippedFindings.length} skipped** ` +
        `(${scan.skips.length} check ids skipped in the config, each with its reason; checkov itself counts inline suppressions only: ${checkov.skipped}), ` +
        `${checkov.parsingErrors} parsing errors, ${n(checkov.resourceCount)} resources.`,
    ],
    ...(checkov.failed.length === 0
      ? []
      : [
          ['Failed checks:'],
          checkov.failed.map(
            (check) => `- **${check.id}** on \`${check.resource}\`: ${check.name}`,
          ),
        ]),
    table('| Skipped check | Findings it covers | Reason |', skipRows),
    [`cfn-lint: **${errors.length} errors**, ${cfnLint.length - errors.length} warnings or notes.`],
    cfnLint.map((match) => `- ${match.level} ${match.rule} at \`${match.path}\`: ${match.message}`),
  ];
}

/** The report's Markdown. */
export function renderReport(input: ReportInput): string {
  const scenarios = input.figures.flatMap((f) => (f.kind === 'scenario' ? [f] : []));
  const propertyFigures = input.figures.flatMap((f) => (f.kind === 'property' ? [f] : []));
  const properties = propertyFigures.map((f) => f.run);
  const scan = input.figures.flatMap((f) => (f.kind === 'scan' ? [f.scan] : []))[0];
  const rows: ScenarioRow[] = [
    ...scenarios.flatMap((scenario) => scenario.rows),
    ...(properties.length === 0 ? [] : [hostileRow(properties)]),
    ...(scan === undefined ? [] : scanRows(scan)),
  ];
  const failed = rows.filter((row) => row.failures.length > 0).length + input.crashed.length;
  const seconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`;
  const durations = scenarios.map((scenario) => `${scenario.name} ${seconds(scenario.durationMs)}`);
  if (properties.length > 0) {
    durations.push(
      `hostile-input ${seconds(propertyFigures.reduce((sum, f) => sum + f.durationMs, 0))}`,
    );
  }

  // Each block is a paragraph, a list or a table: written with a blank line after it.
  const blocks: string[][] = [
    ['# Reliability and security: what was tried and what came out'],
    [
      `Generated by \`${input.command}\` on ${input.startedAt.toISOString().slice(0, 16).replace('T', ' ')} UTC in ${(input.durationMs / 1000).toFixed(0)} s; do not edit by hand. ` +
        'The promise under test: nothing lost, nothing published twice, nobody gets in.',
    ],
    [
      `**Verdict: ${failed === 0 ? `every row passes (${rows.length})` : `${failed} of ${rows.length + input.crashed.length} rows fail`}.**`,
    ],
    [
      'Deliveries are counted by `event_id` from an SQS queue subscribed to every topic (the tap). ' +
        '*Delivered*: events that reached a topic among those that should have; *duplicated*: deliveries beyond ' +
        'the first of an event, plus deliveries of events that must not arrive; *lost*: events that should have ' +
        'arrived and did not. Answers are `<HTTP status> <status field>`; `no answer` is a request whose ' +
        'connection died without one.',
    ],
    table(
      '| Scenario | What was sent | Answers | Delivered | Duplicated | Lost | Expected | Verdict |',
      [
        ...rows.map((row) => [
          cell(row.scenario),
          cell(row.sent),
          answersCell(row.answers),
          count(row.delivered),
          count(row.duplicated),
          count(row.lost),
          cell(row.expected),
          row.failures.length === 0 ? 'pass' : '**FAIL**',
        ]),
        ...input.crashed.map((crash) => [
          cell(crash.name),
          ...['-', '-', '-', '-', '-', 'ran to completion'],
          `**FAIL**: ${cell(crash.error)}`,
        ]),
      ],
    ),
    ['## How it ran'],
    [
      ...input.environment.map((fact) => `- ${fact}`),
      '- **The local pipeline**: per scenario, fresh resources on the emulator (the idempotency table, one topic per ' +
        'Vault connection event type plus the catch-all, the signing secret, the tap), and the real handler ' +
        "(`lambda/handler.ts`) in a child process behind the dev server's API Gateway stand-in (`tools/emulator/api-gateway/server.ts`, as `npm run dev` uses it; " +
        'function timeout 10 s unless stated), cold-started like a Lambda container. Its AWS SDK talks to the emulator ' +
        "through a fault-injecting proxy (`tools/emulator/fault-proxy.ts`) that identifies each request's service from " +
        'its SigV4 credential scope. Events are signed and posted over HTTP with `tools/signed-delivery` (as `npm run send` does).',
      '- A deployed container serves one request at a time, so its first request is always alone; the local process ' +
        'serves many at once. Every scenario therefore warms its process up with one signed request that is not an ' +
        'event (200 `ignored`) before it starts, except *Cold start*, which is about exactly that.',
      "- **Apideck's retries** are the same event with `execution_attempt` + 1, signed again; they are sent at once " +
        "rather than after Apideck's back-off (3 min, 5 min, …), which the receiver does not depend on.",
    ],
    ['## Figures and failed checks, by scenario'],
    ...rows
      .filter((row) => row.notes.length > 0 || row.failures.length > 0)
      .flatMap((row) => [
        [`**${row.scenario}**`],
        [...row.notes.map((note) => `- ${note}`), ...row.failures.map((f) => `- FAILED: ${f}`)],
      ]),
    [`Durations: ${durations.join(', ')}.`],
    ...(properties.length === 0
      ? []
      : [
          ['## Hostile input'],
          [
            'fast-check properties (`test/reliability/support/hostile-input.ts`, run by `test/reliability/hostile-input.test.ts`; ' +
              '300 runs each in `npm test`) over the real HTTP-layer handler (`createApiGatewayHandler` around the real receiver, ' +
              'key ring and domain, with in-memory ports). "Valid signature" is decided by an oracle computed in the test, ' +
              'independently of the receiver: some `x-apideck-signature` header (any case, either header map) holds the ' +
              'HMAC-SHA256 under the key of the raw body or of its canonical form, in hex or base64.',
          ],
          table(
            '| Property | What holds for every case | Runs | Answers | Verdict |',
            properties.map((run) => [
              cell(run.name),
              cell(run.states),
              n(run.runs),
              answersCell(run.answers),
              run.failure === undefined ? 'pass' : `**FAIL**: ${cell(run.failure)}`,
            ]),
          ),
        ]),
    ...(scan === undefined ? [] : scanSection(scan)),
    ['## Reproduce'],
    [
      '`npm run verify` (about 5 minutes; moto, checkov and cfn-lint install themselves on first use): ' +
        'the Vitest projects `reliability` and `scan` with `RELIABILITY_SIZE=full`, and `RELIABILITY_REPORT=docs/reliability.md`, ' +
        'which has the reporter (`test/reliability/reporter.ts`) write this file. ' +
        '`npm test` runs the same tests at small sizes (`test/reliability/`, `test/scan/`), and ' +
        '`test/integration/secret-leaks.test.ts` (no log line carries the key or a signature). ' +
        'A subset at full size: `RELIABILITY_SIZE=full npx vitest run --project reliability test/reliability/load.test.ts` ' +
        '(no report unless `RELIABILITY_REPORT` names a file).',
    ],
  ];
  // An empty block (a cfn-lint run without matches) writes nothing, not even its blank line.
  return blocks
    .filter((block) => block.length > 0)
    .flatMap((block) => [...block, ''])
    .join('\n');
}
