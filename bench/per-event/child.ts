/**
 * Per-event measurements in a fresh process, forked by `bench/children.ts`;
 * the result goes back over IPC.
 *
 *   cpu <handler|floor> <warmup> <blocks> <blockSize>
 *     both handlers, each on its own stubbed clients, in one process: the
 *     first event of the named one (cold: nothing has run yet), `warmup`
 *     events of each, then `blocks` blocks of `blockSize` pre-signed events per
 *     handler, alternating (ABBA…) so that whatever else the machine does lands
 *     on both; CPU (user + system, all threads) and wall time per block;
 *   memory <handler|floor> <checkpoint>...
 *     RSS and heap after each checkpoint's number of events, each read after
 *     two forced collections (needs --expose-gc).
 */
import { createAwsClients } from '../../lambda/compose.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { BENCH_SECRET_ID, BENCH_TABLE_NAME, BENCH_TOPIC_ARNS } from '../environment.ts';
import { BENCH_EVENT_TYPE, BENCH_SIGNING_KEY, lambdaContext, signedEventBatch } from '../events.ts';
import { floorHandler, receiverHandler } from './handlers.ts';
import { stubHttp } from './stub-http.ts';

export type Variant = 'handler' | 'floor';

/** One block of events of one handler. */
export interface CpuBlock {
  readonly variant: Variant;
  readonly cpuUsPerEvent: number;
  readonly wallUsPerEvent: number;
}

/** The `cpu` measurement of one process. */
export interface CpuResult {
  /** The handler that ran first (its first event is a cold one). */
  readonly first: Variant;
  readonly firstEventUs: number;
  /** In the order they ran: each handler's block of a round next to the other's. */
  readonly blocks: readonly CpuBlock[];
  /** Calls each handler's stubs answered, by `service.operation`. */
  readonly calls: Readonly<Record<Variant, Record<string, number>>>;
}

/** Memory after `events` events and two forced collections. */
export interface MemorySample {
  readonly events: number;
  readonly rssBytes: number;
  readonly heapUsedBytes: number;
}

/** The `memory` measurement of one process: a sample per checkpoint. */
export type MemoryResult = readonly MemorySample[];

function build(variant: Variant) {
  const clients = createAwsClients();
  const counts = stubHttp(clients, BENCH_SIGNING_KEY);
  const topicArn = BENCH_TOPIC_ARNS[BENCH_EVENT_TYPE];
  if (topicArn === undefined) throw new Error(`no topic for ${BENCH_EVENT_TYPE}`);
  const handler: ApiGatewayHandler =
    variant === 'handler'
      ? receiverHandler(clients)
      : floorHandler(clients, { tableName: BENCH_TABLE_NAME, topicArn, secretId: BENCH_SECRET_ID });
  return { handler, counts };
}

async function invoke(
  handler: ApiGatewayHandler,
  event: Parameters<ApiGatewayHandler>[0],
): Promise<void> {
  const response = await handler(event, lambdaContext());
  if (response.statusCode !== 200) {
    throw new Error(`expected 200, got ${response.statusCode}: ${response.body}`);
  }
}

async function timedBlock(
  variant: Variant,
  handler: ApiGatewayHandler,
  events: readonly Parameters<ApiGatewayHandler>[0][],
): Promise<CpuBlock> {
  const cpuBefore = process.cpuUsage();
  const wallBefore = process.hrtime.bigint();
  for (const event of events) await invoke(handler, event);
  const wallUs = Number(process.hrtime.bigint() - wallBefore) / 1_000;
  const used = process.cpuUsage(cpuBefore);
  return {
    variant,
    cpuUsPerEvent: (used.user + used.system) / events.length,
    wallUsPerEvent: wallUs / events.length,
  };
}

async function cpu(
  first: Variant,
  warmup: number,
  blocks: number,
  blockSize: number,
): Promise<CpuResult> {
  const second: Variant = first === 'handler' ? 'floor' : 'handler';
  const built = { handler: build('handler'), floor: build('floor') };
  const [coldEvent] = signedEventBatch(1);
  if (coldEvent === undefined) throw new Error('no event');
  const firstStarted = process.hrtime.bigint();
  await invoke(built[first].handler, coldEvent);
  const firstEventUs = Number(process.hrtime.bigint() - firstStarted) / 1_000;
  for (const variant of [first, second]) {
    for (const event of signedEventBatch(warmup)) await invoke(built[variant].handler, event);
  }
  const results: CpuBlock[] = [];
  for (let block = 0; block < blocks; block++) {
    const order = block % 2 === 0 ? [first, second] : [second, first];
    for (const variant of order) {
      // Signed before the clock starts: signing is the sender's cost.
      const events = signedEventBatch(blockSize);
      results.push(await timedBlock(variant, built[variant].handler, events));
    }
  }
  const calls = { handler: built.handler.counts(), floor: built.floor.counts() };
  return { first, firstEventUs, blocks: results, calls };
}

function settledMemory(events: number): MemorySample {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) throw new Error('the memory bench needs node --expose-gc');
  gc();
  gc();
  const usage = process.memoryUsage();
  return { events, rssBytes: usage.rss, heapUsedBytes: usage.heapUsed };
}

async function memory(variant: Variant, checkpoints: readonly number[]): Promise<MemoryResult> {
  const { handler } = build(variant);
  const samples: MemorySample[] = [];
  const batch = 100;
  let done = 0;
  for (const checkpoint of checkpoints) {
    while (done < checkpoint) {
      const size = Math.min(batch, checkpoint - done);
      for (const event of signedEventBatch(size)) await invoke(handler, event);
      done += size;
    }
    samples.push(settledMemory(done));
  }
  return samples;
}

const [mode, variantArg, ...numbers] = process.argv.slice(2);
const variant: Variant = variantArg === 'floor' ? 'floor' : 'handler';
const [warmup = 0, blocks = 0, blockSize = 0] = numbers.map(Number);
const result =
  mode === 'memory'
    ? await memory(variant, numbers.map(Number))
    : await cpu(variant, warmup, blocks, blockSize);
if (process.send === undefined) process.stderr.write(`${JSON.stringify(result)}\n`);
else {
  process.send(result);
  process.disconnect();
}
