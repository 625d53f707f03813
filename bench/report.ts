/**
 * What a bench run measured, the verdicts against the targets, and the
 * results file and console tables that show them.
 */
import { join, relative } from 'node:path';
import type { NodeMajor } from '../scripts/node-runtimes.ts';
import { BUILD_DIR, type Builds, PROJECT_ROOT, SDK_DEFAULTS_NODE_OPTIONS } from './build.ts';
import type { ColdLoadFigures } from './cold-load.ts';
import type { NetworkSpan } from './connection-counter.ts';
import type { EndToEndResult } from './end-to-end.ts';
import type { Machine } from './machine.ts';
import type { CpuResult, MemoryResult, Variant } from './per-event/child.ts';
import { median } from './stats.ts';

/** How many processes, events and blocks a run takes. */
export interface Settings {
  readonly coldLoadProcesses: number;
  /** Fresh processes, each running both handlers in alternating blocks. */
  readonly cpuProcesses: number;
  /** Untimed events per handler per process, after its first. */
  readonly cpuWarmup: number;
  /** Timed blocks per handler per process, stubbed HTTP. */
  readonly cpuBlocks: number;
  readonly cpuBlockSize: number;
  /** Timed blocks per handler per process, as deployed (the same processes, warm-up and block size). */
  readonly deployedBlocks: number;
  /** Events after which memory is read: the first, one after warm-up, then the last few (their median is "the end"). */
  readonly memoryCheckpoints: readonly number[];
  readonly endToEndEvents: number;
}

/** The bundles measured for cold load, each against the floor. */
export type ColdBundle = 'handler' | 'floor' | 'sdkDefaults';

/** Every timed figure of one Node.js version. */
export interface RuntimeResults {
  readonly major: NodeMajor;
  readonly version: string;
  readonly coldLoad: Readonly<Record<ColdBundle, ColdLoadFigures>>;
  /** Stubbed HTTP, in-process. */
  readonly cpu: readonly CpuResult[];
  /** The bundles over HTTP to the canned server, and the calls it answered for them. */
  readonly deployed: {
    readonly runs: readonly CpuResult[];
    readonly calls: Record<string, number>;
  };
  readonly memory: Readonly<Record<Variant, MemoryResult>>;
  readonly endToEnd: EndToEndResult | { readonly error: string };
}

/** One run. */
export interface Results {
  readonly settings: Settings;
  readonly quick: boolean;
  readonly machine: Machine;
  readonly startedAt: Date;
  readonly seconds: number;
  /** 1-minute load average at the start and at the end of the run. */
  readonly loadAverage: readonly [number, number];
  readonly builds: Builds;
  /** The function's runtime first. */
  readonly runtimes: readonly RuntimeResults[];
}

/**
 * The targets, all as deployed (bundle and cold import ≤ 0.90 of the
 * floor, warm CPU ≤ 1.2; the cold-import verdict is taken on Node.js 24, the
 * function's runtime, and reported for 22 too). Memory has none in numbers
 * ("memory flat"): RSS at the end may be at most 1.15 × the floor's (V8 grows
 * its young generation during the first few hundred events, for the floor
 * too), and the heap left after a full GC may grow after warm-up by no more
 * than the floor's own grows, plus 0.5 MiB: the floor's heap grows too (by
 * 0.8 MiB over 9,000 events on Node.js 22), which is the SDK's and V8's, not a
 * leak of the receiver's.
 */
const TARGETS = {
  bundle: 0.9,
  coldLoad: 0.9,
  cpu: 1.2,
  rssOverFloor: 1.15,
  heapGrowthOverFloorMiB: 0.5,
};

const int = (n: number): string => Math.round(n).toLocaleString('en-US');
const fixed = (n: number, digits = 1): string =>
  n.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
const fixed0 = (n: number): string => fixed(n, 0);
const fixed1 = (n: number): string => fixed(n, 1);
const mib = (bytes: number): string => fixed(bytes / 2 ** 20, 1);
const signed = (n: number): string => `${n >= 0 ? '+' : '−'}${fixed(Math.abs(n), 2)}`;
const atMost = (target: number): string => `≤ ${target.toFixed(2)}`;
const verdict = (pass: boolean): string => (pass ? 'pass' : '**MISSED**');

