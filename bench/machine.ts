/** What the bench ran on, for the results file. */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import { join } from 'node:path';

/** The machine, the bench's own Node.js, and the versions of the packages that make the bundles. */
export type Machine = ReturnType<typeof describeMachine>;

function cpuModel(): string {
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    const model = /^(?:model name|Hardware|cpu model)\s*:\s*(.+)$/m.exec(info)?.[1];
    if (model !== undefined) return model.trim();
  } catch {
    // Not Linux: fall through to what Node.js reports.
  }
  return os.cpus()[0]?.model ?? 'unknown';
}

function packageVersion(root: string, name: string): string {
  try {
    const json = JSON.parse(
      readFileSync(join(root, 'node_modules', name, 'package.json'), 'utf8'),
    ) as { version?: string };
    return json.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

/** Reads what the results file reports of the machine. */
export function describeMachine(projectRoot: string) {
  return {
    cpu: cpuModel(),
    cores: os.availableParallelism(),
    memoryGiB: Math.round((os.totalmem() / 2 ** 30) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    packages: Object.fromEntries(
      [
        '@aws-sdk/client-dynamodb',
        '@aws-sdk/client-sns',
        '@aws-sdk/client-secrets-manager',
        'esbuild',
        'aws-cdk-lib',
      ].map((name) => [name, packageVersion(projectRoot, name)]),
    ),
  };
}
