/**
 * `npx apideck-webhooks cost`: prices a synthesized template (`--template`, or
 * the stack in `cdk.out`) per service, idle and per million deliveries, and at
 * the monthly volumes asked for.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { parseCommandLine, UsageError } from '../args.ts';
import { estimateCost } from './model.ts';
import { DEFAULT_REGION, PRICES_AS_OF, priceListOf, UnknownRegionError } from './prices.ts';
import { renderText } from './render.ts';
import { readInventory, TemplateError } from './template.ts';

export const COST_USAGE = `usage: npx apideck-webhooks cost [--template FILE | --cdk-out DIR [--stack NAME]]
                               [--events-per-month N[,N...]] [--region REGION]

Prices a synthesized CloudFormation template per service: what it costs a month
with no delivery, what a million deliveries add, and the total at each volume.

  --template FILE          the template (JSON) to price
  --cdk-out DIR            a cloud assembly (default: cdk.out), read when --template is not given
  --stack NAME             the stack of the cloud assembly (default: the only one, or
                           the only one holding the receiver)
  --events-per-month N     deliveries a month, one or several comma-separated
                           (default: 10000,1000000)
  --region REGION          the price list (default ${DEFAULT_REGION})`;

/** The default volumes: thousands, as most Apideck users receive, and a million. */
export const DEFAULT_VOLUMES = [10_000, 1_000_000] as const;

/** What the command printed. */
export interface CostResult {
  readonly exitCode: number;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

/** Parses `--events-per-month`. @throws UsageError */
export function parseVolumes(text: string | undefined): number[] {
  if (text === undefined) return [...DEFAULT_VOLUMES];
  const volumes = text.split(',').map((part) => part.trim().replaceAll('_', ''));
  return volumes.map((part) => {
    if (!/^\d+$/.test(part) || !Number.isSafeInteger(Number(part))) {
      throw new UsageError(
        `--events-per-month: "${part}" is not a whole number of deliveries (for example 10000 or 10000,1000000)`,
      );
    }
    return Number(part);
  });
}

interface Manifest {
  readonly artifacts?: Record<
    string,
    { readonly type?: string; readonly properties?: { readonly templateFile?: string } }
  >;
}

/** The template file of `stack` in a cloud assembly. @throws TemplateError */
export function templateInAssembly(dir: string, stack: string | undefined): string {
  const manifestFile = join(dir, 'manifest.json');
  if (!existsSync(manifestFile)) {
    throw new TemplateError(
      `no cloud assembly at ${dir} (no manifest.json): run "npx cdk synth" first, or pass --template FILE`,
    );
  }
  const manifest = parseJson(manifestFile) as Manifest;
  const stacks = Object.entries(manifest.artifacts ?? {}).filter(
    ([, artifact]) => artifact.type === 'aws:cloudformation:stack',
  );
  const fileOf = ([name, artifact]: (typeof stacks)[number]) =>
    join(dir, artifact.properties?.templateFile ?? `${name}.template.json`);
  // Without --stack: the only stack, or the only one holding this project's receiver.
  const withReceiver = () =>
    stacks.filter((entry) => readInventory(parseJson(fileOf(entry))).receiver?.apideckReceiver);
  const only = <T>(items: readonly T[]): T | undefined =>
    items.length === 1 ? items[0] : undefined;
  const chosen =
    stack !== undefined
      ? stacks.find(([name]) => name === stack)
      : (only(stacks) ?? only(withReceiver()));
  if (chosen === undefined) {
    const names = stacks.map(([name]) => name).join(', ') || 'none';
    throw new TemplateError(
      stack === undefined
        ? `${dir} holds ${stacks.length} stacks (${names}): name one with --stack`
        : `${dir} has no stack "${stack}" (stacks: ${names})`,
    );
  }
  return fileOf(chosen);
}

function parseJson(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    throw new TemplateError(
      `cannot read ${file}: ${error instanceof Error ? error.message : String(error)}`,
    );
  }
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new TemplateError(
      `${file} is not valid JSON (${error instanceof Error ? error.message : String(error)}); pass a synthesized template (cdk.out/<Stack>.template.json)`,
    );
  }
}

/** Runs the command on `argv` (after `cost`). */
export function runCost(argv: readonly string[]): CostResult {
  try {
    const { values, help } = parseCommandLine(argv, [
      'template',
      'cdk-out',
      'stack',
      'events-per-month',
      'region',
    ]);
    if (help) return { exitCode: 0, stdout: COST_USAGE.split('\n'), stderr: [] };
    const volumes = parseVolumes(values['events-per-month']);
    const region = values.region ?? DEFAULT_REGION;
    const prices = priceListOf(region);
    if (values.template !== undefined && values['cdk-out'] !== undefined) {
      throw new UsageError('give --template or --cdk-out, not both');
    }
    const file =
      values.template ?? templateInAssembly(values['cdk-out'] ?? 'cdk.out', values.stack);
    if (existsSync(file) && statSync(file).isDirectory()) {
      throw new TemplateError(`${file} is a folder: pass the template file, or --cdk-out ${file}`);
    }
    const estimate = estimateCost(readInventory(parseJson(file)), prices);
    return {
      exitCode: 0,
      stdout: [
        `Cost of ${file} in ${region}: USD, on-demand prices of ${PRICES_AS_OF}, no free tier`,
        '',
        ...renderText(estimate, volumes),
      ],
      stderr: [],
    };
  } catch (error) {
    if (error instanceof UsageError) {
      return { exitCode: 2, stdout: [], stderr: [`cost: ${error.message}`, '', COST_USAGE] };
    }
    if (error instanceof TemplateError || error instanceof UnknownRegionError) {
      return { exitCode: 1, stdout: [], stderr: [`cost: ${error.message}`] };
    }
    throw error;
  }
}
