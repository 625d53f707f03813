/**
 * `npm run reconcile -- --since 48h [--dry-run]`: recovers the events Apideck
 * logged but the receiver never published (see docs/reconciliation.md).
 */
import { runReconcile } from './run.ts';

const result = await runReconcile(process.argv.slice(2), process.env);
for (const line of result.stdout) process.stdout.write(`${line}\n`);
for (const line of result.stderr) process.stderr.write(`${line}\n`);
process.exitCode = result.exitCode;
