import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { DELIVERY_LOG_MESSAGE } from '../../../lambda/contract/request-log.ts';
import { receiverDisplayName } from './display-name.ts';

/** The text to replace with an event id in the "follow one event id" query. */
export const EVENT_ID_PLACEHOLDER = 'REPLACE_WITH_EVENT_ID';

/** The saved queries, by stable name: title and query text. */
export const SAVED_QUERIES = {
  followEvent: {
    title: 'follow one event id',
    query: new logs.QueryString({
      fields: [
        '@timestamp',
        'level',
        'outcome',
        'status_code',
        'duration_ms',
        'event_type',
        'request_id',
        'message_id',
        'completed',
        'reason',
        'dependency',
        'error.name',
        'error.message',
      ],
      filterStatements: [`event_id = "${EVENT_ID_PLACEHOLDER}"`],
      sort: '@timestamp asc',
      limit: 100,
    }),
  },
  failuresByOutcome: {
    title: 'failures by outcome',
    query: new logs.QueryString({
      // Level ERROR also catches a publish whose completion failed (answered 200).
      filterStatements: ['status_code >= 400 or level = "ERROR"'],
      statsStatements: ['count() as requests by outcome, status_code, level'],
      sort: 'requests desc',
    }),
  },
  slowestRequests: {
    title: 'slowest requests',
    query: new logs.QueryString({
      fields: [
        '@timestamp',
        'duration_ms',
        'outcome',
        'status_code',
        'event_type',
        'event_id',
        'request_id',
      ],
      filterStatements: [`message = "${DELIVERY_LOG_MESSAGE}"`],
      sort: 'duration_ms desc',
      limit: 25,
    }),
  },
} as const;

/** The stable name of a saved query. */
export type SavedQueryName = keyof typeof SAVED_QUERIES & keyof ReceiverSavedQueries;

/** The receiver's Logs Insights saved queries, by stable name. */
export interface ReceiverSavedQueries {
  /** Every log line of one event id, in order (replace `REPLACE_WITH_EVENT_ID`). */
  readonly followEvent: logs.QueryDefinition;
  /** Failed requests counted by outcome, status code and level. */
  readonly failuresByOutcome: logs.QueryDefinition;
  /** The 25 slowest deliveries. */
  readonly slowestRequests: logs.QueryDefinition;
}

export interface SavedQueriesProps {
  /** The handler's log group. */
  readonly logGroup: logs.ILogGroup;
}

/**
 * CloudWatch Logs Insights saved queries on the handler's log group, in a
 * folder named after the receiver (a saved query must have a name; the `/`
 * makes the console show a folder).
 */
export class SavedQueries extends Construct {
  public readonly queries: ReceiverSavedQueries;

  constructor(scope: Construct, id: string, props: SavedQueriesProps) {
    super(scope, id);
    const folder = receiverDisplayName(this);
    const define = (name: SavedQueryName, construct: string) =>
      new logs.QueryDefinition(this, construct, {
        queryDefinitionName: `${folder}/${SAVED_QUERIES[name].title}`,
        queryString: SAVED_QUERIES[name].query,
        logGroups: [props.logGroup],
      });
    this.queries = {
      followEvent: define('followEvent', 'FollowEvent'),
      failuresByOutcome: define('failuresByOutcome', 'FailuresByOutcome'),
      slowestRequests: define('slowestRequests', 'SlowestRequests'),
    };
  }
}
