/**
 * `npm run cost`: the package's `cost` command from source, plus
 * `--write-docs`, which writes docs/cost.md (`document.ts`) and needs the
 * repository.
 */
import { writeFileSync } from 'node:fs';
import { runCost } from '../../cli/cost/run.ts';
import { buildHandlerAsset, buildSubscriptionHealthAsset } from '../handler-bundle.ts';

const argv = process.argv.slice(2);
if (argv.includes('--write-docs')) {
  if (argv.length > 1) {
    process.stderr.write('cost: --write-docs takes no other option\n');
    process.exitCode = 2;
  } else {
    await Promise.all([buildHandlerAsset(), buildSubscriptionHealthAsset()]);
    const { COST_DOC, costDocument } = await import('./document.ts');
    writeFileSync(COST_DOC, costDocument());
    process.stderr.write(`cost: wrote ${COST_DOC}\n`);
  }
} else {
  const result = runCost(argv);
  for (const line of result.stdout) process.stdout.write(`${line}\n`);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
  process.exitCode = result.exitCode;
}