/** One line of a figures table; a figure starting with spaces is a detail of the one above (`↳`). */
interface Row {
  readonly figure: string;
  readonly handler: string;
  readonly floor: string;
  readonly ratio: string;
  readonly target: string;
  readonly verdict: string;
}

/** A row of information: empty cells unless given. */
function row(figure: string, cells: Partial<Omit<Row, 'figure'>>): Row {
  return { figure, handler: '', floor: '', ratio: '', target: 'info', verdict: '', ...cells };
}

/** A row of the handler's figure beside the floor's, the ratio handler ÷ floor. */
function compare(
  figure: string,
  handler: number,
  floor: number,
  format: (n: number) => string,
  cells: Partial<Omit<Row, 'figure'>> = {},
): Row {
  const ratio = fixed(handler / floor, 3);
  return row(figure, { handler: format(handler), floor: format(floor), ratio, ...cells });
}

/** The end of a memory run: the median of the last three reads (RSS moves by several MiB from one to the next). */
function memorySummary(samples: MemoryResult) {
  const [first, warm, ...end] = samples;
  if (first === undefined || warm === undefined) throw new Error('missing memory sample');
  return {
    first,
    warm,
    endEvents: end.at(-1)?.events ?? 0,
    endRss: median(end.map((x) => x.rssBytes)),
    endHeap: median(end.map((x) => x.heapUsedBytes)),
  };
}

/**
 * The warm-CPU figures of a set of processes: µs per event and the ratio, from
 * the total CPU of every timed block of each handler. The blocks are short
 * (tens of events) and alternate, so that what the machine does meanwhile
 * lands on both; a ratio per process shows the spread.
 */
function warmFigures(runs: readonly CpuResult[]) {
  const totals = (blocks: readonly CpuResult['blocks'][number][], variant: Variant) => {
    const own = blocks.filter((b) => b.variant === variant);
    return {
      cpu: own.reduce((sum, b) => sum + b.cpuUsPerEvent, 0) / own.length,
      wall: own.reduce((sum, b) => sum + b.wallUsPerEvent, 0) / own.length,
      blocks: own.length,
    };
  };
  const all = runs.flatMap((r) => r.blocks);
  const handler = totals(all, 'handler');
  const floor = totals(all, 'floor');
  const perProcess = runs.map(
    (r) => totals(r.blocks, 'handler').cpu / totals(r.blocks, 'floor').cpu,
  );
  const firstEventMs = (variant: Variant) =>
    median(runs.filter((r) => r.first === variant).map((r) => r.firstEventUs)) / 1000;
  return { handler, floor, ratio: handler.cpu / floor.cpu, perProcess, firstEventMs };
}

