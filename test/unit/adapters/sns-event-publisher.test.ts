import { InternalErrorException, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import { describe, expect, it } from 'vitest';
import { SnsEventPublisher } from '../../../lambda/adapters/sns-event-publisher.ts';
import { PublishError } from '../../../lambda/errors.ts';
import { mockSdkClient, sentCommand } from '../../support/aws-sdk-mocks.ts';

const TOPIC = 'arn:aws:sns:eu-west-1:123456789012:apideck-VaultConnectionCreated';
const MESSAGE = {
  body: '{"event_type":"vault.connection.created"}',
  attributes: { event_type: 'vault.connection.created', connector: 'salesforce' },
  droppedAttributes: [],
};

function publisher() {
  const { client, send } = mockSdkClient<SNSClient>();
  return { send, publisher: new SnsEventPublisher(client) };
}

async function rejection(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => {
      throw new Error('expected a rejection');
    },
    (error: unknown) => error,
  );
}

describe('SnsEventPublisher', () => {
  it('publishes the body to the topic with each attribute as a String message attribute', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({ MessageId: 'msg-1' });
    await subject.publish(TOPIC, MESSAGE);
    expect(sentCommand(send, 0, PublishCommand).input).toEqual({
      TopicArn: TOPIC,
      Message: MESSAGE.body,
      MessageAttributes: {
        event_type: { DataType: 'String', StringValue: 'vault.connection.created' },
        connector: { DataType: 'String', StringValue: 'salesforce' },
      },
    });
  });

  it('resolves to the SNS message id', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({ MessageId: 'msg-1' });
    expect(await subject.publish(TOPIC, MESSAGE)).toBe('msg-1');
  });

  it('sends no attributes for a message without any', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({ MessageId: 'msg-1' });
    await subject.publish(TOPIC, { body: '{}', attributes: {}, droppedAttributes: [] });
    expect(sentCommand(send, 0, PublishCommand).input.MessageAttributes).toEqual({});
  });

  it('wraps an SDK error in PublishError (SNS) with the cause', async () => {
    const { send, publisher: subject } = publisher();
    const cause = new InternalErrorException({ message: 'internal', $metadata: {} });
    send.mockRejectedValueOnce(cause);
    const error = await rejection(subject.publish(TOPIC, MESSAGE));
    expect({
      type: error instanceof PublishError,
      dependency: error instanceof PublishError ? error.dependency : undefined,
      cause: error instanceof Error ? error.cause : undefined,
    }).toEqual({ type: true, dependency: 'SNS', cause });
  });

  it('fails with PublishError when SNS returns no message id', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({});
    expect(await rejection(subject.publish(TOPIC, MESSAGE))).toBeInstanceOf(PublishError);
  });
});
