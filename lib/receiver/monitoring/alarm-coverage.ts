/** Which of the receiver's alarms are created (docs/monitoring.md). */
export enum AlarmCoverage {
  /** Every alarm: failures, retries, throttles, latency, subscribers' failed notifications. */
  ALL = 'ALL',
  /**
   * Only the alarms that catch an event lost or published twice: `api5xx`
   * (Apideck disables a webhook that keeps failing), `signatureRejected` (a
   * wrong key refuses every delivery), `payloadConflict` (a payload refused),
   * `publishUncertain` and `completionFailed` (an event that may be published
   * twice), and `noEvents` when `noEventsAlarmAfter` is set. Failures Apideck
   * retries show in `api5xx`; what this leaves out is in docs/monitoring.md.
   */
  LOST_OR_DOUBLED = 'LOST_OR_DOUBLED',
}

/** The alarms {@link AlarmCoverage.LOST_OR_DOUBLED} keeps. */
export const LOST_OR_DOUBLED_ALARMS = [
  'api5xx',
  'signatureRejected',
  'payloadConflict',
  'publishUncertain',
  'completionFailed',
  'noEvents',
] as const;