/** One Node.js version's figures judged: its rows, the targets it missed and the summary's ratios. */
function judge({ builds, settings }: Results, results: RuntimeResults) {
  const missed: string[] = [];
  const check = (name: string, pass: boolean): string => {
    if (!pass) missed.push(`${name} (Node.js ${results.version})`);
    return verdict(pass);
  };
  const { handler, floor, sdkDefaults } = builds;
  const bundleRatio = handler.bytes / floor.bytes;

  const cold = results.coldLoad;
  const coldRatio = cold.handler.importMs / cold.floor.importMs;
  // A handler that did not compose (its misconfigured path) would load fast for nothing.
  const coldPass = coldRatio <= TARGETS.coldLoad && cold.handler.probeStatus === 401;
  const coldRow = (figure: string, key: keyof ColdLoadFigures & `${string}Ms`, of = cold.handler) =>
    compare(figure, of[key], cold.floor[key], fixed1);

  const warm = warmFigures(results.deployed.runs);
  const stubbed = warmFigures(results.cpu);
  const callsOf = (calls: Record<string, number>) =>
    Object.entries(calls)
      .map(([name, n]) => `${name} ${int(n)}`)
      .join(', ');

  const hm = memorySummary(results.memory.handler);
  const fm = memorySummary(results.memory.floor);
  const heapGrowthMiB = (hm.endHeap - hm.warm.heapUsedBytes) / 2 ** 20;
  const floorHeapGrowthMiB = (fm.endHeap - fm.warm.heapUsedBytes) / 2 ** 20;
  const memoryPass =
    hm.endRss <= fm.endRss * TARGETS.rssOverFloor &&
    heapGrowthMiB <= floorHeapGrowthMiB + TARGETS.heapGrowthOverFloorMiB;
  const rssRatio = hm.endRss / fm.endRss;

  const options = builds.nodeOptions === '' ? 'no NODE_OPTIONS' : `\`${builds.nodeOptions}\``;
  const rows: Row[] = [
    compare('1. Bundle: `index.mjs` bytes, as deployed', handler.bytes, floor.bytes, int, {
      target: atMost(TARGETS.bundle),
      verdict: check('bundle', bundleRatio <= TARGETS.bundle),
    }),
    compare(
      '   source map bytes (not in the deployed zip, never read by Node.js; `npm run trace-stack` reads it)',
      handler.mapBytes,
      floor.mapBytes,
      int,
    ),
    compare(
      "   with SDK defaults: the handler's `index.mjs` bytes with the default credential chain ÷ the same floor",
      sdkDefaults.bytes,
      floor.bytes,
      int,
    ),
    compare('   `index.mjs` gzip -9 bytes', handler.gzipBytes, floor.gzipBytes, int),

    {
      ...coldRow(
        `2. Cold load: \`import()\` ms, median of ${cold.handler.processes} fresh processes each (${options}, as deployed)`,
        'importMs',
      ),
      target: atMost(TARGETS.coldLoad),
      verdict:
        results.major === 24
          ? check('cold load', coldPass)
          : `${verdict(coldPass)} (reported; the verdict is Node.js 24's)`,
    },
    coldRow(
      '   CPU ms of the same `import()` (user + system, all threads; steadier on a busy machine)',
      'importCpuMs',
    ),
    coldRow('   process start → handler ready, ms (Node.js start included)', 'readyMs'),
    coldRow('   whole process (spawn → exit), ms', 'wallMs'),
    coldRow(
      `   with SDK defaults: \`import()\` ms of the handler with the default credential chain, a linked map and \`${SDK_DEFAULTS_NODE_OPTIONS}\` ÷ the same floor`,
      'importMs',
      cold.sdkDefaults,
    ),
    coldRow('   with SDK defaults: CPU ms of that `import()`', 'importCpuMs', cold.sdkDefaults),

    compare(
      `3. Warm CPU µs/event (user + system), as deployed: the asset and the calling floor bundle in one process, each on its own SDK and Node.js HTTP client, over loopback HTTP to a canned-answer server in another process; ${int(warm.handler.blocks * settings.cpuBlockSize)} events per handler in blocks of ${settings.cpuBlockSize}, alternating, ${results.deployed.runs.length} processes; ratio of total CPU`,
      warm.handler.cpu,
      warm.floor.cpu,
      fixed0,
      {
        ratio: fixed(warm.ratio, 3),
        target: atMost(TARGETS.cpu),
        verdict: check('warm CPU', warm.ratio <= TARGETS.cpu),
      },
    ),
    row('   handler − floor, µs/event: what verifying, parsing, checking and logging cost', {
      handler: fixed0(warm.handler.cpu - warm.floor.cpu),
    }),
    row('   ratio in each process', { ratio: warm.perProcess.map((r) => fixed(r, 3)).join(', ') }),
    compare('   wall µs/event, same blocks', warm.handler.wall, warm.floor.wall, fixed0),
    row('   calls the server answered (both bundles)', {
      handler: callsOf(results.deployed.calls),
    }),
    compare(
      `   stubbed HTTP: the sources in one process, on clients whose HTTP layer answers in-process (no sockets, no HTTP client): the SDK's work and the handler's alone; ${int(stubbed.handler.blocks * settings.cpuBlockSize)} events per handler, ${results.cpu.length} processes; ratio of total CPU`,
      stubbed.handler.cpu,
      stubbed.floor.cpu,
      fixed0,
      { ratio: fixed(stubbed.ratio, 3) },
    ),
    row('   stubbed HTTP: handler − floor, µs/event', {
      handler: fixed0(stubbed.handler.cpu - stubbed.floor.cpu),
    }),
    row('   stubbed HTTP: ratio in each process', {
      ratio: stubbed.perProcess.map((r) => fixed(r, 3)).join(', '),
    }),
    compare(
      '   first event in a fresh process, ms wall, stubbed HTTP (secret read, lazy SDK set-up, code not yet compiled)',
      stubbed.firstEventMs('handler'),
      stubbed.firstEventMs('floor'),
      fixed1,
    ),

    row(
      `4. Memory: RSS MiB after ${int(hm.first.events)} → after ${int(hm.endEvents)} events (after GC)`,
      {
        handler: `${mib(hm.first.rssBytes)} → ${mib(hm.endRss)}`,
        floor: `${mib(fm.first.rssBytes)} → ${mib(fm.endRss)}`,
        ratio: `${fixed(hm.endRss / hm.first.rssBytes, 3)} (floor ${fixed(fm.endRss / fm.first.rssBytes, 3)})`,
        target: `RSS at the end ${atMost(TARGETS.rssOverFloor)} × the floor's; heap flat after warm-up`,
        verdict: check('memory', memoryPass),
      },
    ),
    row('   RSS at the end, handler ÷ floor', {
      ratio: fixed(rssRatio, 3),
      target: atMost(TARGETS.rssOverFloor),
    }),
    row(
      `   heap used after GC, MiB, after ${int(hm.first.events)} → ${int(hm.warm.events)} → ${int(hm.endEvents)} events`,
      {
        handler: `${mib(hm.first.heapUsedBytes)} → ${mib(hm.warm.heapUsedBytes)} → ${mib(hm.endHeap)}`,
        floor: `${mib(fm.first.heapUsedBytes)} → ${mib(fm.warm.heapUsedBytes)} → ${mib(fm.endHeap)}`,
        ratio: `${signed(heapGrowthMiB)} MiB from ${int(hm.warm.events)} (floor ${signed(floorHeapGrowthMiB)})`,
        target: `≤ the floor's + ${TARGETS.heapGrowthOverFloorMiB} MiB`,
      },
    ),
    ...endToEndRows(results.endToEnd),
  ];
  // The summary's columns: bundle, cold import, with SDK defaults, warm CPU (as deployed, stubbed), RSS.
  const ratios = [
    bundleRatio,
    coldRatio,
    cold.sdkDefaults.importMs / cold.floor.importMs,
    warm.ratio,
    stubbed.ratio,
    rssRatio,
  ];
  return { results, rows, missed, ratios };
}

