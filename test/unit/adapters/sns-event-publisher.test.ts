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
    const failed = subject.publish(TOPIC, MESSAGE);
    await expect(failed).rejects.toBeInstanceOf(PublishError);
    await expect(failed).rejects.toMatchObject({ dependency: 'SNS', cause });
  });

  it('fails with PublishError when SNS returns no message id', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({});
    await expect(subject.publish(TOPIC, MESSAGE)).rejects.toBeInstanceOf(PublishError);
  });
});

describe('SnsEventPublisher retries', () => {
  function answered(status: number, name: string) {
    return Object.assign(new Error(name), { name, $metadata: { httpStatusCode: status } });
  }
  const reset = Object.assign(new Error('socket hang up'), {
    name: 'TimeoutError',
    code: 'ECONNRESET',
    $metadata: {},
  });

  it('retries a publish SNS refused with a 503, and resolves to the id of the attempt that went through', async () => {
    const { send, publisher: subject } = publisher();
    send
      .mockRejectedValueOnce(answered(503, 'ServiceUnavailable'))
      .mockResolvedValueOnce({ MessageId: 'msg-2' });
    expect({ id: await subject.publish(TOPIC, MESSAGE), attempts: send.mock.calls.length }).toEqual(
      { id: 'msg-2', attempts: 2 },
    );
  });

  it('gives up after three refused attempts, with maybePublished false', async () => {
    const { send, publisher: subject } = publisher();
    send.mockRejectedValue(answered(400, 'Throttling'));
    await expect(subject.publish(TOPIC, MESSAGE)).rejects.toMatchObject({
      name: 'PublishError',
      maybePublished: false,
    });
    expect(send.mock.calls.length).toBe(3);
  });

  it('never repeats a publish whose answer was lost, and says it may have been published', async () => {
    const { send, publisher: subject } = publisher();
    send.mockRejectedValueOnce(reset).mockResolvedValueOnce({ MessageId: 'msg-2' });
    await expect(subject.publish(TOPIC, MESSAGE)).rejects.toMatchObject({
      name: 'PublishError',
      maybePublished: true,
    });
    expect(send.mock.calls.length).toBe(1);
  });

  it('does not repeat a publish SNS refused as invalid: it would fail the same way', async () => {
    const { send, publisher: subject } = publisher();
    send.mockRejectedValue(answered(400, 'InvalidParameterException'));
    await expect(subject.publish(TOPIC, MESSAGE)).rejects.toBeInstanceOf(PublishError);
    expect(send.mock.calls.length).toBe(1);
  });

  it('stops retrying when the budget would not cover another attempt', async () => {
    const { send, publisher: subject } = publisher();
    send.mockRejectedValue(answered(503, 'ServiceUnavailable'));
    await expect(subject.publish(TOPIC, MESSAGE, { timeoutMs: 100 })).rejects.toBeInstanceOf(
      PublishError,
    );
    expect(send.mock.calls.length).toBe(1);
  });

  it('passes an abort signal to the SDK so a hung attempt is cut off', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({ MessageId: 'msg-1' });
    await subject.publish(TOPIC, MESSAGE);
    expect(send.mock.calls[0]?.[1]).toEqual({ abortSignal: expect.any(AbortSignal) });
  });
});

describe('SnsEventPublisher on a FIFO topic', () => {
  const FIFO_MESSAGE = {
    ...MESSAGE,
    fifo: { deduplicationId: 'evt-1', groupId: 'crm+salesforce' },
  };
  const reset = Object.assign(new Error('socket hang up'), {
    name: 'TimeoutError',
    code: 'ECONNRESET',
    $metadata: {},
  });

  it('sends the deduplication id and the message group', async () => {
    const { send, publisher: subject } = publisher();
    send.mockResolvedValueOnce({ MessageId: 'msg-1' });
    await subject.publish(`${TOPIC}.fifo`, FIFO_MESSAGE);
    expect(sentCommand(send, 0, PublishCommand).input).toMatchObject({
      MessageDeduplicationId: 'evt-1',
      MessageGroupId: 'crm+salesforce',
    });
  });

  it('repeats a publish whose answer was lost, since SNS deduplicates the repeat', async () => {
    const { send, publisher: subject } = publisher();
    send.mockRejectedValueOnce(reset).mockResolvedValueOnce({ MessageId: 'msg-2' });
    expect(await subject.publish(`${TOPIC}.fifo`, FIFO_MESSAGE)).toBe('msg-2');
  });
});
