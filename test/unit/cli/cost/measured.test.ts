import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { MEASURED } from '../../../../cli/cost/assumptions.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..', '..');

/** Bytes that move between runs: the duration's digits in the log line and the EMF document. */
const JITTER_BYTES = 8;

describe('cli/cost/measured.json', () => {
  it('holds what the handler logs now: measured again, each figure within a few bytes (else: npm run cost:measure)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cost-measure-'));
    try {
      const out = join(dir, 'measured.json');
      await promisify(execFile)(
        process.execPath,
        [
          '--import',
          'tsx',
          join(PROJECT_ROOT, 'bench', 'log-bytes.ts'),
          '--deliveries',
          '50',
          '--out',
          out,
        ],
        { cwd: PROJECT_ROOT },
      );
      const fresh = JSON.parse(readFileSync(out, 'utf8')) as typeof MEASURED;
      expect(fresh.answers).toEqual({ '200 published': 60 });
      for (const figure of [
        'logLineBytes',
        'tracedLogLineBytes',
        'emfBytes',
        'emfTotalsOnlyBytes',
        'claimItemBytes',
        'publishedMessageBytes',
      ] as const) {
        expect(Math.abs(fresh[figure] - MEASURED[figure]), figure).toBeLessThanOrEqual(
          JITTER_BYTES,
        );
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