type Judged = ReturnType<typeof judge>;

function endToEndRows(e2e: RuntimeResults['endToEnd']): Row[] {
  if ('error' in e2e) {
    const handler = `failed: ${e2e.error.split('\n')[0] ?? ''}`;
    return [row('5. End to end against the emulator', { handler })];
  }
  // The floor has no end-to-end run: the emulator's own latency dominates these figures.
  const alone = (figure: string, handler: string) =>
    row(figure, { handler, floor: '–', ratio: '–' });
  const span = (n: NetworkSpan) =>
    `${n.requests} requests on ${n.connections} new connections${n.operations.length > 0 ? `: ${n.operations.join(' → ')}` : ''}`;
  return [
    alone(
      `5. End to end, deployed bundle against the emulator (moto): p50 / p99 ms over ${int(e2e.events)} sequential events`,
      `${fixed1(e2e.p50Ms)} / ${fixed1(e2e.p99Ms)}`,
    ),
    alone(
      '   first event after cold start, ms (reads the secret, opens connections)',
      fixed1(e2e.firstEventMs),
    ),
    alone(
      '   on the network: during initialisation / the first event / the second (moto closes every connection after its answer, so here each request opens one; on AWS the SDK keeps them alive: one TCP + TLS handshake per service on the first event, none after)',
      `${span(e2e.atInit)} / ${span(e2e.firstEvent)} / ${span(e2e.secondEvent)}`,
    ),
  ];
}

function table(rows: readonly Row[]): string {
  return [
    '| figure | handler | floor | ratio | target | result |',
    '|---|--:|--:|--:|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.figure.startsWith(' ') ? `↳ ${r.figure.trim()}` : r.figure} | ${r.handler} | ${r.floor} | ${r.ratio} | ${r.target} | ${r.verdict} |`,
    ),
  ].join('\n');
}

