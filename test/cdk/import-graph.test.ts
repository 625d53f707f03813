import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/synth.ts';

/**
 * Which top-level folder may import which: dependencies flow one way, from the
 * tools and tests on top down to the shared contract under `lambda/`. A folder
 * missing here fails the test until it is given its place.
 */
const MAY_IMPORT: Readonly<Record<string, readonly string[]>> = {
  /** The function and the shared contract: the bottom. */
  lambda: [],
  /** The subscriber's runtime kit: the contract only, no CDK. */
  consumer: ['lambda'],
  /** The constructs: the shared contract under `lambda/contract` (see below). */
  lib: ['lambda'],
  /** The ready app. */
  bin: ['lib', 'lambda'],
  /** The shipped command line. */
  cli: ['lambda', 'lib'],
  /** The build. */
  scripts: ['lambda', 'consumer', 'lib'],
  /** The local pipeline, the emulator harness and the stand-ins. */
  tools: ['lambda'],
  /** The benchmarks, on top. */
  bench: ['lambda', 'lib', 'scripts', 'tools'],
  /** The tests, on top. */
  test: ['lambda', 'consumer', 'lib', 'bin', 'cli', 'scripts', 'tools'],
};

const SOURCE = /\.(ts|mts|tsx)$/;
const NOT_SOURCE_FOLDERS = new Set(['node_modules', 'dist', 'cdk.out', 'docs']);

/** A module's relative import specifiers: static, re-exports, side-effect and dynamic imports. */
function relativeSpecifiers(source: string): string[] {
  return [...source.matchAll(/(?:\bfrom|\bimport)\s*\(?\s*'(\.[^']+)'/g)].map(
    (match) => match[1] as string,
  );
}

/** Relative imports of every source file under the folders, as project-relative paths. */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    const entries = readdirSync(path.join(PROJECT_ROOT, folder), {
      recursive: true,
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (!entry.isFile() || !SOURCE.test(entry.name)) continue;
      const file = path.join(entry.parentPath, entry.name);
      const relative = path.relative(PROJECT_ROOT, file);
      if (
        relative.split(path.sep).some((part) => part.startsWith('.') || part === 'node_modules')
      ) {
        continue;
      }
      const imports = relativeSpecifiers(readFileSync(file, 'utf8')).map((specifier) =>
        path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), specifier)),
      );
      graph.set(relative, imports);
    }
  }
  return graph;
}

/** Every cycle reachable in the graph, each as the path that closes it. */
function cycles(graph: ReadonlyMap<string, readonly string[]>): string[][] {
  const found: string[][] = [];
  const state = new Map<string, 'open' | 'done'>();
  const visit = (file: string, trail: string[]): void => {
    state.set(file, 'open');
    for (const next of graph.get(file) ?? []) {
      if (state.get(next) === 'open') found.push([...trail.slice(trail.indexOf(next)), file, next]);
      else if (!state.has(next) && graph.has(next)) visit(next, [...trail, file]);
    }
    state.set(file, 'done');
  };
  for (const file of graph.keys()) if (!state.has(file)) visit(file, []);
  return found;
}

/** The top-level folders of the project that hold source files. */
function sourceFolders(): string[] {
  return readdirSync(PROJECT_ROOT, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .filter((name) => !name.startsWith('.') && !NOT_SOURCE_FOLDERS.has(name))
    .filter((name) =>
      readdirSync(path.join(PROJECT_ROOT, name), { recursive: true, encoding: 'utf8' }).some(
        (file) => SOURCE.test(file) && !file.split(path.sep).includes('node_modules'),
      ),
    );
}

const topFolder = (file: string): string => file.split(path.sep)[0] as string;

/** Imports that leave the importing file's top-level folder for one it may not import. */
function forbiddenImports(graph: ReadonlyMap<string, readonly string[]>): string[] {
  return [...graph.entries()].flatMap(([file, imports]) => {
    const from = topFolder(file);
    return imports
      .filter((target) => topFolder(target) !== from)
      .filter((target) => !(MAY_IMPORT[from] ?? []).includes(topFolder(target)))
      .map((target) => `${file} -> ${target}`);
  });
}

describe('the top-level folders', () => {
  const folders = sourceFolders();
  const graph = importGraph(folders);

  it('each have their place in the import rule', () => {
    expect(folders).toEqual(expect.arrayContaining(['lambda', 'lib', 'test', 'tools']));
    expect(folders.filter((folder) => !(folder in MAY_IMPORT))).toEqual([]);
  });

  it('import only the folders below them', () => {
    expect(graph.size).toBeGreaterThan(200);
    expect(forbiddenImports(graph)).toEqual([]);
  });

  it('are ranked by the rule without a circle', () => {
    const ranked = new Map(Object.entries(MAY_IMPORT).map(([from, to]) => [from, [...to]]));
    expect(cycles(ranked)).toEqual([]);
  });

  it('name an upward import as forbidden (scripts importing the tests)', () => {
    const upward = new Map([
      ['scripts/x.ts', ['test/support/y.ts', 'lib/z.ts']],
      ['lambda/a.ts', ['lambda/b.ts']],
    ]);
    expect(forbiddenImports(upward)).toEqual(['scripts/x.ts -> test/support/y.ts']);
  });
});

/** The imports whose target does not match `allowed`, as `file -> target`. */
function importsOutside(graph: Map<string, string[]>, allowed: RegExp): string[] {
  return [...graph.entries()].flatMap(([file, imports]) =>
    imports.filter((target) => !allowed.test(target)).map((target) => `${file} -> ${target}`),
  );
}

describe('the import graph of the construct', () => {
  const graph = importGraph(['lib', 'bin', 'lambda/contract']);

  it('has no cycle', () => {
    expect(graph.size).toBeGreaterThan(20);
    expect(cycles(graph)).toEqual([]);
  });

  it('imports from the shared contract, never from the handler, tools, tests or benchmarks', () => {
    expect(importsOutside(graph, /^(lib|bin|lambda\/contract)\//)).toEqual([]);
  });

  it('keeps the shared contract free of imports from lib', () => {
    const upward = [...graph.entries()]
      .filter(([file]) => file.startsWith('lambda/contract/'))
      .flatMap(([file, imports]) =>
        imports
          .filter((target) => !target.startsWith('lambda/contract/'))
          .map((t) => `${file} -> ${t}`),
      );
    expect(upward).toEqual([]);
  });
});

/** Package (non-relative) imports of every `.ts` file under the folder. */
function packageImports(folder: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .flatMap((entry) => {
      const file = path.join(entry.parentPath, entry.name);
      return [...readFileSync(file, 'utf8').matchAll(/from '([^.'][^']*)'/g)].map(
        (match) => `${path.relative(PROJECT_ROOT, file)} -> ${match[1] as string}`,
      );
    });
}

describe('the import graph of the consumer kit', () => {
  const graph = importGraph(['consumer', 'lambda/contract']);

  it('has no cycle', () => {
    expect(graph.size).toBeGreaterThan(5);
    expect(cycles(graph)).toEqual([]);
  });

  it('imports from itself and the shared contract only', () => {
    expect(importsOutside(graph, /^(consumer|lambda\/contract)\//)).toEqual([]);
  });

  it('imports nothing from the CDK', () => {
    const imports = packageImports('consumer');
    expect(imports.length).toBeGreaterThan(0);
    expect(
      imports.filter((line) => / -> (aws-cdk-lib|constructs|cdk-nag)(\/|$)/.test(line)),
    ).toEqual([]);
  });
});
