/**
 * `npm run dev`: the whole pipeline on this machine, no AWS account needed.
 *
 * 1. the AWS API emulator (moto's server, installed into .venv on first use;
 *    or the endpoint in `AWS_ENDPOINT_URL`);
 * 2. the table, one topic per event type of the catalogue plus the catch-all,
 *    and the signing secret, as the construct defines them;
 * 3. the real handler (`lambda/handler.ts`) behind a local API Gateway
 *    stand-in on `PORT` (default 3000): `POST /webhooks`, as the REST API
 *    (default) or the HTTP API (`--api-kind http` or `API_KIND=http`) answers it;
 * 4. a tap printing every message that reaches any topic.
 *
 * SIGINT, SIGTERM and SIGHUP stop all of it (the emulator's process group too)
 * and exit 0. Endpoints are written to `.dev/endpoints.json` for `npm run send`.
 */
import { randomBytes } from 'node:crypto';
import { parseArgs } from 'node:util';
import {
  CATCH_ALL_ROUTE,
  VAULT_CONNECTION_EVENT_TYPES,
} from '../../lambda/contract/event-catalogue.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { type ApiKindName, parseApiKind } from '../emulator/api-gateway/kinds.ts';
import { type DevServer, startDevServer } from '../emulator/api-gateway/server.ts';
import { type EmulatorHandle, provisionReceiver, startEmulator } from '../emulator/index.ts';
import { filterStdoutLines, HandlerLog } from './handler-log.ts';
import {
  type DevEndpoints,
  displayPath,
  endpointsFile,
  removeEndpoints,
  writeEndpoints,
} from './state.ts';
import { startTapPrinter } from './tap-printer.ts';

const USAGE = `usage: npm run dev [-- --raw-logs] [-- --api-kind rest|http]

Starts the AWS emulator, provisions the receiver's table, topics and secret,
serves POST /webhooks with the real handler and prints what reaches each topic.

  --raw-logs        show the handler's JSON log lines and EMF metrics as written
  --api-kind KIND   the API Gateway to play: rest (the REST API, default) or
                    http (the HTTP API, payload format 2.0); or API_KIND=...

environment:
  PORT               port of the webhook server (default 3000; 0 picks a free one)
  HOST               interface to listen on (default 127.0.0.1)
  APIDECK_API_KEY    the signing key (default: a generated development key)
  AWS_ENDPOINT_URL   use this emulator instead of starting moto
  AWS_REGION         region of the emulated resources (default us-east-1)
  API_KIND           rest (default) or http, as --api-kind
  DEV_STATE_DIR      where endpoints.json is written (default <project>/.dev)`;

const API_NAMES: Readonly<Record<ApiKindName, string>> = {
  rest: 'as the REST API answers it',
  http: 'as the HTTP API answers it, payload format 2.0',
};

const print = (line = ''): void => {
  process.stdout.write(`${line}\n`);
};

const startedAt = Date.now();
let emulator: EmulatorHandle | undefined;
let server: DevServer | undefined;
let stopTap: (() => Promise<void>) | undefined;
let stopping = false;
const stateFile = endpointsFile();

function seconds(sinceMs: number): string {
  return `${((Date.now() - sinceMs) / 1000).toFixed(1)} s`;
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function attempt(what: string, step: () => Promise<void>): Promise<void> {
  try {
    await step();
  } catch (error) {
    process.stderr.write(`dev: stopping the ${what} failed: ${message(error)}\n`);
  }
}

/** Stops whatever has been started, in reverse order, then exits. */
async function shutdown(reason: string, exitCode: number): Promise<void> {
  if (stopping) return;
  stopping = true;
  // A stop that hangs must not leave the terminal waiting: the exit hook still kills the emulator.
  setTimeout(() => {
    process.stderr.write('dev: the stop took over 10 s; exiting anyway\n');
    process.exit(exitCode || 1);
  }, 10_000).unref();
  print();
  print(`dev: ${reason}, stopping…`);
  await attempt('tap', async () => stopTap?.());
  await attempt('webhook server', async () => server?.close());
  await attempt('emulator', async () => emulator?.stop());
  if (server) removeEndpoints(stateFile, server.webhookUrl);
  print(`dev: stopped${emulator && !emulator.external ? ' (emulator process group ended)' : ''}`);
  process.exit(exitCode);
}

function parsePort(value: string | undefined): number {
  const port = Number(value ?? '3000');
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    throw new Error(`PORT must be a port number (0-65535), not "${value}"`);
  }
  return port;
}

