/**
 * The Vitest reporter that writes `docs/reliability.md` (or the file named by
 * `RELIABILITY_REPORT`) from the figures the reliability and scan tests
 * recorded; does nothing when the variable is unset, as in `npm test`.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { cpus } from 'node:os';
import { join, resolve } from 'node:path';
import type { Reporter, TestModule } from 'vitest/node';
import type { Figures } from '../support/figures.ts';
import { renderReport } from './support/report.ts';
import { FULL_SIZE, SIZE_VARIABLE } from './support/size.ts';

/** The environment variable naming the report file. */
export const REPORT_VARIABLE = 'RELIABILITY_REPORT';

/** The order of the report's rows (test names not listed come last). */
const ORDER = [
  'load',
  'storm',
  'sns-outage',
  'dynamodb-outage',
  'release-failure',
  'process-death',
  'key-rotation',
  'cold-start',
  'end-to-end',
];

function rank(figures: Figures): number {
  if (figures.kind === 'property') return ORDER.length + 1;
  if (figures.kind === 'scan') return ORDER.length + 2;
  const index = ORDER.indexOf(figures.name);
  return index === -1 ? ORDER.length : index;
}

function motoVersion(root: string): string {
  const pins = readFileSync(join(root, 'tools', 'emulator', 'requirements.txt'), 'utf8');
  return /^moto\[server\]==(\S+)/m.exec(pins)?.[1] ?? 'unknown';
}

export default class ReliabilityReporter implements Reporter {
  private readonly startedAt = new Date();

  onTestRunEnd(testModules: ReadonlyArray<TestModule>): void {
    const out = process.env[REPORT_VARIABLE];
    if (out === undefined || out === '') return;
    const figures: Figures[] = [];
    const crashed: { name: string; error: string }[] = [];
    for (const module of testModules) {
      for (const test of module.children.allTests()) {
        const recorded = test.meta().figures;
        if (recorded !== undefined) figures.push(recorded);
        const result = test.result();
        if (recorded === undefined && result.state === 'failed') {
          crashed.push({
            name: test.fullName,
            error: result.errors?.map((error) => error.message).join('; ') ?? 'failed',
          });
        }
      }
    }
    figures.sort((a, b) => rank(a) - rank(b));
    const root = resolve(import.meta.dirname, '..', '..');
    const file = resolve(root, out);
    writeFileSync(
      file,
      renderReport({
        startedAt: this.startedAt,
        durationMs: Date.now() - this.startedAt.getTime(),
        environment: [
          `Node ${process.version} on ${process.platform}/${process.arch}, ${cpus().length} CPU cores; moto ${motoVersion(root)} as the AWS emulator${process.env.AWS_ENDPOINT_URL ? ` (external: ${process.env.AWS_ENDPOINT_URL})` : ''}.`,
          FULL_SIZE
            ? `Sizes: full (\`${SIZE_VARIABLE}=full\`, as \`npm run verify\` sets it).`
            : 'Sizes: those of `npm test`.',
        ],
        figures,
        crashed,
        command: 'npm run verify',
      }),
    );
    process.stderr.write(`reliability report written to ${out}\n`);
  }
}
