/**
 * `npm run bench`: the receiver's cold start and per-event cost against the
 * floor (the three AWS SDK clients and nothing else), in one run. Prints a
 * table and writes `bench/results.md`. A benchmark, not a test: it exits 0 when
 * a target is missed, and says so. `--quick` runs far fewer repetitions (for
 * working on the bench itself) and writes `bench/.build/results.md` instead.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import { join, relative } from 'node:path';
import { parseArgs } from 'node:util';
import { NODE_RUNTIMES, type NodeMajor, nodeBinary } from '../scripts/node-runtimes.ts';
import { BUILD_DIR, buildBundles, PROJECT_ROOT, SDK_DEFAULTS_NODE_OPTIONS } from './build.ts';
import { forkChild, startCannedAwsServer } from './children.ts';
import { measureColdLoad } from './cold-load.ts';
import type { EndToEndResult } from './end-to-end.ts';
import { describeMachine } from './machine.ts';
import type { CpuResult, MemoryResult, Variant } from './per-event/child.ts';
import {
  type ColdBundle,
  type Results,
  type RuntimeResults,
  report,
  type Settings,
} from './report.ts';

const FULL: Settings = {
  coldLoadProcesses: 25,
  cpuProcesses: 4,
  cpuWarmup: 500,
  cpuBlocks: 200,
  cpuBlockSize: 25,
  deployedBlocks: 80,
  memoryCheckpoints: [100, 1_000, 9_000, 9_500, 10_000],
  endToEndEvents: 500,
};

const QUICK: Settings = {
  coldLoadProcesses: 5,
  cpuProcesses: 2,
  cpuWarmup: 200,
  cpuBlocks: 20,
  cpuBlockSize: 25,
  deployedBlocks: 20,
  memoryCheckpoints: [100, 500, 800, 900, 1_000],
  endToEndEvents: 50,
};

/** The versions measured, the function's runtime first. */
const MAJORS: readonly NodeMajor[] = [24, 22];

const PER_EVENT = 'per-event/child.ts';

const COLD_BUNDLES: readonly ColdBundle[] = ['handler', 'floor', 'sdkDefaults'];

const log = (line: string): void => {
  process.stderr.write(`${line}\n`);
};

