/**
 * Prints, as it arrives, every message SNS delivers to the tap queue (an SQS
 * queue subscribed, with the SNS envelope, to every topic of the receiver):
 *
 *   tap  vault.connection.created  <event_id>  topic=<topic name>  attrs={…}
 */

import { setTimeout as sleep } from 'node:timers/promises';
import { SQSClient } from '@aws-sdk/client-sqs';
import { isJsonObject } from '../../lambda/domain/json-body.ts';
import {
  type EmulatorTarget,
  emulatorClientConfig,
  parseSnsEnvelope,
  type TapDelivery,
  takeTapMessages,
} from '../emulator/index.ts';

/** Options of {@link startTapPrinter}. */
export interface TapPrinterOptions extends EmulatorTarget {
  readonly queueUrl: string;
  readonly print: (line: string) => void;
}

/** The topic's name: the last segment of its ARN. */
export function topicName(topicArn: string): string {
  return topicArn.split(':').at(-1) ?? topicArn;
}

/** The tap line of a delivery. */
export function formatTapLine(delivery: TapDelivery): string {
  const { event_type: attributeType, event_id: attributeId, ...rest } = delivery.attributes;
  const payload = isJsonObject(delivery.body) ? delivery.body : {};
  const eventType = attributeType ?? String(payload.event_type ?? '?');
  const eventId = attributeId ?? String(payload.event_id ?? '?');
  return `tap  ${eventType}  ${eventId}  topic=${topicName(delivery.topicArn)}  attrs=${JSON.stringify(rest)}`;
}

/**
 * Starts the loop: receive (long poll), print each delivery, delete the batch;
 * repeat. Returns its stop, which aborts the receive in flight and resolves once the loop ended.
 */
export function startTapPrinter(options: TapPrinterOptions): () => Promise<void> {
  const sqs = new SQSClient(emulatorClientConfig(options));
  const abort = new AbortController();
  const loop = (async () => {
    let failures = 0;
    while (!abort.signal.aborted) {
      try {
        const messages = await takeTapMessages(sqs, options.queueUrl, 10, abort.signal);
        failures = 0;
        for (const message of messages) {
          const delivery = parseSnsEnvelope(message.Body);
          options.print(
            delivery ? formatTapLine(delivery) : `tap  (not an SNS envelope)  ${message.Body}`,
          );
        }
      } catch (error) {
        if (abort.signal.aborted) break;
        failures += 1;
        if (failures === 1 || failures % 10 === 0) {
          const reason = error instanceof Error ? error.message : String(error);
          options.print(`tap  receive failed (${failures}x): ${reason}; retrying`);
        }
        await sleep(Math.min(5_000, 250 * failures), undefined, { signal: abort.signal }).catch(
          () => undefined,
        );
      }
    }
  })();
  return async () => {
    abort.abort();
    await loop;
    sqs.destroy();
  };
}
