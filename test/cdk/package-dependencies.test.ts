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
  };
  const installed = new Set([
    ...Object.keys(pkg.dependencies ?? {}),
    ...Object.keys(pkg.peerDependencies ?? {}),
  ]);
  const used = new Set(['lib', 'bin'].flatMap(sources).flatMap(runtimeImports));

  it('finds the packages the construct and the ready app import', () => {
    expect([...used]).toEqual(expect.arrayContaining(['aws-cdk-lib', 'constructs', 'cdk-nag']));
  });

  it('lists every package the construct and the ready app import at synth as a dependency', () => {
    expect([...used].filter((name) => !installed.has(name))).toEqual([]);
  });
});
