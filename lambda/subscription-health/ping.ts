/**
 * The signed ping: the same request Apideck's URL validation makes (a signed
 * body that is not an event), sent to the receiver's own URL. A 2xx shows that
 * the receiver is up and verifies the current API key, so Apideck's own
 * validation on re-enabling will pass.
 */
import { SIGNATURE_HEADER } from '../contract/http.ts';
import { signBody } from '../domain/signature.ts';
import type { ReceiverPing } from './check.ts';

/** The ping's body and event-type header (Apideck's validation POST). */
export const PING_BODY = JSON.stringify({ message: 'Validating delivery URL' });
export const PING_EVENT_TYPE = 'apideck.subscription.created';

/** A ping of `webhookUrl` signed with `apiKey`, over `fetch`. */
export function signedPing(
  webhookUrl: string,
  apiKey: string,
  fetchImpl: typeof fetch = fetch,
  timeoutMs = 10_000,
): ReceiverPing {
  return async () => {
    try {
      const response = await fetchImpl(webhookUrl, {
        method: 'POST',
        headers: {
          'content-type': 'application/json',
          'x-apideck-event-type': PING_EVENT_TYPE,
          [SIGNATURE_HEADER]: signBody(PING_BODY, apiKey),
        },
        body: PING_BODY,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.arrayBuffer();
      return response.status;
    } catch {
      return 0;
    }
  };
}
