import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/synth.ts';

/** Relative imports of every `.ts` file under the folders, as project-relative paths. */
function importGraph(folders: readonly string[]): Map<string, string[]> {
  const graph = new Map<string, string[]>();
  for (const folder of folders) {
    const entries = readdirSync(path.join(PROJECT_ROOT, folder), {
      recursive: true,
      withFileTypes: true,
    });
    for (const entry of entries) {
      if (!entry.isFile() || !entry.name.endsWith('.ts')) continue;
      const file = path.join(entry.parentPath, entry.name);
      const imports = [...readFileSync(file, 'utf8').matchAll(/from '(\.[^']+)'/g)].map((match) =>
        path.relative(PROJECT_ROOT, path.resolve(path.dirname(file), match[1] as string)),
      );
      graph.set(path.relative(PROJECT_ROOT, file), imports);
    }
  }
  return graph;
}

/** Every cycle reachable in the graph, each as the path that closes it. */
function cycles(graph: Map<string, string[]>): string[][] {
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
