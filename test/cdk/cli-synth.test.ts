import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, describe, expect, it } from 'vitest';
import { PROJECT_ROOT } from './support/synth.ts';

const run = promisify(execFile);

/**
 * A `cdk synth` (handler bundle, app, cdk-nag) takes 20-40 s on two idle cores
 * and over a minute on busy ones: the test waits as long as the command may run.
 */
const SYNTH_TIMEOUT_MS = 180_000;

/** The environment of a machine with no AWS configuration at all. */
function withoutAws(): NodeJS.ProcessEnv {
  const env = Object.fromEntries(
    Object.entries(process.env).filter(([name]) => !/^(AWS_|CDK_DEFAULT_)/.test(name)),
  );
  const empty = path.join(tmpdir(), 'no-aws-config');
  return {
    ...env,
    AWS_CONFIG_FILE: empty,
    AWS_SHARED_CREDENTIALS_FILE: empty,
    AWS_EC2_METADATA_DISABLED: 'true',
    CDK_DISABLE_VERSION_CHECK: 'true',
    CDK_DISABLE_CLI_TELEMETRY: 'true',
  };
}

describe('cdk synth', () => {
  const outdir = mkdtempSync(path.join(tmpdir(), 'apideck-webhooks-synth-'));
  afterAll(() => rmSync(outdir, { recursive: true, force: true }));

  it(
    'synthesizes the app offline, without AWS credentials, with cdk-nag passing',
    async () => {
      await run(
        'npx',
        ['cdk', 'synth', '--quiet', '--no-notices', '--no-version-reporting', '--output', outdir],
        { cwd: PROJECT_ROOT, env: withoutAws(), timeout: SYNTH_TIMEOUT_MS },
      );
      const templatePath = path.join(outdir, 'ApideckWebhooks.template.json');
      expect(existsSync(templatePath)).toBe(true);
      const template = JSON.parse(readFileSync(templatePath, 'utf8')) as { Outputs: object };
      expect(Object.keys(template.Outputs)).toContain('WebhookUrl');
    },
    SYNTH_TIMEOUT_MS,
  );

  it(
    'configures the ready app from -c context of the same names as the props',
    async () => {
      const configured = mkdtempSync(path.join(tmpdir(), 'apideck-webhooks-synth-context-'));
      try {
        await run(
          'npx',
          [
            'cdk',
            'synth',
            '--quiet',
            '--no-notices',
            '--no-version-reporting',
            '--output',
            configured,
            '-c',
            'alarmEmail=ops@example.com',
            '-c',
            'memorySizeMiB=512',
            '-c',
            'idempotencyRetention=P14D',
          ],
          { cwd: PROJECT_ROOT, env: withoutAws(), timeout: SYNTH_TIMEOUT_MS },
        );
        const template = readFileSync(
          path.join(configured, 'ApideckWebhooks.template.json'),
          'utf8',
        );
        const resources = Object.values(
          (
            JSON.parse(template) as {
              Resources: Record<string, { Type: string; Properties: Record<string, unknown> }>;
            }
          ).Resources,
        );
        expect(resources).toContainEqual(
          expect.objectContaining({
            Type: 'AWS::SNS::Subscription',
            Properties: expect.objectContaining({ Protocol: 'email', Endpoint: 'ops@example.com' }),
          }),
        );
        const fn = resources.find((resource) => resource.Type === 'AWS::Lambda::Function');
        expect(fn?.Properties).toMatchObject({
          MemorySize: 512,
          Environment: { Variables: expect.objectContaining({ IDEMPOTENCY_RETENTION_DAYS: '14' }) },
        });
      } finally {
        rmSync(configured, { recursive: true, force: true });
      }
    },
    SYNTH_TIMEOUT_MS,
  );
});
