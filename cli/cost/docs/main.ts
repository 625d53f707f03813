/**
 * `npm run cost`: the package's `cost` command from source, plus
 * `--write-docs`, which writes docs/cost.md (`document.ts`) and needs the
 * repository. Not part of the bundled command (`cli/main.ts` does not import
 * it), so the package's CLI carries no CDK.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCost } from '../run.ts';

const argv = process.argv.slice(2);
if (argv.includes('--write-docs')) {
  if (argv.length > 1) {
    process.stderr.write('cost: --write-docs takes no other option\n');
    process.exitCode = 2;
  } else {
    const { COST_DOC, costDocument, PROJECT_ROOT } = await import('./document.ts');
    // The synthesis deploys the prebuilt functions: build them as `cdk synth` does.
    execFileSync(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'scripts', 'build.ts'), '--handler'],
      {
        cwd: PROJECT_ROOT,
        stdio: 'inherit',
      },
    );
    writeFileSync(COST_DOC, costDocument());
    process.stderr.write(`cost: wrote ${COST_DOC}\n`);
  }
} else {
  const result = runCost(argv);
  for (const line of result.stdout) process.stdout.write(`${line}\n`);
  for (const line of result.stderr) process.stderr.write(`${line}\n`);
  process.exitCode = result.exitCode;
}
