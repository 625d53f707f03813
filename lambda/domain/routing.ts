import { CATCH_ALL_ROUTE } from '../contract/event-catalogue.ts';

/** Where an event type is published. */
export interface Route {
  readonly topicArn: string;
  /** False when the type has no topic of its own and goes to the catch-all topic. */
  readonly routed: boolean;
}

/** Maps a signed event type to its topic. */
export type Router = (eventType: string) => Route;

/**
 * Builds the router from `TOPIC_ARNS` (event type -> topic ARN, `"*"` the
 * catch-all). Lookups use own properties only, so a type named like an
 * `Object.prototype` member cannot resolve to something that is not a topic.
 */
export function createRouter(topicArns: Readonly<Record<string, string>>): Router {
  const routes = new Map(Object.entries(topicArns).filter(([type]) => type !== CATCH_ALL_ROUTE));
  const catchAll = topicArns[CATCH_ALL_ROUTE];
  if (catchAll === undefined) throw new TypeError(`topic map needs a "${CATCH_ALL_ROUTE}" entry`);
  return (eventType) => {
    const topicArn = routes.get(eventType);
    return topicArn === undefined
      ? { topicArn: catchAll, routed: false }
      : { topicArn, routed: true };
  };
}
