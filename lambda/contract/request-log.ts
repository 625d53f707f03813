/**
 * The handler's one log line per request, as far as the construct reads it:
 * the Logs Insights saved queries filter on its `message`.
 */

/** The `message` of every request's log line (`lambda/observability/request-log.ts`). */
export const DELIVERY_LOG_MESSAGE = 'webhook delivery';