function compositionTable({ handler, floor }: Builds): string {
  const h = handler.composition.byOrigin;
  const f = floor.composition.byOrigin;
  const origins = [...new Set([...Object.keys(h), ...Object.keys(f)])].sort(
    (a, b) => (h[b] ?? 0) - (h[a] ?? 0),
  );
  const hi = handler.composition.byInput;
  const fi = floor.composition.byInput;
  const extra = Object.keys(hi)
    .map((input) => [input, (hi[input] ?? 0) - (fi[input] ?? 0)] as const)
    .filter(([input, bytes]) => bytes > 0 && !input.startsWith('lambda/'))
    .sort((a, b) => b[1] - a[1])
    .slice(0, 8);
  const byPackage: Record<string, number> = {};
  for (const [input, bytes] of Object.entries(fi)) {
    const match = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:dist-es\/)?(submodules\/[^/]+)?/.exec(
      input,
    );
    const name = match?.[1] === undefined ? input : `${match[1]}${match[2] ? `/${match[2]}` : ''}`;
    byPackage[name] = (byPackage[name] ?? 0) + bytes;
  }
  const sum = (values: readonly number[]) => values.reduce((total, bytes) => total + bytes, 0);
  const floorTotal = sum(Object.values(fi));
  const credentialChain = sum(
    Object.entries(byPackage)
      .filter(([name]) => /nested-clients|credential-provider|token-providers/.test(name))
      .map(([, bytes]) => bytes),
  );
  return [
    '| origin | handler bytes | floor bytes | handler − floor |',
    '|---|--:|--:|--:|',
    ...origins.map(
      (o) =>
        `| \`${o}\` | ${int(h[o] ?? 0)} | ${int(f[o] ?? 0)} | ${int((h[o] ?? 0) - (f[o] ?? 0))} |`,
    ),
    '',
    `The floor itself, by package (largest 15 of ${Object.keys(byPackage).length}); the default credential chain (\`credential-provider-*\`, \`token-providers\` and the STS, SSO, SSO-OIDC and Signin clients of \`nested-clients\`) is ${int(credentialChain)} bytes, ${fixed0((100 * credentialChain) / floorTotal)} % of it, although a Lambda function takes its credentials from the environment:`,
    '',
    '| package | bytes |',
    '|---|--:|',
    ...Object.entries(byPackage)
      .sort((a, b) => b[1] - a[1])
      .slice(0, 15)
      .map(([name, bytes]) => `| \`${name}\` | ${int(bytes)} |`),
    '',
    'Largest additions outside `lambda/` (the commands and their schemas the handler sends):',
    '',
    ...extra.map(([input, bytes]) => `- \`${input}\`: +${int(bytes)} bytes`),
  ].join('\n');
}

/** The ratios against the floor, one line per Node.js version: what the targets read. */
function summaryTable(judged: readonly Judged[]): string {
  return [
    '| Node.js | bundle ÷ floor | cold `import()` ÷ floor, as deployed | cold `import()` ÷ floor, with SDK defaults | warm CPU ÷ floor, as deployed | warm CPU ÷ floor, stubbed HTTP | RSS at the end ÷ floor |',
    '|---|--:|--:|--:|--:|--:|--:|',
    ...judged.map(
      ({ results: rt, ratios }) =>
        `| ${rt.version}${rt.major === 24 ? ' (the function’s runtime)' : ''} | ${ratios.map((r) => fixed(r, 3)).join(' | ')} |`,
    ),
    `| target | ${atMost(TARGETS.bundle)} | ${atMost(TARGETS.coldLoad)} on 24 | info | ${atMost(TARGETS.cpu)} | info | ${atMost(TARGETS.rssOverFloor)} |`,
  ].join('\n');
}

