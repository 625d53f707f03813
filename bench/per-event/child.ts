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
 *   deployed <handler|floor> <warmup> <blocks> <blockSize> <handler.mjs> <floor.mjs>
 *     the same with the two bundles as built, each importing its own SDK and
 *     calling AWS_ENDPOINT_URL over HTTP with its own Node.js HTTP client;
 *   memory <handler|floor> <checkpoint>...
 *     RSS and heap after each checkpoint's number of events, each read after
 *     two forced collections (needs --expose-gc).
 */
import { pathToFileURL } from 'node:url';
import { createAwsClients } from '../../lambda/compose-receiver.ts';
import type { ApiGatewayHandler } from '../../lambda/http/api-gateway-handler.ts';
import { benchFloorTarget } from '../environment.ts';
import { BENCH_SIGNING_KEY, lambdaContext, signedEventBatch } from '../events.ts';
import { floorCalls } from '../floor/calls.ts';
import { receiverHandler } from './handlers.ts';
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
  /** Calls each handler's stubs answered, by `service.operation` (none counted here for bundles). */
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

interface Built {
  readonly handler: ApiGatewayHandler;
  readonly counts: () => Record<string, number>;
}

function build(variant: Variant): Built {
  const clients = createAwsClients();
  const counts = stubHttp(clients, BENCH_SIGNING_KEY);
  const handler: ApiGatewayHandler =
    variant === 'handler' ? receiverHandler(clients) : floorCalls(clients, benchFloorTarget());
  return { handler, counts };
}

/** A bundle's `handler` export, imported as Lambda's runtime imports it. */
async function importBundle(file: string): Promise<Built> {
  const module = (await import(pathToFileURL(file).href)) as { handler?: ApiGatewayHandler };
  const { handler } = module;
  if (typeof handler !== 'function') throw new Error(`${file} exports no handler`);
  return { handler, counts: () => ({}) };
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
  built: Readonly<Record<Variant, Built>>,
  first: Variant,
  warmup: number,
  blocks: number,
  blockSize: number,
): Promise<CpuResult> {
  const second: Variant = first === 'handler' ? 'floor' : 'handler';
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

async function run(mode: string | undefined, variant: Variant, args: readonly string[]) {
  const [warmup = 0, blocks = 0, blockSize = 0] = args.slice(0, 3).map(Number);
  switch (mode) {
    case 'memory':
      return memory(variant, args.map(Number));
    case 'cpu':
      return cpu(
        { handler: build('handler'), floor: build('floor') },
        variant,
        warmup,
        blocks,
        blockSize,
      );
    case 'deployed': {
      const [handlerFile, floorFile] = args.slice(3);
      if (handlerFile === undefined || floorFile === undefined)
        throw new Error('deployed needs two bundles');
      const built = {
        handler: await importBundle(handlerFile),
        floor: await importBundle(floorFile),
      };
      return cpu(built, variant, warmup, blocks, blockSize);
    }
    default:
      throw new Error(`unknown mode ${mode}`);
  }
}

const [mode, variantArg, ...args] = process.argv.slice(2);
const result = await run(mode, variantArg === 'floor' ? 'floor' : 'handler', args);
if (process.send === undefined) process.stderr.write(`${JSON.stringify(result)}\n`);
else {
  process.send(result);
  process.disconnect();
}
