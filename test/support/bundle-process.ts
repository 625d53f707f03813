/**
 * Runs the function's prebuilt bundle (`dist/handler/index.mjs`, the bytes the
 * construct deploys) in a fresh `node` process, as the Lambda runtime would:
 * plain Node.js (the one running the tests), the given environment only,
 * invoked with the given API Gateway events in order. Returns each answer (or
 * the error the handler rejected with, with its stack) and the lines the
 * bundle wrote to stdout.
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { HANDLER_ASSET_DIR } from '../../scripts/handler-bundle.ts';
import { evalModule } from '../../scripts/node-runtimes.ts';

/** The deployed bundle's entry. */
export const BUNDLE_FILE = join(HANDLER_ASSET_DIR, 'index.mjs');

const RESULT_PREFIX = '\u0000BUNDLE-RESULT ';

/** What one invocation gave. */
export type Invocation =
  | { readonly kind: 'answer'; readonly response: APIGatewayProxyResult }
  | { readonly kind: 'rejected'; readonly name: string; readonly stack: string };

export interface BundleRun {
  readonly invocations: readonly Invocation[];
  /** The bundle's own stdout lines (log lines and EMF documents). */
  readonly lines: readonly string[];
  readonly stderr: string;
}

const RUNNER = [
  `const { handler } = await import(process.env.BUNDLE_URL);`,
  `const events = JSON.parse(process.env.BUNDLE_EVENTS);`,
  `const results = [];`,
  `for (const [index, event] of events.entries()) {`,
  `  const context = { awsRequestId: 'bundle-' + index, getRemainingTimeInMillis: () => 9000 };`,
  `  try { results.push({ kind: 'answer', response: await handler(event, context) }); }`,
  `  catch (error) { results.push({ kind: 'rejected', name: error.name, stack: String(error.stack) }); }`,
  `}`,
  `process.stdout.write('\\n' + ${JSON.stringify(RESULT_PREFIX)} + JSON.stringify(results) + '\\n');`,
].join('\n');

/** Imports the bundle in a new process with exactly `environment` (plus PATH) and invokes it. */
export async function runBundle(
  events: readonly unknown[],
  environment: Readonly<Record<string, string>>,
): Promise<BundleRun> {
  const { code, stdout, stderr } = await evalModule(process.execPath, RUNNER, {
    PATH: process.env.PATH ?? '',
    ...environment,
    BUNDLE_URL: pathToFileURL(BUNDLE_FILE).href,
    BUNDLE_EVENTS: JSON.stringify(events),
  });
  const lines = stdout.split('\n').filter((line) => line.length > 0);
  const result = lines.find((line) => line.startsWith(RESULT_PREFIX));
  if (code !== 0 || result === undefined) {
    throw new Error(`the bundle process failed (code ${code}):\n${stdout}\n${stderr}`);
  }
  return {
    invocations: JSON.parse(result.slice(RESULT_PREFIX.length)) as Invocation[],
    lines: lines.filter((line) => line !== result),
    stderr,
  };
}
