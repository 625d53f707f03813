/**
 * `npm run consumer:size`: what the consumer kit adds to a subscriber's
 * function. Builds `dist/consumer/`, bundles three minimal handlers against
 * it the way a subscriber's CDK `NodejsFunction` does (esbuild, minified ESM
 * for Node.js 24, `@aws-sdk/*` external: the runtime's), prints each bundle's
 * size, gzipped size and largest packages, and writes the table to
 * `bench/consumer-size.md`. A measurement, not a test.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { buildConsumer, CONSUMER_DIST } from './consumer-build.ts';

/** The kit as published, and its sources (for the breakdown by package). */
const KIT = join(CONSUMER_DIST, 'index.mjs');
const PROJECT_ROOT = join(import.meta.dirname, '..');
const KIT_SOURCES = join(PROJECT_ROOT, 'consumer', 'index.ts');

const HANDLERS = {
  'parseEvent only': `
    import { parseEvent } from 'KIT';
    export const handler = async (event) => { for (const record of event.Records) console.log(parseEvent(record).event_id); };`,
  'createSqsHandler, no idempotency': `
    import { createSqsHandler } from 'KIT';
    export const handler = createSqsHandler({ handlers: { 'vault.connection.created': (e) => console.log(e.event_id) } });`,
  'createSqsHandler with idempotency': `
    import { createSqsHandler } from 'KIT';
    export const handler = createSqsHandler({
      handlers: { 'vault.connection.created': (e) => console.log(e.event_id) },
      idempotency: { tableName: 'table' },
    });`,
} as const;

/** Bytes per package (`node_modules/<name>` or the kit's own code), largest first. */
function largestParts(metafile: Metafile, output: string): string {
  const bytes = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(metafile.outputs[output]?.inputs ?? {})) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input);
    const name = match?.[1] ?? 'the kit';
    bytes.set(name, (bytes.get(name) ?? 0) + bytesInOutput);
  }
  return [...bytes.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5)
    .map(([name, size]) => `${name} ${(size / 1024).toFixed(0)}`)
    .join(', ');
}

/** Bundles a handler as a subscriber's `NodejsFunction` would: minified ESM for Node.js 24, the SDK external. */
async function bundleHandler(entry: string): Promise<{ file: string; metafile: Metafile }> {
  const file = `${entry}.out.mjs`;
  const { metafile } = await build({
    entryPoints: [entry],
    outfile: file,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node24',
    minify: true,
    external: ['@aws-sdk/*'],
    metafile: true,
    logLevel: 'warning',
  });
  return { file, metafile };
}

async function main(): Promise<void> {
  await buildConsumer();
  const work = mkdtempSync(join(tmpdir(), 'consumer-size-'));
  const rows = [
    '| a minimal handler using | bundle KiB | gzip KiB | of which the AWS SDK KiB | largest other parts (KiB) |',
    '|---|--:|--:|--:|---|',
  ];
  try {
    for (const [name, source] of Object.entries(HANDLERS)) {
      const base = join(work, name.replace(/\W+/g, '-'));
      writeFileSync(`${base}.mjs`, source.replace("'KIT'", JSON.stringify(KIT)));
      writeFileSync(`${base}.src.mjs`, source.replace("'KIT'", JSON.stringify(KIT_SOURCES)));
      const published = await bundleHandler(`${base}.mjs`);
      const fromSources = await bundleHandler(`${base}.src.mjs`);
      const bytes = readFileSync(published.file);
      const output = Object.keys(fromSources.metafile.outputs)[0] ?? '';
      // The same handler with the SDK left external: the difference is the SDK the kit bundles.
      const withoutSdk = readFileSync(fromSources.file).length;
      const kib = (size: number) => (size / 1024).toFixed(1);
      rows.push(
        `| ${name} | ${kib(bytes.length)} | ${kib(gzipSync(bytes).length)} | ${kib(bytes.length - withoutSdk)} | ${largestParts(fromSources.metafile, output)} |`,
      );
    }
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
  const table = rows.join('\n');
  process.stdout.write(`${table}\n`);
  const esbuildVersion = JSON.parse(
    readFileSync(join(PROJECT_ROOT, 'node_modules', 'esbuild', 'package.json'), 'utf8'),
  ).version as string;
  writeFileSync(
    join(PROJECT_ROOT, 'bench', 'consumer-size.md'),
    `# The consumer kit in a subscriber's bundle\n\nWritten by \`npm run consumer:size\` (${new Date().toISOString().slice(0, 16)}, esbuild ${esbuildVersion}): three minimal handlers bundled against the built \`apideck-webhooks-aws/consumer\` as a CDK \`NodejsFunction\` bundles them (minified ESM for Node.js 24, \`@aws-sdk/*\` external). What the figures mean: [docs/subscribing.md](../docs/subscribing.md#bundle-size).\n\n${table}\n`,
  );
}

await main();
