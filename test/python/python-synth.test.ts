/**
 * The construct library from Python: jsii-pacmak's wheel installed beside the
 * pinned aws-cdk-lib, constructs and cdk-nag from PyPI, and a Python app
 * (./app/app.py) that builds what the ready app (bin/app.ts) builds from the
 * context below, synthesized with cdk-nag. Its template is compared with the
 * ready app's, resource by resource (./template-comparison.ts).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import {
  buildPythonPackage,
  ensureCdkVenv,
  installPackage,
  projectFeatureFlags,
  type Synthesis,
  synthPythonApp,
  synthReadyApp,
} from './python-app.ts';
import {
  compareTemplates,
  filterResources,
  resourceCounts,
} from './template-comparison.ts';

/**
 * The ready app's options, as CDK context (`-c key=value` or cdk.json): one of
 * each kind of value (list, Duration, number, boolean, enum, string, object)
 * so each crosses the jsii boundary; app.py sets the same in code.
 */
const READY_APP_CONTEXT = {
  eventTypes: ['vault.connection.created', 'vault.connection.revoked'],
  idempotencyRetention: 'P14D',
  throttlingRateLimit: 50,
  webApplicationFirewall: true,
  logRetention: 90,
  alarmEmail: 'ops@example.com',
  subscriptionHealth: { appId: 'python-app', checkInterval: 'PT30M' },
};

/** Construct ids that only the Python app has (its consumer), under the stack. */
const PYTHON_ONLY = new Set<string>([]);

function isPythonOnly(path: string): boolean {
  return PYTHON_ONLY.has(path.split('/')[1] ?? '');
}

let bin: string;
let python: Synthesis;
let ready: Synthesis;

beforeAll(async () => {
  const flags = projectFeatureFlags();
  const started = performance.now();
  const [venv, built] = await Promise.all([ensureCdkVenv(), buildPythonPackage()]);
  bin = venv;
  const venvSeconds = (performance.now() - started) / 1000;
  const install = await installPackage(bin, built.wheel);
  [python, ready] = await Promise.all([
    synthPythonApp(bin, flags),
    synthReadyApp({ ...flags, ...READY_APP_CONTEXT }),
  ]);
  process.stderr.write(
    `python: venv and jsii-pacmak ${venvSeconds.toFixed(1)} s (jsii-pacmak ${built.seconds.toFixed(1)} s), ` +
      `wheel install ${install.seconds.toFixed(1)} s, Python synth ${python.seconds.toFixed(1)} s, ` +
      `TypeScript synth ${ready.seconds.toFixed(1)} s\n`,
  );
});

describe('the Python app', () => {
  it('synthesizes the resources of the ready app: the same types, as many of each', () => {
    const receiverPart = filterResources(python.template, (path) => !isPythonOnly(path));
    expect(resourceCounts(receiverPart)).toEqual(resourceCounts(ready.template));
  });

  it('synthesizes the same template as the ready app, property by property', () => {
    const receiverPart = filterResources(python.template, (path) => !isPythonOnly(path));
    expect(compareTemplates(ready.template, receiverPart)).toEqual([]);
  });

  it('runs cdk-nag, which fails its synthesis on a finding', async () => {
    // The synthesis above would have failed on any unacknowledged finding; the probe
    // (a queue without a dead-letter queue) shows the checks really run in Python.
    await expect(synthPythonApp(bin, projectFeatureFlags(), { NAG_PROBE: '1' })).rejects.toThrow(
      /AwsSolutions-SQS3/,
    );
  });

  it('is compared by a comparison that sees one changed property', () => {
    const [id, resource] = Object.entries(ready.template.Resources)[0] ?? [];
    if (id === undefined || resource === undefined) throw new Error('empty template');
    const changed = {
      ...ready.template,
      Resources: {
        ...ready.template.Resources,
        [id]: { ...resource, Properties: { ...resource.Properties, Probe: 1 } },
      },
    };
    expect(compareTemplates(ready.template, changed)).toEqual([
      { path: `Resources.${id}.Properties.Probe`, reference: undefined, candidate: 1 },
    ]);
  });
});
