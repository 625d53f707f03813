/**
 * `npm run replay`: the SetSubscriptionAttributes request it sends. moto does
 * not implement SNS archive and replay (no ArchivePolicy, no ReplayPolicy), so
 * the request is checked here against a mocked client, not against the emulator.
 */
import {
  GetSubscriptionAttributesCommand,
  SetSubscriptionAttributesCommand,
  type SNSClient,
} from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { EXIT, runReplay } from '../../../cli/replay/run.ts';
import { mockSdkClient, sentCommand } from '../../support/aws-sdk-mocks.ts';

const NOW = new Date('2026-12-01T12:00:00.000Z');
const SUBSCRIPTION =
  'arn:aws:sns:eu-west-1:111111111111:ApideckWebhooks-Receiver-Topics-Unrouted-1A2B3C4D.fifo:5f0e6d4c-1b2a-4c3d-9e8f-0a1b2c3d4e5f';

function sns(answer: (command: unknown) => Promise<unknown> = async () => ({})) {
  const mock = mockSdkClient<SNSClient>();
  mock.send.mockImplementation(answer);
  const regions: string[] = [];
  return {
    ...mock,
    regions,
    snsFor: (region: string) => {
      regions.push(region);
      return mock.client;
    },
  };
}

describe('npm run replay', () => {
  it('sets the subscription ReplayPolicy to the time range, as SNS replay expects', async () => {
    const client = sns();
    const result = await runReplay(
      [
        '--subscription',
        SUBSCRIPTION,
        '--from',
        '2026-12-01T09:00:00Z',
        '--to',
        '2026-12-01T10:30:00Z',
      ],
      client.snsFor,
      NOW,
    );
    const command = sentCommand(client.send, 0, SetSubscriptionAttributesCommand);
    expect({ exitCode: result.exitCode, input: command.input }).toEqual({
      exitCode: EXIT.started,
      input: {
        SubscriptionArn: SUBSCRIPTION,
        AttributeName: 'ReplayPolicy',
        AttributeValue: JSON.stringify({
          PointType: 'Timestamp',
          StartingPoint: '2026-12-01T09:00:00.000Z',
          EndingPoint: '2026-12-01T10:30:00.000Z',
        }),
      },
    });
  });

  it('leaves out EndingPoint without --to, so SNS replays up to now and goes on', async () => {
    const client = sns();
    await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00+01:00'],
      client.snsFor,
      NOW,
    );
    const command = sentCommand(client.send, 0, SetSubscriptionAttributesCommand);
    expect(JSON.parse(command.input.AttributeValue ?? '')).toEqual({
      PointType: 'Timestamp',
      StartingPoint: '2026-12-01T08:00:00.000Z',
    });
  });

  it("talks to the subscription's region", async () => {
    const client = sns();
    await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00Z'],
      client.snsFor,
      NOW,
    );
    expect(client.regions).toEqual(['eu-west-1']);
  });

  it('reports the ReplayStatus SNS answers after setting the policy', async () => {
    const client = sns(async (command) =>
      command instanceof GetSubscriptionAttributesCommand
        ? { Attributes: { ReplayStatus: 'Pending' } }
        : {},
    );
    const result = await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00Z'],
      client.snsFor,
      NOW,
    );
    expect(result.stdout.at(-1)).toBe('replay: ReplayStatus Pending');
  });

  it('sends nothing with --dry-run and prints the request', async () => {
    const client = sns();
    const result = await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00Z', '--dry-run'],
      client.snsFor,
      NOW,
    );
    expect({ sent: client.send.mock.calls.length, printed: result.stdout[0] }).toEqual({
      sent: 0,
      printed: expect.stringContaining('"AttributeName":"ReplayPolicy"'),
    });
  });

  it('exits 2 and names the error when SNS refuses the policy', async () => {
    const client = sns(async () => {
      throw new Error(
        'Invalid parameter: ReplayPolicy Reason: StartingPoint is before the archive start',
      );
    });
    const result = await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00Z'],
      client.snsFor,
      NOW,
    );
    expect({ exitCode: result.exitCode, stderr: result.stderr }).toEqual({
      exitCode: EXIT.refused,
      stderr: [
        'replay: SNS refused: Invalid parameter: ReplayPolicy Reason: StartingPoint is before the archive start',
      ],
    });
  });

  it('exits 0 when the policy was set but its status could not be read', async () => {
    const client = sns(async (command) => {
      if (command instanceof GetSubscriptionAttributesCommand) throw new Error('throttled');
      return {};
    });
    const result = await runReplay(
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00Z'],
      client.snsFor,
      NOW,
    );
    expect(result.exitCode).toBe(EXIT.started);
  });

  it.each([
    [
      'a subscription to a standard topic',
      ['--subscription', SUBSCRIPTION.replace('.fifo', ''), '--from', '2026-12-01T09:00:00Z'],
      /FIFO topic .* standard topics have no archive/,
    ],
    ['no --from', ['--subscription', SUBSCRIPTION], /--from is required/],
    [
      'a time without a zone',
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-01T09:00:00'],
      /--from takes an ISO 8601 time with a zone/,
    ],
    [
      '--to before --from',
      [
        '--subscription',
        SUBSCRIPTION,
        '--from',
        '2026-12-01T09:00:00Z',
        '--to',
        '2026-12-01T08:00:00Z',
      ],
      /--to must be later than --from/,
    ],
    [
      '--from in the future',
      ['--subscription', SUBSCRIPTION, '--from', '2026-12-02T09:00:00Z'],
      /--from lies in the future/,
    ],
  ])('refuses %s with exit 1, sending nothing', async (_, argv, reason) => {
    const client = sns();
    const result = await runReplay(argv, client.snsFor, NOW);
    expect({
      exitCode: result.exitCode,
      sent: client.send.mock.calls.length,
      reason: result.stderr[0],
    }).toEqual({ exitCode: EXIT.usage, sent: 0, reason: expect.stringMatching(reason) });
  });
});
