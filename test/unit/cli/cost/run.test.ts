import { execFile } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCost } from '../../../../cli/cost/run.ts';
import { receiver, restApi, templateOf } from './template-fixtures.ts';

const PROJECT_ROOT = join(import.meta.dirname, '..', '..', '..', '..');
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'cost-cli-'));
  writeFileSync(
    join(dir, 'stack.json'),
    JSON.stringify(templateOf({ Api: restApi, Fn: receiver(['a']) })),
  );
  writeFileSync(join(dir, 'broken.json'), '{"Resources": {');
  writeFileSync(join(dir, 'not-a-template.json'), '{"hello": "world"}');
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A cloud assembly in `dir/<name>` holding `stacks`; those in `withReceiver` hold this project's receiver. */
function assembly(
  name: string,
  stacks: readonly string[],
  withReceiver: readonly string[] = [],
): string {
  const out = join(dir, name);
  mkdirSync(out, { recursive: true });
  const artifacts: Record<string, unknown> = {};
  for (const stack of stacks) {
    const template = withReceiver.includes(stack)
      ? templateOf({ Api: restApi, Fn: receiver(['a']) })
      : templateOf({ Api: restApi });
    writeFileSync(join(out, `${stack}.template.json`), JSON.stringify(template));
    artifacts[stack] = {
      type: 'aws:cloudformation:stack',
      properties: { templateFile: `${stack}.template.json` },
    };
  }
  writeFileSync(join(out, 'manifest.json'), JSON.stringify({ artifacts }));
  return out;
}

describe('runCost', () => {
  it('prints the table at 10,000 and 1,000,000 deliveries a month by default', () => {
    const result = runCost(['--template', join(dir, 'stack.json')]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout.find((line) => line.startsWith('Service'))).toMatch(
      /Idle a month +Per million +10,000 a month +1,000,000 a month/,
    );
    expect(result.stdout.some((line) => /^Total +\$/.test(line))).toBe(true);
  });

  it('prints one column for each volume asked for', () => {
    const result = runCost([
      '--template',
      join(dir, 'stack.json'),
      '--events-per-month',
      '500,2000',
    ]);
    expect(result.stdout.find((line) => line.startsWith('Service'))).toMatch(
      /500 a month +2,000 a month$/,
    );
  });

  it('exits 1 naming a template it cannot read', () => {
    const missing = join(dir, 'missing.json');
    expect(runCost(['--template', missing])).toMatchObject({
      exitCode: 1,
      stderr: [expect.stringContaining(`cannot read ${missing}`)],
    });
  });

  it('exits 1 on a template that is not JSON', () => {
    expect(runCost(['--template', join(dir, 'broken.json')])).toMatchObject({
      exitCode: 1,
      stderr: [expect.stringMatching(/broken\.json is not valid JSON/)],
    });
  });

  it('exits 1 on JSON that is not a CloudFormation template', () => {
    expect(runCost(['--template', join(dir, 'not-a-template.json')])).toMatchObject({
      exitCode: 1,
      stderr: [expect.stringContaining('not a CloudFormation template')],
    });
  });

  it('exits 1 on a region without prices, naming the regions it knows', () => {
    expect(runCost(['--template', join(dir, 'stack.json'), '--region', 'eu-west-1'])).toMatchObject(
      {
        exitCode: 1,
        stderr: [
          expect.stringMatching(
            /no prices recorded for region "eu-west-1": known regions are us-east-1/,
          ),
        ],
      },
    );
  });

  it('exits 2 with the usage on a volume that is not a whole number', () => {
    const result = runCost(['--template', join(dir, 'stack.json'), '--events-per-month', '1e6']);
    expect(result.exitCode).toBe(2);
    expect(result.stderr[0]).toContain('--events-per-month: "1e6" is not a whole number');
  });

  it('exits 1 telling to synthesize when there is no cloud assembly', () => {
    expect(runCost(['--cdk-out', join(dir, 'nowhere')])).toMatchObject({
      exitCode: 1,
      stderr: [expect.stringContaining('run "npx cdk synth" first, or pass --template FILE')],
    });
  });

  it('asks for --stack when the cloud assembly holds several, naming them', () => {
    const out = assembly('two', ['First', 'Second']);
    expect(runCost(['--cdk-out', out])).toMatchObject({
      exitCode: 1,
      stderr: [expect.stringContaining('holds 2 stacks (First, Second): name one with --stack')],
    });
  });

  it("picks, among several stacks, the only one holding the project's receiver", () => {
    const result = runCost([
      '--cdk-out',
      assembly('mixed', ['Consumers', 'Webhooks'], ['Webhooks']),
    ]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout[0]).toContain('Webhooks.template.json');
  });

  it('prices the only stack of a cloud assembly', () => {
    const result = runCost(['--cdk-out', assembly('one', ['Only'])]);
    expect(result.exitCode).toBe(0);
    expect(result.stdout[0]).toContain('Only.template.json');
  });

  it('answers --help with the usage and exit 0', () => {
    expect(runCost(['--help'])).toMatchObject({
      exitCode: 0,
      stdout: expect.arrayContaining([expect.stringContaining('usage: npx apideck-webhooks cost')]),
    });
  });
});

describe('npx apideck-webhooks cost, as a process', () => {
  it('exits 1 with the reason on standard error for a missing template', async () => {
    const missing = join(dir, 'missing.json');
    const run = promisify(execFile)(
      process.execPath,
      ['--import', 'tsx', join(PROJECT_ROOT, 'cli', 'main.ts'), 'cost', '--template', missing],
      { cwd: PROJECT_ROOT },
    );
    await expect(run).rejects.toMatchObject({
      code: 1,
      stdout: '',
      stderr: expect.stringContaining(`cost: cannot read ${missing}`),
    });
  });
});
