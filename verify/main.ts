/**
 * `npm run verify`: the reliability scenarios at full size against the local
 * pipeline and the emulator, the hostile-input properties (10,000 cases) and
 * the security scan of the synthesized template; writes `docs/reliability.md`.
 * Exits 1 when any row fails (the report is written either way).
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { startEmulator } from '../tools/emulator/index.ts';
import { runHostileInput } from './hostile.ts';
import { renderReport } from './report.ts';
import { type SecurityScan, scanTemplate, synthesizeTemplate } from './scan/security-scan.ts';
import { runColdStartBurst } from './scenarios/cold-start.ts';
import { runKeyRotation } from './scenarios/key-rotation.ts';
import { runLoad } from './scenarios/load.ts';
import { runDynamoDbOutage, runSnsOutage } from './scenarios/outages.ts';
import { PROJECT_ROOT, type ScenarioEnvironment } from './scenarios/pipeline.ts';
import { runProcessDeath } from './scenarios/process-death.ts';
import { runReleaseFailure } from './scenarios/release-failure.ts';
import { failuresOf, passed, type ScenarioResult } from './scenarios/result.ts';
import { runStorm } from './scenarios/storm.ts';

const USAGE = `usage: npm run verify [-- --quick] [--only NAMES] [--no-scan] [--out FILE]

Runs the reliability scenarios against the local pipeline and the emulator, the
hostile-input properties and the security scan, and writes docs/reliability.md.

  --quick       the sizes of npm test (100 events, a storm of 30, ...)
  --only NAMES  comma-separated: ${['load', 'storm', 'sns-outage', 'dynamodb-outage', 'release-failure', 'process-death', 'key-rotation', 'cold-start', 'hostile-input', 'scan'].join(', ')}
  --no-scan     leave out the security scan
  --out FILE    write the report here (default docs/reliability.md)`;

interface Sizes {
  readonly loadEvents: number;
  readonly loadConcurrency: number;
  readonly stormCopies: number;
  readonly outageEvents: number;
  readonly releaseFailures: number;
  readonly deaths: number;
  readonly eventsPerKey: number;
  readonly coldConcurrency: number;
  readonly hostileRunsPerProperty: number;
}

const FULL: Sizes = {
  loadEvents: 2_000,
  loadConcurrency: 16,
  stormCopies: 100,
  outageEvents: 50,
  releaseFailures: 10,
  deaths: 3,
  eventsPerKey: 10,
  coldConcurrency: 16,
  hostileRunsPerProperty: 2_500,
};

const QUICK: Sizes = {
  loadEvents: 100,
  loadConcurrency: 8,
  stormCopies: 30,
  outageEvents: 5,
  releaseFailures: 3,
  deaths: 1,
  eventsPerKey: 3,
  coldConcurrency: 8,
  hostileRunsPerProperty: 300,
};

const log = (line: string): void => {
  process.stderr.write(`verify: ${line}\n`);
};

function motoVersion(): string {
  const pins = readFileSync(join(PROJECT_ROOT, 'tools', 'emulator', 'requirements.txt'), 'utf8');
  return /^moto\[server\]==(\S+)/m.exec(pins)?.[1] ?? 'unknown';
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: {
      quick: { type: 'boolean' },
      only: { type: 'string' },
      'no-scan': { type: 'boolean' },
      out: { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const sizes = values.quick ? QUICK : FULL;
  const only = values.only?.split(',').map((name) => name.trim());
  const wanted = (name: string): boolean =>
    (only === undefined || only.includes(name)) && !(name === 'scan' && values['no-scan']);
  const out = resolve(values.out ?? join(PROJECT_ROOT, 'docs', 'reliability.md'));
  const startedAt = new Date();

  const emulator = await startEmulator();
  log(`emulator at ${emulator.endpoint}${emulator.external ? ' (external)' : ''}`);
  const environment: ScenarioEnvironment = { emulator, log };
  const scenarios: ScenarioResult[] = [];
  const crashed: { name: string; error: string }[] = [];
  const plan: [string, () => Promise<ScenarioResult>][] = [
    [
      'load',
      () => runLoad(environment, { events: sizes.loadEvents, concurrency: sizes.loadConcurrency }),
    ],
    ['storm', () => runStorm(environment, { copies: sizes.stormCopies })],
    ['sns-outage', () => runSnsOutage(environment, { events: sizes.outageEvents })],
    ['dynamodb-outage', () => runDynamoDbOutage(environment, { events: sizes.outageEvents })],
    ['release-failure', () => runReleaseFailure(environment, { events: sizes.releaseFailures })],
    ['process-death', () => runProcessDeath(environment, { events: sizes.deaths })],
    [
      'key-rotation',
      () =>
        runKeyRotation(environment, {
          eventsPerKey: sizes.eventsPerKey,
          refreshIntervalSeconds: 2,
        }),
    ],
    ['cold-start', () => runColdStartBurst(environment, { concurrency: sizes.coldConcurrency })],
  ];
  try {
    for (const [name, run] of plan) {
      if (!wanted(name)) continue;
      try {
        const result = await run();
        scenarios.push(result);
        log(
          `${name}: ${passed(result) ? 'pass' : `FAIL\n  ${failuresOf(result).join('\n  ')}`} (${(result.durationMs / 1000).toFixed(1)} s)`,
        );
      } catch (error) {
        const message = error instanceof Error ? error.message : String(error);
        crashed.push({ name, error: message });
        log(`${name}: crashed: ${message}`);
      }
    }
  } finally {
    await emulator.stop();
  }

  const hostile = wanted('hostile-input')
    ? await runHostileInput(sizes.hostileRunsPerProperty, log)
    : undefined;
  if (hostile)
    log(
      `hostile-input: ${passed(hostile) ? 'pass' : `FAIL\n  ${failuresOf(hostile).join('\n  ')}`}`,
    );

  let scan: SecurityScan | undefined;
  if (wanted('scan')) {
    log('security scan: synthesizing the stack, running checkov and cfn-lint');
    const directory = mkdtempSync(join(tmpdir(), 'verify-scan-'));
    try {
      scan = await scanTemplate(synthesizeTemplate(directory));
      log(
        `security scan: checkov ${scan.checkov.passed.length} passed, ${scan.checkov.failed.length} failed, ${scan.skippedFindings.length} skipped; cfn-lint ${scan.cfnLint.filter((m) => m.level === 'Error').length} errors`,
      );
    } catch (error) {
      crashed.push({
        name: 'Security scan',
        error: error instanceof Error ? error.message : String(error),
      });
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  }

  const report = renderReport({
    startedAt,
    durationMs: Date.now() - startedAt.getTime(),
    environment: [
      `Node ${process.version} on ${process.platform}/${process.arch}, ${cpus().length} CPU cores; moto ${motoVersion()} as the AWS emulator${emulator.external ? ` (external: ${emulator.endpoint})` : ''}.`,
      values.quick ? 'Sizes: `--quick` (those of `npm test`).' : 'Sizes: full (`npm run verify`).',
    ],
    scenarios,
    hostile,
    scan,
    crashed,
    command: `npm run verify${process.argv.length > 2 ? ` -- ${process.argv.slice(2).join(' ')}` : ''}`,
  });
  writeFileSync(out, report);
  log(`report written to ${relative(process.cwd(), out) || out}`);
  const failed =
    crashed.length > 0 ||
    scenarios.some((result) => !passed(result)) ||
    (hostile !== undefined && !passed(hostile)) ||
    (scan !== undefined &&
      (scan.checkov.failed.length > 0 ||
        scan.staleSkips.length > 0 ||
        scan.cfnLint.some((m) => m.level === 'Error')));
  return failed ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(
      `verify: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
    );
    process.exitCode = 2;
  },
);
