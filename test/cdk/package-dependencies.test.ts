import { readdirSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/synth.ts';

/** Every `.ts` file under a folder of the project. */
function sources(folder: string): string[] {
  return readdirSync(path.join(PROJECT_ROOT, folder), { recursive: true, withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.ts'))
    .map((entry) => path.join(entry.parentPath, entry.name));
}

/** Packages a file imports at run time (`import type` is erased and does not count). */
function runtimeImports(file: string): string[] {
  const code = readFileSync(file, 'utf8');
  const specifiers = [...code.matchAll(/^import\s+(?!type\s)[^'"]*?from\s+'([^']+)'/gm)].map(
    (match) => match[1] as string,
  );
  return specifiers
    .filter((specifier) => !specifier.startsWith('.') && !specifier.startsWith('node:'))
    .filter((specifier) => !builtinModules.includes(specifier))
    .map((specifier) =>
      specifier.startsWith('@')
        ? specifier.split('/').slice(0, 2).join('/')
        : (specifier.split('/')[0] as string),
    );
}

describe('package dependencies', () => {
  const pkg = JSON.parse(readFileSync(path.join(PROJECT_ROOT, 'package.json'), 'utf8')) as {
    dependencies?: Record<string, string>;
    peerDependencies?: Record<string, string>;
    devDependencies?: Record<string, string>;
  };
  const shipped = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const library = new Set(sources('lib').flatMap(runtimeImports));
  const readyApp = new Set(sources('bin').flatMap(runtimeImports));

  it('finds the packages the construct library and the ready app import', () => {
    expect([[...library].sort(), [...readyApp].sort()]).toEqual([
      ['aws-cdk-lib', 'constructs'],
      ['aws-cdk-lib', 'cdk-nag'],
    ]);
  });

  it('lists every package the construct library imports as a peer dependency or dependency', () => {
    expect([...library].filter((name) => !shipped.has(name))).toEqual([]);
  });

  it('ships no dependency of its own, so jsii needs nothing bundled', () => {
    expect(pkg.dependencies ?? {}).toEqual({});
  });

  it('lists what the ready app imports (it runs from a clone) among the development dependencies', () => {
    const installed = new Set([...shipped, ...Object.keys(pkg.devDependencies ?? {})]);
    expect([...readyApp].filter((name) => !installed.has(name))).toEqual([]);
  });
});
