/**
 * `npm run cost:measure`: what one delivery writes, measured on the deployed
 * bundle, for the cost command (`cli/cost/measured.json`).
 *
 * Half the deliveries run as an invocation Lambda did not sample for X-Ray,
 * half as a sampled one (`_X_AMZN_TRACE_ID` with `Sampled=1`, as Lambda sets
 * it per invocation), whose log line also names the trace.
 *
 * The prebuilt asset (`dist/handler/index.mjs`) is imported with the function's
 * environment and its SDK pointed (`AWS_ENDPOINT_URL`) at a loopback server that
 * answers each call in the service's protocol with the bench's canned answers
 * and keeps each request's body. Then a batch of fresh signed
 * `vault.connection.created` deliveries (`bench/events.ts`, as API Gateway
 * passes them) goes through the handler one after another, and everything the
 * handler writes to stdout (what Lambda sends to CloudWatch Logs) is counted:
 * bytes of each line without its newline, lines per delivery. The same run
 * keeps the size of the claim item (`PutItem`) and of the completion
 * (`UpdateItem`) as DynamoDB counts item size, the published message's bytes
 * and the answer's body bytes.
 *
 *   npm run cost:measure [-- --deliveries N] [--out FILE]   (default 500, cli/cost/measured.json)
 */
import { writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { ENVIRONMENT } from '../lambda/contract/environment.ts';
import type { ApiGatewayHandler } from '../lambda/http/api-gateway-handler.ts';
import { HANDLER_ASSET_DIR } from '../scripts/handler-bundle.ts';
import { traceId } from '../tools/emulator/api-gateway/event.ts';
import { handlerEnvironment } from './environment.ts';
import { BENCH_SIGNING_KEY, lambdaContext, signedEvents } from './events.ts';
import { cannedAnswer, operationOf, serviceOf } from './per-event/stub-http.ts';

/** Where the figures go: the cost command reads them. */
export const MEASURED_FILE = join(import.meta.dirname, '..', 'cli', 'cost', 'measured.json');

type AttributeValue = Record<string, unknown>;

/** Bytes DynamoDB counts for an attribute value (names and values in UTF-8, numbers by digits). */
function valueBytes(value: AttributeValue): number {
  const [[type, inner]] = Object.entries(value) as [[string, unknown]];
  switch (type) {
    case 'S':
      return Buffer.byteLength(inner as string);
    case 'N': {
      const digits = String(inner).replace(/[-.]/g, '').replace(/^0+/, '').length;
      return Math.ceil(digits / 2) + 1;
    }
    case 'B':
      return Buffer.from(inner as string, 'base64').byteLength;
    case 'BOOL':
    case 'NULL':
      return 1;
    case 'M':
      return 3 + itemBytes(inner as Record<string, AttributeValue>);
    case 'L':
      return 3 + (inner as AttributeValue[]).reduce((sum, item) => sum + 1 + valueBytes(item), 0);
    case 'SS':
      return (inner as string[]).reduce((sum, item) => sum + Buffer.byteLength(item), 0);
    default:
      return Buffer.byteLength(JSON.stringify(inner));
  }
}

function itemBytes(item: Record<string, AttributeValue>): number {
  return Object.entries(item).reduce(
    (sum, [name, value]) => sum + Buffer.byteLength(name) + valueBytes(value),
    0,
  );
}

/** The item an `UpdateItem` leaves: the key plus each `SET` value (an upper bound on a few bytes). */
function updatedItemBytes(input: {
  Key: Record<string, AttributeValue>;
  ExpressionAttributeValues?: Record<string, AttributeValue>;
}): number {
  const values = Object.values(input.ExpressionAttributeValues ?? {});
  return itemBytes(input.Key) + values.reduce((sum, value) => sum + 8 + valueBytes(value), 0);
}

interface Recorded {
  readonly putItems: number[];
  readonly updateItems: number[];
  readonly publishedBytes: number[];
  readonly calls: Record<string, number>;
}

function startRecordingServer(recorded: Recorded): Promise<{ url: string; close: () => void }> {
  const server = createServer((request: IncomingMessage, response: ServerResponse) => {
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      const header = request.headers['x-amz-target'];
      const target = Array.isArray(header) ? header[0] : header;
      const body = Buffer.concat(chunks).toString('utf8');
      const service = serviceOf(target);
      const operation = operationOf(target, body);
      const name = `${service}.${operation}`;
      recorded.calls[name] = (recorded.calls[name] ?? 0) + 1;
      if (name === 'dynamodb.PutItem') {
        recorded.putItems.push(itemBytes(JSON.parse(body).Item));
      } else if (name === 'dynamodb.UpdateItem') {
        recorded.updateItems.push(updatedItemBytes(JSON.parse(body)));
      } else if (name === 'sns.Publish') {
        const message = new URLSearchParams(body).get('Message') ?? '';
        recorded.publishedBytes.push(Buffer.byteLength(message));
      }
      const canned = cannedAnswer(service, operation, BENCH_SIGNING_KEY);
      const text = canned?.body ?? JSON.stringify({ message: `no canned answer for ${name}` });
      response.writeHead(canned === undefined ? 400 : 200, {
        'content-type': canned?.contentType ?? 'application/json',
        'content-length': Buffer.byteLength(text),
      });
      response.end(text);
    });
  });
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({ url: `http://127.0.0.1:${port}`, close: () => server.close() });
    });
  });
}

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

/** What one delivery wrote and answered. */
interface Delivery {
  readonly bytes: number;
  readonly lines: number;
  readonly logLine: number;
  readonly emf: number;
  readonly traced: boolean;
  readonly answer: string;
  readonly requestBytes: number;
  readonly responseBytes: number;
}

