/**
 * A set of defaults for the receiver's props, for a kind of user. Props set
 * explicitly always win over the profile's.
 */
export enum ReceiverProfile {
  /** Every default as documented on each prop: the secure, fully observed receiver. */
  STANDARD = 'STANDARD',
  /**
   * For low volumes, where the fixed monthly cost is what one pays: the HTTP
   * API, no web ACL, no dashboard, only the alarms that catch an event lost or
   * published twice (`AlarmCoverage.LOST_OR_DOUBLED`), an alarm topic without a
   * customer managed key, and no X-Ray tracing. What it gives up is in
   * docs/configuration.md ("The lean profile").
   */
  LEAN = 'LEAN',
}