function markdown(results: Results, judged: readonly Judged[]): string {
  const { machine, builds, settings } = results;
  const first = results.runtimes[0];
  if (first === undefined) throw new Error('no runtime measured');
  const e2e = first.endToEnd;
  const calls = (variant: Variant) =>
    JSON.stringify(first.cpu[0]?.calls[variant] ?? {})
      .replaceAll('"', '')
      .replaceAll(',', ', ');
  const missed = judged.flatMap((j) => j.missed);
  const options = builds.nodeOptions === '' ? 'none' : `\`${builds.nodeOptions}\``;
  return [
    '# Benchmark results',
    '',
    `Written by \`npm run bench${results.quick ? ' -- --quick' : ''}\` on ${results.startedAt.toISOString()} (${fixed0(results.seconds)} s).`,
    ...(results.quick
      ? ['', '**Quick run: fewer repetitions than a full run; not a result.**']
      : []),
    '',
    '## Machine',
    '',
    `- CPU: ${machine.cpu}, ${machine.cores} cores available; memory ${machine.memoryGiB} GiB`,
    `- OS: ${machine.os}`,
    `- Load average (1 min) at the start ${fixed(results.loadAverage[0], 2)}, at the end ${fixed(results.loadAverage[1], 2)}: anything else running on the machine adds noise to the timings (handler and floor runs are interleaved so that it lands on both)`,
    `- Node.js ${results.runtimes.map((rt) => rt.version).join(' and ')}, the npm registry's builds (\`scripts/node-runtimes.ts\`); the bench itself runs on ${machine.node}. The function deploys as \`${builds.runtime}\` on \`${builds.architecture}\`: absolute figures differ there, the ratios are what is compared`,
    `- ${Object.entries(machine.packages)
      .map(([name, version]) => `${name} ${version}`)
      .join(', ')}`,
    '',
    '## Ratios to the floor',
    '',
    summaryTable(judged),
    '',
    missed.length === 0 ? 'Every target met.' : `**Targets missed: ${missed.join(', ')}.**`,
    '',
    ...judged.flatMap((j) => [`## Figures on Node.js ${j.results.version}`, '', table(j.rows), '']),
    '## How each figure is taken',
    '',
    `1. **Bundle.** The handler is the package's prebuilt asset (\`npm run build\` writes \`dist/handler/index.mjs\`, \`scripts/handler-bundle.ts\`), read back from the cloud assembly of the stack of \`bin/app.ts\` synthesized into \`${relative(PROJECT_ROOT, join(BUILD_DIR, 'cdk.out'))}\`: exactly what \`cdk deploy\` zips and uploads (${builds.assetMatchesPackage ? 'byte-identical to' : '**not** identical to'} \`dist/handler/index.mjs\`). The floor (\`bench/floor/handler.ts\`: imports \`DynamoDBClient\`, \`SNSClient\`, \`SecretsManagerClient\` and constructs one of each with the handler's client options) is bundled with the same common esbuild options (\`COMMON_OPTIONS\`: ESM, minified, node24 target, the SDK inside, an external source map nobody loads) and keeps the SDK's default credential chain, as anyone would write it. "With SDK defaults" is \`lambda/handler.ts\` bundled without the package's two choices: the SDK's default credential chain instead of the environment-only provider, and a linked source map. The primary figure is \`index.mjs\`.`,
    `2. **Cold load.** Each sample is a fresh \`node\` process of the version named importing the bundle by file URL with the handler's environment (table, ${'`TOPIC_ARNS`'} with the 12 Vault types and \`"*"\`, secret id, region, static fake credentials), so the handler composes for real (configuration read, three clients constructed). The handler runs with the synthesized function's \`NODE_OPTIONS\` (${options}), the floor with none, the handler with SDK defaults with \`${SDK_DEFAULTS_NODE_OPTIONS}\`. ${settings.coldLoadProcesses} processes per bundle and version, all six interleaved in rotated order, after one untimed import of each; medians. The first, untimed process of each also sends one request without a signature, which makes no AWS call: the handler answered ${first.coldLoad.handler.probeStatus ?? 'nothing'} (401 means it composed; a misconfigured one answers 500), the floor ${first.coldLoad.floor.probeStatus ?? 'nothing'}.`,
    `3. **Warm CPU.** Each event is a fresh \`vault.connection.created\` (new \`event_id\`, \`occurred_at\` now), pretty-printed as on the wire and signed with the key the canned secret holds, made before its block is timed. The floor handler (\`bench/floor/calls.ts\`) sends the same SDK calls (one \`GetSecretValue\`, then \`PutItem\` + \`Publish\` + \`UpdateItem\` per event, inputs of the same shape) and nothing else. Both handlers run in one process, in ${settings.cpuProcesses} fresh processes per Node.js version: the first event of one of them (which one alternates by process), ${int(settings.cpuWarmup)} warm-up events each, then blocks of ${settings.cpuBlockSize} events, alternating handler and floor (ABBA); \`process.cpuUsage()\` and wall time around each block. Short alternating blocks put whatever else the machine does on both (one-second blocks on this machine moved by ±40 % from one to the next); the ratio is the handler's total CPU over the floor's. Log and EMF lines go through the real stdout sink to /dev/null (the child's stdout). **As deployed** (the verdict): the handler is the asset from the cloud assembly and the floor \`bench/floor/deployed.ts\` bundled with the same esbuild options, each imported as Lambda imports it, so each runs its own copy of the SDK with the Node.js HTTP handler, keep-alive connections and the function's environment; \`AWS_ENDPOINT_URL\` points both at \`bench/per-event/canned-aws-server.ts\`, which answers every call with the same canned response in the service's protocol from a process of its own, so its CPU is not counted. Plain HTTP: on AWS the calls are HTTPS, whose encryption adds to both sides. **Stubbed HTTP** (information): the sources under tsx, the receiver from \`composeApiGatewayHandler\` (\`lambda/compose-api-gateway-handler.ts\`) on clients from \`createAwsClients()\` whose HTTP layer is replaced in-process by the same canned answers with stream bodies, the floor on clients of the same kind: no sockets and no HTTP client, so it shows the handler's work against the SDK's alone. Calls answered in the first stubbed process: handler ${calls('handler')}; floor ${calls('floor')}.`,
    `4. **Memory.** One fresh process per handler (the two at once), \`node --expose-gc\`: \`process.memoryUsage()\` after two \`global.gc()\` calls, after ${settings.memoryCheckpoints.map(int).join(', ')} events (events signed in batches of 100 as the run goes); "the end" is the median of the last three reads. RSS grows in every process during the first few hundred events, the floor's as much: V8 enlarges its young generation as allocation goes on, and pages once touched stay resident; from one read to the next RSS also moves by several MiB. So the RSS ratio is shown for both, and the verdict holds the handler's RSS at the end against the floor's (≤ ${TARGETS.rssOverFloor}×) and looks for a leak where it would show: the heap left after a full collection, from ${int(settings.memoryCheckpoints[1] ?? 0)} events to the end (${int((settings.memoryCheckpoints.at(-1) ?? 0) - (settings.memoryCheckpoints[1] ?? 0))} events), may grow by no more than the floor's does over the same events plus ${TARGETS.heapGrowthOverFloorMiB} MiB.`,
    `5. **End to end.** moto's server (\`tools/emulator\`), the receiver's table, topics and secret provisioned on it, and the deployed bundle imported in a fresh process of each version pointed at it (\`AWS_ENDPOINT_URL\`, credentials in the environment as Lambda passes them); ${'error' in e2e ? settings.endToEndEvents : e2e.events} sequential signed events after a first one, each timed around the handler call. ${'error' in e2e ? '' : `On ${first.version}: every answer \`published\`: ${e2e.published} of ${e2e.events + 1}; messages read back from the topics: ${e2e.delivered}; log + EMF lines written: ${e2e.logLines}. Emulator start ${fixed0(e2e.emulatorStartMs)} ms, bundle import ${fixed0(e2e.importMs)} ms.`}`,
    '',
    '## What the handler adds to the floor bundle',
    '',
    "From esbuild's metafiles of the same builds:",
    '',
    compositionTable(builds),
    '',
  ].join('\n');
}

/** What a run shows: the results file, the same tables for the console, and the targets missed. */
export function report(results: Results): {
  markdown: string;
  tables: string;
  /** The ratios to the floor, one line per Node.js version (what the README shows). */
  summary: string;
  missed: readonly string[];
} {
  const judged = results.runtimes.map((rt) => judge(results, rt));
  const tables = judged.map((j) => `\nNode.js ${j.results.version}\n${table(j.rows)}\n`);
  return {
    markdown: markdown(results, judged),
    tables: `${tables.join('')}\n${summaryTable(judged)}\n\n`,
    summary: summaryTable(judged),
    missed: judged.flatMap((j) => j.missed),
  };
}
