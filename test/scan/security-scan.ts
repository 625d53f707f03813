/**
 * The security scan of the synthesized CloudFormation template: checkov (with
 * the skips of ./checkov.yaml, its one suppression list, each skip with its
 * written reason) and cfn-lint, both pinned and installed from PyPI on first
 * use (tools/emulator/python-tools.ts). Run by ./security-scan.test.ts, in
 * `npm test` and `npm run verify` alike. (cdk-nag, the third scan, runs in the
 * CDK tests, test/cdk/nag.test.ts; its acknowledgements sit on the constructs.)
 */
import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as kms from 'aws-cdk-lib/aws-kms';
import { ensurePythonTools } from '../../tools/emulator/python-tools.ts';
import { synthReceiver, synthStack } from '../cdk/support/synth.ts';
import type {
  CfnLintMatch,
  CheckovCheck,
  CheckovReport,
  SecurityScan,
  Skip,
} from '../support/figures.ts';

/** checkov's configuration: the framework and the skipped checks, each with its reason. */
export const CHECKOV_CONFIG = join(import.meta.dirname, 'checkov.yaml');

/**
 * Reads the skipped check ids of the config and the reason of each: the comment
 * lines right above its `- <id>` line under `skip-check:`. A skip with no
 * comment gets an empty reason.
 */
export function readCheckovSkips(file: string = CHECKOV_CONFIG): Skip[] {
  const skips: Skip[] = [];
  let inSkips = false;
  let comment: string[] = [];
  for (const raw of readFileSync(file, 'utf8').split('\n')) {
    const line = raw.trim();
    if (/^[a-z-]+:/.test(raw)) {
      inSkips = raw.startsWith('skip-check:');
      comment = [];
      continue;
    }
    if (!inSkips) continue;
    if (line.startsWith('#')) {
      comment.push(line.replace(/^#\s?/, ''));
      continue;
    }
    const entry = /^-\s*([A-Za-z0-9_]+)\s*(?:#.*)?$/.exec(line);
    if (entry?.[1] !== undefined) {
      skips.push({ id: entry[1], reason: comment.join(' ').trim() });
    }
    comment = [];
  }
  return skips;
}

function run(
  command: string,
  args: readonly string[],
): Promise<{ stdout: string; stderr: string; code: number }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        maxBuffer: 64 * 1024 * 1024,
        timeout: 300_000,
        env: { ...process.env, LOG_LEVEL: 'WARNING' },
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== 'number') {
          reject(new Error(`${command} failed: ${error.message}\n${stderr}`));
          return;
        }
        resolve({ stdout, stderr, code: error ? Number(error.code) : 0 });
      },
    );
  });
}

interface CheckovJson {
  readonly check_type?: string;
  readonly summary: {
    passed: number;
    failed: number;
    skipped: number;
    parsing_errors: number;
    resource_count: number;
    checkov_version: string;
  };
  readonly results?: {
    passed_checks?: { check_id: string; resource: string; check_name: string }[];
    failed_checks?: { check_id: string; resource: string; check_name: string }[];
  };
}

function checks(
  list: { check_id: string; resource: string; check_name: string }[] | undefined,
): CheckovCheck[] {
  return (list ?? []).map((check) => ({
    id: check.check_id,
    resource: check.resource,
    name: check.check_name,
  }));
}

/** Runs checkov on a template, with the config (its skips) or without any. */
export async function runCheckov(
  template: string,
  options: { readonly config?: string | undefined } = {},
): Promise<CheckovReport> {
  const { checkov } = await ensurePythonTools();
  const args = ['-f', template, '--framework', 'cloudformation', '-o', 'json', '--skip-download'];
  if (options.config !== undefined) args.push('--config-file', options.config);
  const { stdout, stderr } = await run(checkov, args);
  let parsed: CheckovJson | CheckovJson[];
  try {
    parsed = JSON.parse(stdout) as CheckovJson | CheckovJson[];
  } catch {
    throw new Error(`checkov printed no JSON:\n${stdout.slice(0, 2_000)}\n${stderr.slice(-2_000)}`);
  }
  const report = Array.isArray(parsed)
    ? parsed.find((entry) => entry.check_type === 'cloudformation')
    : parsed;
  if (report === undefined) throw new Error('checkov reported no CloudFormation results');
  return {
    version: report.summary.checkov_version,
    passed: checks(report.results?.passed_checks),
    failed: checks(report.results?.failed_checks),
    skipped: report.summary.skipped,
    parsingErrors: report.summary.parsing_errors,
    resourceCount: report.summary.resource_count,
  };
}

