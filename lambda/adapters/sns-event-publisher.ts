import { type MessageAttributeValue, PublishCommand, type SNSClient } from '@aws-sdk/client-sns';
import type { EventPublisher } from '../domain/ports.ts';
import type { EventMessage } from '../domain/sns-message.ts';
import { PublishError } from '../errors.ts';

/** {@link EventPublisher} on SNS: one `Publish` per event, attributes as `String`s. */
export class SnsEventPublisher implements EventPublisher {
  constructor(private readonly client: SNSClient) {}

  async publish(topicArn: string, message: EventMessage): Promise<string> {
    const attributes: Record<string, MessageAttributeValue> = {};
    for (const [name, value] of Object.entries(message.attributes)) {
      attributes[name] = { DataType: 'String', StringValue: value };
    }
    let messageId: string | undefined;
    try {
      ({ MessageId: messageId } = await this.client.send(
        new PublishCommand({
          TopicArn: topicArn,
          Message: message.body,
          MessageAttributes: attributes,
        }),
      ));
    } catch (error) {
      throw new PublishError('publishing to SNS failed', { cause: error });
    }
    if (messageId === undefined) throw new PublishError('SNS returned no message id');
    return messageId;
  }
}