async function measure(settings: Settings, quick: boolean): Promise<Results> {
  const startedAt = new Date();
  const t0 = performance.now();
  const machine = describeMachine(PROJECT_ROOT);
  const loadAtStart = os.loadavg()[0] ?? 0;

  log(
    'bench: 1/5 building the asset, the floor and the handler with SDK defaults; synthesizing the stack…',
  );
  const builds = await buildBundles();
  const nodes = MAJORS.map((major) => ({ major, node: nodeBinary(major) }));

  log(
    `bench: 2/5 cold load, ${settings.coldLoadProcesses} fresh processes per bundle and Node.js version…`,
  );
  const nodeOptions = {
    handler: builds.nodeOptions,
    floor: '',
    sdkDefaults: SDK_DEFAULTS_NODE_OPTIONS,
  };
  // One call for all six, so that their processes interleave.
  const coldLoad = await measureColdLoad(
    nodes.flatMap(({ major, node }) =>
      COLD_BUNDLES.map((name) => ({
        name: `${name}@${major}`,
        file: builds[name].file,
        nodeOptions: nodeOptions[name],
        node,
      })),
    ),
    settings.coldLoadProcesses,
  );
  const coldFigure = (name: string) => {
    const figure = coldLoad.find((f) => f.name === name);
    if (figure === undefined) throw new Error(`no cold-load figure ${name}`);
    return figure;
  };

  const perHandler = settings.cpuBlocks * settings.cpuBlockSize;
  log(
    `bench: 3/5 warm CPU, ${settings.cpuProcesses} processes × ${perHandler} events per handler and version, stubbed HTTP and then as deployed…`,
  );
  const cpu = new Map<NodeMajor, CpuResult[]>(nodes.map(({ major }) => [major, []]));
  for (let round = 0; round < settings.cpuProcesses; round++) {
    const first = round % 2 === 0 ? 'handler' : 'floor';
    for (const { major, node } of nodes) {
      const { cpuWarmup, cpuBlocks, cpuBlockSize } = settings;
      const args = ['cpu', first, cpuWarmup, cpuBlocks, cpuBlockSize];
      cpu.get(major)?.push(await forkChild<CpuResult>(PER_EVENT, args, { node, stdout: 'ignore' }));
    }
  }
  // The two bundles in one process, each on its own SDK and HTTP client, against one server.
  const server = await startCannedAwsServer();
  const deployed = new Map<NodeMajor, { runs: CpuResult[]; calls: Record<string, number> }>();
  try {
    for (const { major, node } of nodes) {
      const before = await server.calls();
      const runs: CpuResult[] = [];
      for (let round = 0; round < settings.cpuProcesses; round++) {
        const first = round % 2 === 0 ? 'handler' : 'floor';
        const { cpuWarmup, deployedBlocks, cpuBlockSize } = settings;
        const files = [builds.handler.file, builds.floorCalls.file];
        const args = ['deployed', first, cpuWarmup, deployedBlocks, cpuBlockSize, ...files];
        const env = { AWS_ENDPOINT_URL: server.endpoint };
        runs.push(await forkChild<CpuResult>(PER_EVENT, args, { node, env, stdout: 'ignore' }));
      }
      const after = await server.calls();
      const calls = Object.fromEntries(
        Object.entries(after).map(([name, n]) => [name, n - (before[name] ?? 0)]),
      );
      deployed.set(major, { runs, calls });
    }
  } finally {
    server.stop();
  }

  log(`bench: 4/5 memory after ${settings.memoryCheckpoints.join(', ')} events…`);
  const memory = new Map<NodeMajor, RuntimeResults['memory']>();
  for (const { major, node } of nodes) {
    // Both at once, one per core: memory is not timed.
    const memoryOf = (variant: Variant) =>
      forkChild<MemoryResult>(PER_EVENT, ['memory', variant, ...settings.memoryCheckpoints], {
        node,
        execArgv: ['--expose-gc'],
        stdout: 'ignore',
      });
    const [handler, floor] = await Promise.all([memoryOf('handler'), memoryOf('floor')]);
    memory.set(major, { handler, floor });
  }

  log(`bench: 5/5 end to end against the emulator, ${settings.endToEndEvents} events…`);
  // startEmulator uses an emulator already running there instead of starting moto.
  const endpoint = process.env.AWS_ENDPOINT_URL;
  const env = endpoint ? { AWS_ENDPOINT_URL: endpoint } : {};
  const runtimes: RuntimeResults[] = [];
  for (const { major, node } of nodes) {
    let endToEnd: RuntimeResults['endToEnd'];
    try {
      const args = [builds.handler.file, settings.endToEndEvents];
      endToEnd = await forkChild<EndToEndResult>('end-to-end.ts', args, {
        node,
        env,
        stdout: 'inherit',
      });
    } catch (error) {
      endToEnd = { error: error instanceof Error ? error.message : String(error) };
    }
    const own = memory.get(major);
    if (own === undefined) throw new Error(`no memory figures for Node.js ${major}`);
    runtimes.push({
      major,
      version: NODE_RUNTIMES[major],
      coldLoad: {
        handler: coldFigure(`handler@${major}`),
        floor: coldFigure(`floor@${major}`),
        sdkDefaults: coldFigure(`sdkDefaults@${major}`),
      },
      cpu: cpu.get(major) ?? [],
      deployed: deployed.get(major) ?? { runs: [], calls: {} },
      memory: own,
      endToEnd,
    });
  }

  const seconds = (performance.now() - t0) / 1000;
  const loadAverage = [loadAtStart, os.loadavg()[0] ?? 0] as const;
  return { settings, quick, machine, startedAt, seconds, loadAverage, builds, runtimes };
}

/** The README's copy of the ratios, between these markers, is replaced by every full run. */
const README_START = '<!-- bench:ratios -->';
const README_END = '<!-- /bench:ratios -->';

function writeReadmeRatios(summary: string, startedAt: string): string {
  const file = join(PROJECT_ROOT, 'README.md');
  const text = readFileSync(file, 'utf8');
  const start = text.indexOf(README_START);
  const end = text.indexOf(README_END);
  if (start < 0 || end < start) throw new Error(`README.md has no ${README_START} block`);
  const block = `${README_START}\n${summary}\n\n(\`npm run bench\`, ${startedAt})\n`;
  writeFileSync(file, text.slice(0, start) + block + text.slice(end));
  return file;
}

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false } } });
const quick = values.quick === true;
const results = await measure(quick ? QUICK : FULL, quick);
const { markdown, tables, summary, missed } = report(results);
const file = quick ? join(BUILD_DIR, 'results.md') : join(import.meta.dirname, 'results.md');
mkdirSync(BUILD_DIR, { recursive: true });
writeFileSync(file, markdown);
if (!quick) {
  const readme = writeReadmeRatios(summary, results.startedAt.toISOString().slice(0, 16));
  process.stdout.write(`bench: wrote the ratios into ${relative(process.cwd(), readme)}\n`);
}
process.stdout.write(tables);
process.stdout.write(
  missed.length === 0
    ? 'bench: every target met.\n'
    : `bench: TARGET MISSED: ${missed.join(', ')}\n`,
);
process.stdout.write(`bench: wrote ${relative(process.cwd(), file)}\n`);