/**
 * Imports a fresh instance of the bundle (a cold start that reads the
 * environment as it is now: `instance` makes the module URL unique) and sends
 * it `deliveries` deliveries, the second half of them as sampled invocations
 * when `sampleHalf`, capturing what each writes to stdout.
 */
async function runBatch(
  instance: string,
  deliveries: number,
  sampleHalf: boolean,
): Promise<Delivery[]> {
  const bundle = pathToFileURL(join(HANDLER_ASSET_DIR, 'index.mjs'));
  bundle.searchParams.set('instance', instance);
  const written: string[] = [];
  const write = process.stdout.write.bind(process.stdout);
  process.stdout.write = ((chunk: string | Uint8Array) => {
    written.push(String(chunk));
    return true;
  }) as typeof process.stdout.write;
  const batch: Delivery[] = [];
  try {
    const { handler } = (await import(bundle.href)) as { handler: ApiGatewayHandler };
    const next = signedEvents();
    for (let i = 0; i < deliveries; i++) {
      const event = next();
      const traced = sampleHalf && i >= deliveries / 2;
      if (traced) {
        process.env._X_AMZN_TRACE_ID = `${traceId(Date.now())};Parent=5d6e7f8a9b0c1d2e;Sampled=1`;
      } else {
        delete process.env._X_AMZN_TRACE_ID;
      }
      written.length = 0;
      const result = await handler(event, lambdaContext());
      const lines = written
        .join('')
        .split('\n')
        .filter((line) => line.length > 0);
      const bytesOf = (kept: string[]) =>
        kept.reduce((sum, line) => sum + Buffer.byteLength(line), 0);
      // EMF documents carry `_aws`; the request's log line carries `level`.
      const isEmf = (line: string) => line.startsWith('{"_aws"');
      const status = (JSON.parse(result.body) as { status?: string }).status ?? 'none';
      batch.push({
        bytes: bytesOf(lines),
        lines: lines.length,
        logLine: bytesOf(lines.filter((line) => !isEmf(line))),
        emf: bytesOf(lines.filter(isEmf)),
        traced,
        answer: `${result.statusCode} ${status}`,
        requestBytes: Buffer.byteLength(event.body ?? ''),
        responseBytes: Buffer.byteLength(result.body),
      });
    }
  } finally {
    process.stdout.write = write;
    delete process.env._X_AMZN_TRACE_ID;
  }
  return batch;
}

function countAnswers(batch: readonly Delivery[]): Record<string, number> {
  const answers: Record<string, number> = {};
  for (const { answer } of batch) answers[answer] = (answers[answer] ?? 0) + 1;
  return answers;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      deliveries: { type: 'string', default: '500' },
      out: { type: 'string', default: MEASURED_FILE },
    },
  });
  const deliveries = Number(values.deliveries);
  if (!Number.isSafeInteger(deliveries) || deliveries < 10) {
    throw new Error('--deliveries must be an integer of at least 10');
  }
  const recorded: Recorded = { putItems: [], updateItems: [], publishedBytes: [], calls: {} };
  const server = await startRecordingServer(recorded);
  Object.assign(process.env, handlerEnvironment(), { AWS_ENDPOINT_URL: server.url });
  let perDelivery: Delivery[];
  let totalsOnly: Delivery[];
  try {
    perDelivery = await runBatch('by-event-type', deliveries, true);
    // The same handler writing its metrics as service totals only.
    process.env[ENVIRONMENT.metricsByEventType] = 'false';
    totalsOnly = await runBatch('totals-only', Math.ceil(deliveries / 5), false);
  } finally {
    server.close();
  }
  // The first delivery is the cold one (its line says so): the warm ones are the figure.
  const warm = perDelivery.slice(1).filter((delivery) => !delivery.traced);
  const tracedWarm = perDelivery.filter((delivery) => delivery.traced);
  const measured = {
    measuredAt: new Date().toISOString(),
    how: `npm run cost:measure: ${deliveries} signed vault.connection.created deliveries (half of them as invocations sampled for X-Ray), and ${totalsOnly.length} more with the metrics as service totals only, through the deployed bundle (dist/handler/index.mjs) on Node.js ${process.versions.node}, its SDK answered over loopback HTTP by canned AWS answers; bytes of every stdout line (without the newline), median over the warm deliveries`,
    deliveries,
    answers: countAnswers([...perDelivery, ...totalsOnly]),
    handlerBytesPerDelivery: median(warm.map((d) => d.bytes)),
    handlerLinesPerDelivery: median(warm.map((d) => d.lines)),
    logLineBytes: median(warm.map((d) => d.logLine)),
    tracedLogLineBytes: median(tracedWarm.map((d) => d.logLine)),
    emfBytes: median(warm.map((d) => d.emf)),
    emfTotalsOnlyBytes: median(totalsOnly.slice(1).map((d) => d.emf)),
    requestBodyBytes: median(perDelivery.map((d) => d.requestBytes)),
    responseBodyBytes: median(perDelivery.map((d) => d.responseBytes)),
    claimItemBytes: Math.max(...recorded.putItems),
    // UpdateItem is billed on the larger of the item before and after: the claim plus what it sets.
    completedItemBytes: Math.max(...recorded.putItems) + Math.max(...recorded.updateItems),
    publishedMessageBytes: median(recorded.publishedBytes),
    calls: recorded.calls,
  };
  writeFileSync(values.out, `${JSON.stringify(measured, null, 2)}\n`);
  process.stderr.write(`${JSON.stringify(measured, null, 2)}\nwritten to ${values.out}\n`);
}

await main();
