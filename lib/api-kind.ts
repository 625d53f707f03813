/**
 * Which kind of API Gateway API receives the webhooks. Both answer every
 * request the same way (status and body); they differ in price, latency and
 * what can stand in front of the function.
 */
export enum ApiKind {
  /**
   * A regional REST API: a request validator turns unsigned requests away
   * before the function, an AWS WAF web ACL can attach (`webApplicationFirewall`),
   * and API Gateway records X-Ray traces. USD 3.50 per million requests.
   */
  REST = 'REST',
  /**
   * An HTTP API: USD 1.00 per million requests and less latency. No web ACL can
   * attach, there is no request validator (the function answers a request
   * without a signature header, with the same 401) and API Gateway records no
   * X-Ray traces (the function's own traces remain).
   */
  HTTP = 'HTTP',
}