/** Runs cfn-lint on a template; every match, whatever its level. */
export async function runCfnLint(template: string): Promise<CfnLintMatch[]> {
  const { cfnLint } = await ensurePythonTools();
  const { stdout, stderr } = await run(cfnLint, ['--format', 'json', template]);
  let parsed: unknown;
  try {
    parsed = JSON.parse(stdout);
  } catch {
    throw new Error(
      `cfn-lint printed no JSON:\n${stdout.slice(0, 2_000)}\n${stderr.slice(-2_000)}`,
    );
  }
  return (
    parsed as {
      Level: string;
      Rule: { Id: string };
      Message: string;
      Location: { Path: unknown[] };
    }[]
  ).map((match) => ({
    level: match.Level,
    rule: match.Rule.Id,
    message: match.Message,
    path: (match.Location.Path ?? []).join('/'),
  }));
}

/** The version line of cfn-lint. */
export async function cfnLintVersion(): Promise<string> {
  const { cfnLint } = await ensurePythonTools();
  return (await run(cfnLint, ['--version'])).stdout.trim();
}

export type { SecurityScan } from '../support/figures.ts';

/** Which stack to synthesize. */
export type TemplateVariant =
  /** The stack of bin/app.ts with the receiver's defaults. */
  | 'default'
  /** A receiver given a customer managed KMS key (`encryptionKey`). */
  | 'customer-key';

/**
 * Synthesizes a stack (without bundling the handler, as the other CDK tests
 * do: the template is the same but for the asset's hash) and writes its
 * template to `<directory>/<variant>.template.json`.
 */
export function synthesizeTemplate(
  directory: string,
  variant: TemplateVariant = 'default',
): string {
  const template =
    variant === 'default'
      ? synthStack().template
      : synthReceiver((stack) => ({
          encryptionKey: new kms.Key(stack, 'Key', { enableKeyRotation: true }),
        })).template;
  const file = join(directory, `${variant}.template.json`);
  writeFileSync(file, `${JSON.stringify(template.toJSON(), null, 2)}\n`);
  return file;
}

/** Scans a template with checkov (with and without the skips) and cfn-lint. */
export async function scanTemplate(template: string): Promise<SecurityScan> {
  const skips = readCheckovSkips();
  const [checkov, unskipped, cfnLint, version] = await Promise.all([
    runCheckov(template, { config: CHECKOV_CONFIG }),
    runCheckov(template),
    runCfnLint(template),
    cfnLintVersion(),
  ]);
  const skipped = new Set(skips.map((skip) => skip.id));
  const skippedFindings = unskipped.failed.filter((check) => skipped.has(check.id));
  const found = new Set(unskipped.failed.map((check) => check.id));
  return {
    checkov,
    skippedFindings,
    skips,
    staleSkips: skips.map((skip) => skip.id).filter((id) => !found.has(id)),
    cfnLint,
    cfnLintVersion: version,
  };
}

/** Strings that look like an API key (`sk_…`, as Apideck's and the dev server's keys are). */
const KEY_LOOKING = /\bsk_[A-Za-z0-9_-]{8,}/g;

/**
 * Where a template could carry an API key: a secret's literal `SecretString`,
 * a key-looking string, or one of `knownKeys`. Returns a description of each.
 */
export function keyMaterialIn(template: unknown, knownKeys: readonly string[] = []): string[] {
  const found: string[] = [];
  const resources =
    (
      template as {
        Resources?: Record<string, { Type?: string; Properties?: Record<string, unknown> }>;
      }
    ).Resources ?? {};
  for (const [id, resource] of Object.entries(resources)) {
    if (
      resource.Type === 'AWS::SecretsManager::Secret' &&
      resource.Properties?.SecretString !== undefined
    ) {
      found.push(`${id} has a literal SecretString`);
    }
  }
  const text = JSON.stringify(template);
  for (const match of text.match(KEY_LOOKING) ?? [])
    found.push(`a key-looking string: ${match.slice(0, 6)}…`);
  for (const key of knownKeys) if (text.includes(key)) found.push('a known key');
  return found;
}
