/**
 * `npx apideck-webhooks trace-stack < stack.txt`: maps a stack trace logged by
 * the deployed function (frames in the minified `index.mjs`) back to the source
 * lines, offline, through the source map the package ships beside the asset
 * (`dist/sourcemap/index.mjs.map`, or `--map <file>`). The function runs
 * without `--enable-source-maps`, which would make Node.js read and parse the
 * map at every cold start; this command pays that cost only when someone reads
 * a stack.
 *
 * Accepts the stack as Node.js prints it (`at fn (file:///var/task/index.mjs:1:2345)`)
 * or as the Lambda runtime logs it (a JSON `stack` array); frames outside
 * `index.mjs` pass through unchanged.
 */
import { existsSync, readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const USAGE = `usage: npx apideck-webhooks trace-stack [--map <file>] < stack.txt
       (in this repository: npm run trace-stack < stack.txt)

Maps the frames of a stack the deployed function logged (index.mjs:line:column)
to source lines through the package's source map of the same build.

  --map   another source map (default: the one beside the packaged handler)`;

/** `index.mjs:line:column` inside a frame (1-based line and column, as Node.js prints them). */
const BUNDLE_FRAME = /(?:[^\s()]*\/)?index\.mjs:(\d+):(\d+)/g;

/**
 * The handler's map, wherever this module runs from: bundled into the package
 * (`dist/cli/index.mjs`) or from the sources (`cli/trace-stack.ts`).
 */
export function defaultSourceMap(): string {
  const candidates = [
    join(import.meta.dirname, '..', 'sourcemap', 'index.mjs.map'),
    join(import.meta.dirname, '..', 'dist', 'sourcemap', 'index.mjs.map'),
  ];
  const found = candidates.find((file) => existsSync(file));
  if (found === undefined) {
    throw new Error(`no source map at ${candidates.join(' or ')}: build first, or pass --map`);
  }
  return found;
}

/** A frame mapped back to its source. */
export interface MappedPosition {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

/** Maps bundle positions to sources with one parsed map. */
export class StackTracer {
  readonly #map: SourceMap;
  /** The repository root the map's sources are relative to (the map lies two folders below it). */
  readonly #root: string;

  constructor(payload: SourceMapPayload, mapFile: string) {
    this.#map = new SourceMap(payload);
    this.#root = join(dirname(mapFile), '..', '..');
  }

  /** Reads a map file (the packaged handler's by default). */
  static fromFile(file: string = defaultSourceMap()): StackTracer {
    return new StackTracer(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload, file);
  }

  /** The source position of a 1-based line and column of `index.mjs`, if the map covers it. */
  position(line: number, column: number): MappedPosition | undefined {
    const entry = this.#map.findEntry(line - 1, column - 1);
    if (!('originalSource' in entry)) return undefined;
    return {
      source: this.#sourcePath(entry.originalSource),
      line: entry.originalLine + 1,
      column: entry.originalColumn + 1,
    };
  }

  /** The stack with each `index.mjs:l:c` replaced by `source:line:column`. */
  trace(stack: string): string {
    return stackText(stack).replace(BUNDLE_FRAME, (frame, line: string, column: string) => {
      const mapped = this.position(Number(line), Number(column));
      return mapped === undefined ? frame : `${mapped.source}:${mapped.line}:${mapped.column}`;
    });
  }

  /** A map source as a path from the repository root. */
  #sourcePath(source: string): string {
    if (source.startsWith('file:')) return relative(this.#root, fileURLToPath(source));
    return source.replace(/^(?:\.\.\/)+/, '');
  }
}

/** The stack from a runtime log line (`{"stack": [...]}`) or plain text. */
function stackText(input: string): string {
  const trimmed = input.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { stack?: unknown };
      if (Array.isArray(parsed.stack)) return parsed.stack.map(String).join('\n');
      if (typeof parsed.stack === 'string') return parsed.stack;
    } catch {
      // Not JSON after all: map the text as it is.
    }
  }
  return input;
}

/** Runs `trace-stack` on `argv`, reading the stack from standard input; resolves to the exit code. */
export async function traceStackProcess(argv: readonly string[]): Promise<number> {
  let values: { map?: string | undefined; help?: boolean | undefined };
  try {
    ({ values } = parseArgs({
      args: [...argv],
      options: { map: { type: 'string' }, help: { type: 'boolean', short: 'h' } },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    console.error(
      `trace-stack: ${error instanceof Error ? error.message : String(error)}\n${USAGE}`,
    );
    return 1;
  }
  if (values.help === true) {
    console.log(USAGE);
    return 0;
  }
  let tracer: StackTracer;
  try {
    tracer = StackTracer.fromFile(values.map);
  } catch (error) {
    console.error(`trace-stack: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  process.stdout.write(`${tracer.trace(Buffer.concat(chunks).toString('utf8'))}\n`);
  return 0;
}
