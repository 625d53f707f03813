import { defineConfig } from 'vitest/config';

/**
 * Five projects, all run by `npm test`:
 * - `unit`: pure modules, mocked clients, CDK assertions (cdk-nag included);
 * - `package`: the packed tarball installed into fresh TypeScript and JavaScript apps,
 *   and the jsii Python package from the same build in a Python CDK app, compared with
 *   the ready app (its Python environment, `.venv/python-cdk`, installed on the first run);
 * - `integration`: the real handler against an AWS API emulator over HTTP (the
 *   global setup starts moto's server unless `AWS_ENDPOINT_URL` names one);
 * - `reliability`: the scenarios and the hostile-input properties, small here;
 *   `npm run verify` runs them at full size (`RELIABILITY_SIZE=full`) and has
 *   the reporter write `docs/reliability.md` (`RELIABILITY_REPORT`);
 * - `scan`: checkov and cfn-lint over the synthesized template (their Python
 *   environment, `.venv/scan`, is installed on the first run).
 * The reliability scenarios measure leases and refresh intervals, so they run
 * after the other projects (`groupOrder`), not beside them.
 */
export default defineConfig({
  test: {
    reporters: ['default', './test/reliability/reporter.ts'],
    // Once for every project: the prebuilt handler the construct deploys.
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
          // npm pack, then the tarball installed into fresh apps and synthesized; and
          // jsii-pacmak's Python wheel from the same build, installed with aws-cdk-lib from
          // PyPI into `.venv/python-cdk`, a Python app synthesized and compared with the ready app.
          name: 'package',
          include: ['test/package/**/*.test.ts', 'test/python/**/*.test.ts'],
          // Packs once for the project's test files.
          globalSetup: ['test/package/pack.global-setup.ts'],
          testTimeout: 300_000,
          // The Python test's first run installs aws-cdk-lib, constructs and cdk-nag
          // (minutes on a loaded machine).
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'integration',
          include: ['test/integration/**/*.test.ts'],
          globalSetup: ['test/support/emulator-setup.ts'],
          testTimeout: 60_000,
          hookTimeout: 300_000,
          fileParallelism: false,
        },
      },
      {
        test: {
          name: 'scan',
          include: ['test/scan/**/*.test.ts'],
          testTimeout: 300_000,
          // The first run installs checkov and cfn-lint (about 2 minutes).
          hookTimeout: 600_000,
        },
      },
      {
        test: {
          name: 'reliability',
          include: ['test/reliability/**/*.test.ts'],
          globalSetup: ['test/support/emulator-setup.ts'],
          testTimeout: 600_000,
          hookTimeout: 300_000,
          fileParallelism: false,
          sequence: { groupOrder: 1 },
        },
      },
    ],
  },
});
