/**
 * The package's command, `npx apideck-webhooks <command>`: bundled with its
 * dependencies into `dist/cli/index.mjs` when the package is built.
 */
import { setupProcess } from './setup/process.ts';

const USAGE = `usage: npx apideck-webhooks setup [options]   (--help for the options)`;

const [command, ...rest] = process.argv.slice(2);
if (command === 'setup') {
  process.exitCode = await setupProcess(rest);
} else {
  console.error(USAGE);
  process.exitCode = command === undefined || command === '--help' ? 0 : 2;
}