function printTopics(topics: Readonly<Record<string, string>>): void {
  const label = (route: string): string =>
    route === CATCH_ALL_ROUTE ? '* (catch-all: any other type)' : route;
  const width = Math.max(...Object.keys(topics).map((route) => label(route).length));
  print('  topics     event type -> SNS topic ARN');
  for (const [route, arn] of Object.entries(topics)) {
    print(`             ${label(route).padEnd(width)}  ${arn}`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      'raw-logs': { type: 'boolean' },
      'api-kind': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    print(USAGE);
    return;
  }
  const port = parsePort(process.env.PORT || undefined);
  const host = process.env.HOST || '127.0.0.1';
  const apiKind: ApiKindName =
    values['api-kind'] === undefined
      ? parseApiKind(process.env.API_KIND)
      : parseApiKind(values['api-kind'], '--api-kind');

  print('apideck-webhooks dev: the receiver on this machine, against an AWS emulator');
  print();
  if (process.env.AWS_ENDPOINT_URL) {
    print(`  emulator   using AWS_ENDPOINT_URL=${process.env.AWS_ENDPOINT_URL}`);
  } else {
    print(
      '  emulator   starting moto_server… (on first use moto is installed into .venv first: 30-60 s)',
    );
  }
  const emulatorStartedAt = Date.now();
  try {
    emulator = await startEmulator();
  } catch (error) {
    throw new Error(
      `the AWS emulator did not start: ${message(error)}\n` +
        'moto needs Python 3 with venv (python3 -m venv) and, on first use, access to PyPI; ' +
        'or set AWS_ENDPOINT_URL to an emulator you run.',
      { cause: error },
    );
  }
  if (stopping) return;
  const { endpoint, region } = emulator;
  print(
    `  emulator   ${endpoint}  (${emulator.external ? 'external' : 'moto'}, region ${region}, ready in ${seconds(emulatorStartedAt)})`,
  );

  const generated = !process.env.APIDECK_API_KEY;
  const apiKey = process.env.APIDECK_API_KEY || `sk_dev_${randomBytes(16).toString('hex')}`;
  const resources = await provisionReceiver({
    endpoint,
    region,
    eventTypes: VAULT_CONNECTION_EVENT_TYPES,
    apiKeys: apiKey,
    namePrefix: 'dev',
  });
  if (stopping) return;

  // The handler reads its configuration once, at import (its cold start), and
  // its SDK clients take the endpoint, region and credentials from here.
  Object.assign(process.env, resources.environment, {
    AWS_ENDPOINT_URL: endpoint,
    AWS_REGION: region,
    AWS_ACCESS_KEY_ID: 'test',
    AWS_SECRET_ACCESS_KEY: 'test',
  });
  delete process.env.AWS_SESSION_TOKEN;
  delete process.env.AWS_PROFILE;
  const handlerLog = values['raw-logs'] ? undefined : new HandlerLog(print);
  if (handlerLog) filterStdoutLines(handlerLog.filter);
  const { handler } = (await import('../../lambda/handler.ts')) as { handler: ApiGatewayHandler };

  try {
    server = await startDevServer({
      handler,
      port,
      host,
      log: print,
      apiKind,
      ...(handlerLog && { onAnswer: handlerLog.answered }),
    });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    throw code === 'EADDRINUSE'
      ? new Error(`port ${port} is in use: stop what uses it, or run with PORT=<another port>`)
      : error;
  }
  if (stopping) return;
  stopTap = startTapPrinter({ endpoint, region, queueUrl: resources.tapQueueUrl, print });

  const endpoints: DevEndpoints = {
    webhookUrl: server.webhookUrl,
    emulatorEndpoint: endpoint,
    region,
    apiKey,
    // In catalogue order, the catch-all last, as provisioned.
    topics: resources.topicArns,
  };
  await writeEndpoints(stateFile, endpoints);

  const tapQueue = resources.tapQueueUrl.split('/').at(-1) ?? resources.tapQueueUrl;
  print(
    `  resources  table ${resources.tableName}, ${Object.keys(resources.topicArns).length} topics, signing secret, tap queue ${tapQueue}`,
  );
  print(
    `  api key    ${apiKey}  (${generated ? 'generated; set APIDECK_API_KEY to use your own' : 'from APIDECK_API_KEY'})`,
  );
  printTopics(endpoints.topics);
  print(`  state      ${displayPath(stateFile)}`);
  print();
  print(`  webhook    POST ${server.webhookUrl}  (${API_NAMES[apiKind]})`);
  print();
  print(`ready in ${seconds(startedAt)}. In another terminal:`);
  print(`  npm run send -- vault.connection.created`);
  print('Each request shows as a "lambda" line, each message on a topic as a "tap" line.');
  print('Ctrl-C stops the server, the tap and the emulator.');
  print();
}

for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => void shutdown(`${signal} received`, 0));
}

// Launched by `npm run dev`, the parent is npm: if it dies without passing a
// signal on (kill -9), stop rather than keep the port and the emulator.
const parentPid = process.ppid;
setInterval(() => {
  if (process.ppid !== parentPid) void shutdown('the parent process exited', 0);
}, 1_000).unref();

main().catch((error: unknown) => {
  process.stderr.write(`\ndev: ${message(error)}\n`);
  void shutdown('start failed', 1);
});
