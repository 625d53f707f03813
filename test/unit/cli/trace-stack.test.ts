import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { StackTracer } from '../../../cli/trace-stack.ts';
import { ENVIRONMENT } from '../../../lambda/contract/environment.ts';
import { PROJECT_ROOT } from '../../../scripts/handler-bundle.ts';
import { runBundle } from '../../support/bundle-process.ts';

/** The source line (1-based) of the first line of `file` containing `text`. */
function sourceLine(file: string, text: string): number {
  const index = readFileSync(join(PROJECT_ROOT, file), 'utf8')
    .split('\n')
    .findIndex((line) => line.includes(text));
  if (index < 0) throw new Error(`${text} not in ${file}`);
  return index + 1;
}

/** A stack the deployed bundle really produces: a `null` event makes the handler reject. */
async function loggedStack(): Promise<string> {
  const run = await runBundle([null], {
    [ENVIRONMENT.tableName]: 'table',
    [ENVIRONMENT.signingSecretId]: 'secret',
    [ENVIRONMENT.topicArns]: JSON.stringify({ '*': 'arn:aws:sns:eu-west-1:123456789012:t' }),
    AWS_REGION: 'eu-west-1',
  });
  const [invocation] = run.invocations;
  if (invocation?.kind !== 'rejected') throw new Error('the handler did not reject');
  return invocation.stack;
}

describe('trace-stack', () => {
  it('maps the top frame of a stack logged by the deployed bundle to its source line', async () => {
    const stack = await loggedStack();
    expect(stack).toMatch(/index\.mjs:\d+:\d+/);
    // As the Lambda runtime logs a rejected handler: one JSON line with a `stack` array.
    const logged = JSON.stringify({ errorType: 'TypeError', stack: stack.split('\n') });
    const traced = StackTracer.fromFile().trace(logged);
    const line = sourceLine(
      'lambda/http/api-gateway-handler.ts',
      'apiRequestId: event.requestContext?.requestId',
    );
    expect(traced.split('\n')[1]).toMatch(
      new RegExp(`lambda/http/api-gateway-handler\\.ts:${line}:\\d+\\)?$`),
    );
  });

  it('leaves frames outside the bundle as they are', () => {
    const frame = '    at main (file:///tmp/other.mjs:3:9)';
    expect(StackTracer.fromFile().trace(frame)).toBe(frame);
  });
});
