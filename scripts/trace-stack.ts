/**
 * `npm run trace-stack < stack.txt`: maps a stack trace logged by the deployed
 * function (frames in the minified `index.mjs`) back to the source lines,
 * offline, through the asset's source map (`dist/sourcemap/index.mjs.map`, or
 * `--map <file>`). The function runs without `--enable-source-maps`, which
 * would make Node.js read and parse the map at every cold start; this command
 * pays that cost only when someone reads a stack.
 *
 * Accepts the stack as Node.js prints it (`at fn (file:///var/task/index.mjs:1:2345)`)
 * or as the Lambda runtime logs it (a JSON `stack` array); frames outside
 * `index.mjs` pass through unchanged.
 */
import { readFileSync } from 'node:fs';
import { SourceMap, type SourceMapPayload } from 'node:module';
import { relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { HANDLER_SOURCE_MAP, PROJECT_ROOT } from './handler-bundle.ts';

/** `index.mjs:line:column` inside a frame (1-based line and column, as Node.js prints them). */
const BUNDLE_FRAME = /(?:[^\s()]*\/)?index\.mjs:(\d+):(\d+)/g;

/** A frame mapped back to its source. */
export interface MappedPosition {
  readonly source: string;
  readonly line: number;
  readonly column: number;
}

/** Maps bundle positions to sources with one parsed map. */
export class StackTracer {
  readonly #map: SourceMap;

  constructor(payload: SourceMapPayload) {
    this.#map = new SourceMap(payload);
  }

  /** Reads a map file (the asset's by default). */
  static fromFile(file: string = HANDLER_SOURCE_MAP): StackTracer {
    return new StackTracer(JSON.parse(readFileSync(file, 'utf8')) as SourceMapPayload);
  }

  /** The source position of a 1-based line and column of `index.mjs`, if the map covers it. */
  position(line: number, column: number): MappedPosition | undefined {
    const entry = this.#map.findEntry(line - 1, column - 1);
    if (!('originalSource' in entry)) return undefined;
    return {
      source: sourcePath(entry.originalSource),
      line: entry.originalLine + 1,
      column: entry.originalColumn + 1,
    };
  }

  /** The stack with each `index.mjs:l:c` replaced by `source:line:column`. */
  trace(stack: string): string {
    const text = stackText(stack);
    return text.replace(BUNDLE_FRAME, (frame, line: string, column: string) => {
      const mapped = this.position(Number(line), Number(column));
      if (mapped === undefined) return frame;
      return `${mapped.source}:${mapped.line}:${mapped.column}`;
    });
  }
}

/** A map source as a path from the repository root (the map lies two folders below it). */
function sourcePath(source: string): string {
  if (source.startsWith('file:')) return relative(PROJECT_ROOT, fileURLToPath(source));
  return source.replace(/^(?:\.\.\/)+/, '');
}

/** The stack from a runtime log line (`{"stack": [...]}`) or plain text. */
function stackText(input: string): string {
  const trimmed = input.trim();
  if (trimmed.startsWith('{')) {
    try {
      const parsed = JSON.parse(trimmed) as { stack?: unknown; errorMessage?: unknown };
      if (Array.isArray(parsed.stack)) return parsed.stack.map(String).join('\n');
      if (typeof parsed.stack === 'string') return parsed.stack;
    } catch {
      // Not JSON after all: map the text as it is.
    }
  }
  return input;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { map: { type: 'string' } } });
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  const tracer = StackTracer.fromFile(values.map);
  process.stdout.write(`${tracer.trace(Buffer.concat(chunks).toString('utf8'))}\n`);
}

if (process.argv[1] === import.meta.filename) await main();
