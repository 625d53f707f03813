import { defineConfig } from 'vitest/config';

/**
 * Two projects: `unit` (pure modules, mocked clients, CDK assertions) and
 * `integration` (the real handler against an AWS API emulator over HTTP; the
 * global setup starts moto's server unless `AWS_ENDPOINT_URL` names one).
 */
export default defineConfig({
  test: {
    // Once for both projects: the prebuilt handler the construct deploys.
    globalSetup: ['test/support/handler-asset.global-setup.ts'],
    projects: [
      {
        test: {
          name: 'unit',
          include: ['test/unit/**/*.test.ts', 'test/cdk/**/*.test.ts'],
          testTimeout: 60_000,
          // CDK tests synthesize in beforeAll; on 2 busy cores that can take tens of seconds.
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          // npm pack, then the tarball installed into fresh apps and synthesized.
          name: 'package',
          include: ['test/package/**/*.test.ts'],
          testTimeout: 300_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/integration/global-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
    ],
  },
});
