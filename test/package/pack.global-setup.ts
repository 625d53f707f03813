/**
 * Packs the package once for every test of the `package` project (`npm pack`
 * runs the full build in a copy of the sources): the consumer apps install the
 * tarball, the generated-docs test reads the copy's assembly and references.
 */
import type { TestProject } from 'vitest/node';
import { type PackResult, packPackage } from './consumer-app.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    packed: PackResult;
  }
}

export default function setup(project: TestProject): void {
  project.provide('packed', packPackage());
}
