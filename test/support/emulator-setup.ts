/**
 * Starts one emulator for a project's run (or uses `AWS_ENDPOINT_URL`)
 * and hands its address to the tests through `inject`.
 */
import type { TestProject } from 'vitest/node';
import { startEmulator } from '../../tools/emulator/index.ts';

declare module 'vitest' {
  interface ProvidedContext {
    /** Base URL of the AWS API emulator. */
    emulatorEndpoint: string;
    /** Region to sign requests for. */
    emulatorRegion: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const emulator = await startEmulator();
  project.provide('emulatorEndpoint', emulator.endpoint);
  project.provide('emulatorRegion', emulator.region);
  return () => emulator.stop();
}
