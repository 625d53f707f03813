/**
 * End to end, for information: the deployed bundle, cold-started in this
 * process against the AWS API emulator (moto), handling signed events one after
 * another, each through a real Secrets Manager read (first event only),
 * DynamoDB conditional put, SNS publish and DynamoDB update over HTTP. The
 * emulator's own latency dominates these figures.
 *
 *   end-to-end.ts <bundle index.mjs> <events>
 *
 * Forked by `bench/children.ts` (under tsx); the result goes back over IPC. The
 * handler's stdout lines are counted and discarded.
 */
import { pathToFileURL } from 'node:url';
import { VAULT_CONNECTION_EVENT_TYPES } from '../lambda/contract/event-catalogue.ts';
import type { ApiGatewayHandler } from '../lambda/http/api-gateway-handler.ts';
import { drainTap, provisionReceiver, startEmulator } from '../tools/emulator/index.ts';
import { type NetworkSpan, startConnectionCounter } from './connection-counter.ts';
import { BENCH_SIGNING_KEY, lambdaContext, signedEvents } from './events.ts';
import { percentile } from './stats.ts';

export interface EndToEndResult {
  readonly events: number;
  readonly emulatorStartMs: number;
  readonly importMs: number;
  /** The first event: reads the secret and opens the connections. */
  readonly firstEventMs: number;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly published: number;
  /** On the network during the import (initialisation). */
  readonly atInit: NetworkSpan;
  /** On the network during the first event: the round trips a cold container's first request waits for. */
  readonly firstEvent: NetworkSpan;
  /** On the network during the second event (warm). */
  readonly secondEvent: NetworkSpan;
  /** Messages that reached the topics (read back through the tap queue). */
  readonly delivered: number;
  readonly logLines: number;
}

async function main(): Promise<void> {
  const [bundle, countArg] = process.argv.slice(2);
  if (bundle === undefined) throw new Error('usage: end-to-end.ts <bundle> <events>');
  const count = Number(countArg ?? 500);
  const started = performance.now();
  const emulator = await startEmulator();
  try {
    const emulatorStartMs = performance.now() - started;
    const target = { endpoint: emulator.endpoint, region: emulator.region };
    const resources = await provisionReceiver({
      ...target,
      eventTypes: VAULT_CONNECTION_EVENT_TYPES,
      apiKeys: BENCH_SIGNING_KEY,
    });
    const counter = await startConnectionCounter(emulator.endpoint);
    Object.assign(process.env, resources.environment, {
      AWS_ENDPOINT_URL: counter.endpoint,
      AWS_REGION: emulator.region,
      AWS_ACCESS_KEY_ID: 'test',
      AWS_SECRET_ACCESS_KEY: 'test',
    });
    delete process.env.AWS_SESSION_TOKEN;

    let logLines = 0;
    const write = process.stdout.write.bind(process.stdout);
    process.stdout.write = ((chunk: string | Uint8Array) => {
      logLines += String(chunk)
        .split('\n')
        .filter((line) => line.length > 0).length;
      return true;
    }) as typeof process.stdout.write;

    counter.mark();
    const importStarted = performance.now();
    const { handler } = (await import(pathToFileURL(bundle).href)) as {
      handler: ApiGatewayHandler;
    };
    const importMs = performance.now() - importStarted;
    const atInit = counter.mark();
    const spans: NetworkSpan[] = [];

    const next = signedEvents();
    const latencies: number[] = [];
    let published = 0;
    let firstEventMs = 0;
    for (let i = 0; i <= count; i++) {
      const event = next();
      const eventStarted = performance.now();
      const response = await handler(event, lambdaContext());
      const ms = performance.now() - eventStarted;
      if (i < 2) spans.push(counter.mark());
      if (i === 0) firstEventMs = ms;
      else latencies.push(ms);
      if (response.statusCode === 200 && response.body.includes('"published"')) published++;
      else write(`end-to-end: unexpected answer ${response.statusCode} ${response.body}\n`);
    }
    process.stdout.write = write;

    const delivered = await drainTap({
      ...target,
      queueUrl: resources.tapQueueUrl,
      expectedCount: count + 1,
    });
    await counter.close();
    const [firstEvent, secondEvent] = spans;
    if (firstEvent === undefined || secondEvent === undefined) throw new Error('too few events');
    const result: EndToEndResult = {
      atInit,
      firstEvent,
      secondEvent,
      events: latencies.length,
      emulatorStartMs,
      importMs,
      firstEventMs,
      p50Ms: percentile(latencies, 50),
      p99Ms: percentile(latencies, 99),
      published,
      delivered: delivered.length,
      logLines,
    };
    if (process.send === undefined) process.stderr.write(`${JSON.stringify(result)}\n`);
    else process.send(result);
  } finally {
    await emulator.stop();
  }
  process.disconnect?.();
}

await main();
