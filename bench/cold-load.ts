/**
 * Cold load: how long a fresh Node.js process takes to import a bundle, which
 * is what the Lambda runtime does on a cold start before the first event (for
 * the handler: read the configuration, construct the three SDK clients).
 *
 * Each sample is a new `node` process (not tsx) that imports the bundle by
 * file URL and reports the import's duration and the time since the process
 * started. Bundles are run in rounds, one process each per round, in an order
 * rotated every round, so that drift on the machine spreads over all of them.
 */
import { pathToFileURL } from 'node:url';
import { evalModule } from '../scripts/node-runtimes.ts';
import { childEnvironment } from './environment.ts';
import { median } from './stats.ts';

/** A bundle to import, the `node` binary and the `NODE_OPTIONS` to import it with. */
export interface ColdLoadSubject {
  readonly name: string;
  readonly file: string;
  readonly nodeOptions: string;
  readonly node: string;
}

/** The timings of one import, in milliseconds. */
interface Timings {
  /** `await import(bundle)`, wall time measured inside the process. */
  readonly importMs: number;
  /** CPU time (user + system, all threads) of the same import: less sensitive to a busy machine. */
  readonly importCpuMs: number;
  /** Process start to the bundle imported (Node.js's own start included). */
  readonly readyMs: number;
  /** Spawn to exit, measured by the parent. */
  readonly wallMs: number;
}

const TIMINGS = ['importMs', 'importCpuMs', 'readyMs', 'wallMs'] as const;

/** Medians over the processes of one subject. */
export interface ColdLoadFigures extends Timings {
  readonly name: string;
  readonly processes: number;
  /** Status of an unsigned request in the untimed first process (401 when the handler composed). */
  readonly probeStatus: number | undefined;
}

/** With `probe`: the status of one request without a signature (no AWS call is made). */
type Sample = Timings & { readonly probeStatus?: number };

const LOADER = [
  'const cpu = process.cpuUsage();',
  'const started = performance.now();',
  'const module = await import(process.env.BENCH_BUNDLE_URL);',
  'const imported = performance.now();',
  'const used = process.cpuUsage(cpu);',
  "if (typeof module.handler !== 'function') throw new Error('the bundle exports no handler');",
  'const importCpuMs = (used.user + used.system) / 1000;',
  'let probeStatus;',
  "if (process.env.BENCH_PROBE === '1') {",
  "  const context = { awsRequestId: 'probe', getRemainingTimeInMillis: () => 9000 };",
  "  probeStatus = (await module.handler({ headers: {}, body: '{}', isBase64Encoded: false }, context)).statusCode;",
  '}',
  "process.stdout.write('\\nBENCH ' + JSON.stringify({ importMs: imported - started, importCpuMs, readyMs: imported, probeStatus }) + '\\n');",
].join('\n');

async function sample(subject: ColdLoadSubject, probe = false): Promise<Sample> {
  const started = process.hrtime.bigint();
  const { code, stdout, stderr } = await evalModule(
    subject.node,
    LOADER,
    childEnvironment({
      BENCH_BUNDLE_URL: pathToFileURL(subject.file).href,
      BENCH_PROBE: probe ? '1' : '0',
      ...(subject.nodeOptions === '' ? {} : { NODE_OPTIONS: subject.nodeOptions }),
    }),
  );
  const wallMs = Number(process.hrtime.bigint() - started) / 1e6;
  if (code !== 0) throw new Error(`importing ${subject.file} failed (code ${code}):\n${stderr}`);
  const line = stdout.split('\n').find((text) => text.startsWith('BENCH '));
  if (line === undefined) {
    throw new Error(`importing ${subject.file} printed no result:\n${stdout}\n${stderr}`);
  }
  const parsed = JSON.parse(line.slice('BENCH '.length)) as Omit<Sample, 'wallMs'>;
  return { ...parsed, wallMs };
}

/** Imports every subject in `processes` fresh processes each, interleaved; medians per subject. */
export async function measureColdLoad(
  subjects: readonly ColdLoadSubject[],
  processes: number,
): Promise<ColdLoadFigures[]> {
  const samples = subjects.map((): Sample[] => []);
  // One untimed import of each first, which also puts the files into the page
  // cache: a request without a signature must get the handler's 401 (the floor's
  // 200), never the 500 of a misconfigured handler.
  const probes: Record<string, number | undefined> = {};
  for (const subject of subjects) probes[subject.name] = (await sample(subject, true)).probeStatus;
  for (let round = 0; round < processes; round++) {
    for (let i = 0; i < subjects.length; i++) {
      const index = (i + round) % subjects.length;
      const subject = subjects[index];
      if (subject === undefined) continue;
      samples[index]?.push(await sample(subject));
    }
  }
  return subjects.map((subject, index) => {
    const own = samples[index] ?? [];
    const medians = Object.fromEntries(TIMINGS.map((key) => [key, median(own.map((s) => s[key]))]));
    return {
      ...(medians as Record<keyof Timings, number>),
      name: subject.name,
      processes: own.length,
      probeStatus: probes[subject.name],
    };
  });
}
