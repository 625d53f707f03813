/**
 * One `npx apideck-webhooks replay` run, apart from the process: the lines printed and the
 * exit code, with the SNS client given, so tests can check the request.
 */
import {
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { parseReplayArgs, subscriptionRegion, UsageError } from './args.ts';
import { REPLAY_STATUS_ATTRIBUTE, replayRequest } from './replay-policy.ts';

/** Exit codes of `npx apideck-webhooks replay` (docs/fifo.md). */
export const EXIT = {
  /** The replay policy was set (or, with `--dry-run`, printed). */
  started: 0,
  /** Bad arguments. */
  usage: 1,
  /** SNS refused the request (no such subscription, no archive, range outside it, no permission). */
  refused: 2,
} as const;

export const USAGE = `usage: npx apideck-webhooks replay --subscription <arn> --from <time> [--to <time>] [--dry-run]
       (in this repository: npm run replay -- ...)

Replays the messages a FIFO topic archived between --from and --to (ISO 8601
times with a zone, e.g. 2026-12-01T09:00:00Z) to one subscription, through
SNS's own replay: sets the subscription's ReplayPolicy attribute. Without --to,
SNS replays up to now and goes on delivering new messages. A new replay
replaces one in progress. Replayed messages carry the Replayed attribute.

  --dry-run   print the request, send nothing

environment: AWS credentials (the region is the subscription's)
exit codes: 0 started, 1 usage, 2 SNS refused`;

/** What a run printed and how it ended. */
export interface ReplayRunResult {
  readonly exitCode: number;
  readonly stdout: readonly string[];
  readonly stderr: readonly string[];
}

function message(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Runs the CLI on `argv`; `snsFor(region)` gives the client (its caller destroys
 * it). Never throws for an expected failure: it exits.
 */
export async function runReplay(
  argv: readonly string[],
  snsFor: (region: string) => SNSClient,
  now: Date = new Date(),
): Promise<ReplayRunResult> {
  const stdout: string[] = [];
  const stderr: string[] = [];
  let args: ReturnType<typeof parseReplayArgs>;
  try {
    args = parseReplayArgs(argv, now);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    stderr.push(`replay: ${message(error)}`, USAGE);
    return { exitCode: EXIT.usage, stdout, stderr };
  }
  if (args.help) {
    stdout.push(USAGE);
    return { exitCode: EXIT.started, stdout, stderr };
  }
  const request = replayRequest(args.subscriptionArn, args);
  if (args.dryRun) {
    stdout.push(`replay (dry run): SetSubscriptionAttributes ${JSON.stringify(request)}`);
    return { exitCode: EXIT.started, stdout, stderr };
  }
  const sns = snsFor(subscriptionRegion(args.subscriptionArn));
  try {
    await sns.send(new SetSubscriptionAttributesCommand(request));
  } catch (error) {
    stderr.push(`replay: SNS refused: ${message(error)}`);
    return { exitCode: EXIT.refused, stdout, stderr };
  }
  stdout.push(
    `replay: ${request.AttributeName} set on ${args.subscriptionArn}: ${request.AttributeValue}`,
  );
  // Only a report: the replay has started whatever this read answers.
  try {
    const { Attributes } = await sns.send(
      new GetSubscriptionAttributesCommand({ SubscriptionArn: args.subscriptionArn }),
    );
    stdout.push(
      `replay: ${REPLAY_STATUS_ATTRIBUTE} ${Attributes?.[REPLAY_STATUS_ATTRIBUTE] ?? '(not reported yet)'}`,
    );
  } catch (error) {
    stderr.push(`replay: started, but its status could not be read: ${message(error)}`);
  }
  return { exitCode: EXIT.started, stdout, stderr };
}
