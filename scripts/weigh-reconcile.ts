/** Prints the bundle comparison of docs/reconciliation.md: `npx tsx scripts/weigh-reconcile.ts`. */
import { weighAll } from './bundle-weight.ts';

function kib(bytes: number): string {
  return `${(bytes / 1024).toFixed(1)} KiB`;
}

process.stdout.write('| bundle | minified | gzip -9 | inputs |\n|---|---:|---:|---:|\n');
for (const weight of await weighAll()) {
  process.stdout.write(
    `| ${weight.name} | ${kib(weight.bytes)} | ${kib(weight.gzipBytes)} | ${weight.inputs.length} |\n`,
  );
}
