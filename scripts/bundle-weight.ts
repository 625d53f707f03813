/**
 * Bundles the receiver, the scheduled function and the two ways of calling
 * Apideck's Webhook API (this project's `fetch` client, and `@apideck/unify`
 * both as its standalone functions and as its `Apideck` class) with esbuild,
 * as the construct bundles (`RECEIVER_BUNDLING`: minified ESM for Node), and
 * reports each bundle's size and inputs. Used by the isolation test and by
 * `npx tsx scripts/weigh-reconcile.ts` (the table in docs/reconciliation.md).
 */
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';
import { PROJECT_ROOT } from './handler-bundle.ts';

/** One measured bundle. */
export interface BundleWeight {
  readonly name: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  /** Every input file that contributed bytes to the output, relative to the project. */
  readonly inputs: readonly string[];
}

/** The Apideck SDK calls the reconciler and the health check would make, as standalone functions. */
const SDK_STANDALONE = `
import { ApideckCore } from '@apideck/unify/core.js';
import { webhookEventLogsList } from '@apideck/unify/funcs/webhookEventLogsList.js';
import { webhookWebhooksList } from '@apideck/unify/funcs/webhookWebhooksList.js';
import { webhookWebhooksUpdate } from '@apideck/unify/funcs/webhookWebhooksUpdate.js';
export { ApideckCore, webhookEventLogsList, webhookWebhooksList, webhookWebhooksUpdate };
`;

/** The same through the SDK's documented entry point, the \`Apideck\` class. */
const SDK_CLASS = `export { Apideck } from '@apideck/unify';`;

type Entry = { readonly file: string } | { readonly contents: string };

async function weigh(name: string, entry: Entry): Promise<BundleWeight> {
  const result = await build({
    ...('file' in entry
      ? { entryPoints: [join(PROJECT_ROOT, entry.file)] }
      : { stdin: { contents: entry.contents, resolveDir: PROJECT_ROOT, loader: 'ts' } }),
    bundle: true,
    platform: 'node',
    target: 'node22',
    format: 'esm',
    mainFields: ['module', 'main'],
    minify: true,
    write: false,
    metafile: true,
    logLevel: 'silent',
    outfile: 'out.mjs',
  });
  const output = result.outputFiles[0];
  if (output === undefined) throw new Error(`${name}: esbuild wrote nothing`);
  const metafile: Metafile = result.metafile;
  const inputs = Object.values(metafile.outputs).flatMap((out) =>
    Object.entries(out.inputs)
      .filter(([, input]) => input.bytesInOutput > 0)
      .map(([path]) => path),
  );
  return {
    name,
    bytes: output.contents.byteLength,
    gzipBytes: gzipSync(output.contents, { level: 9 }).byteLength,
    inputs,
  };
}

/** The receiver's bundle (`lambda/handler.ts`). */
export function weighReceiver(): Promise<BundleWeight> {
  return weigh('receiver (lambda/handler.ts)', { file: 'lambda/handler.ts' });
}

/** Every bundle of the comparison. */
export async function weighAll(): Promise<BundleWeight[]> {
  return [
    await weighReceiver(),
    await weigh('scheduled function (lambda/subscription-health/handler.ts)', {
      file: 'lambda/subscription-health/handler.ts',
    }),
    await weigh('fetch client (lambda/reconcile/apideck-webhook-api.ts)', {
      file: 'lambda/reconcile/apideck-webhook-api.ts',
    }),
    await weigh('@apideck/unify standalone functions (3 calls)', { contents: SDK_STANDALONE }),
    await weigh('@apideck/unify Apideck class', { contents: SDK_CLASS }),
  ];
}
