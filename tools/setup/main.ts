/** `npm run setup -- ...`: see `run.ts`. */
import { setupProcess } from './process.ts';

process.exitCode = await setupProcess(process.argv.slice(2));
