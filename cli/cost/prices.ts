/**
 * Every price the cost command uses, in USD, on-demand, without free tiers (they
 * are per account and shared with whatever else runs in it). One list per
 * region; a region without a list is refused by name rather than priced with
 * another region's figures.
 */

/** When the prices were read from the pages in {@link PRICE_SOURCES}. */
export const PRICES_AS_OF = '2026-12-06';

/** The AWS pricing pages each figure comes from. */
export const PRICE_SOURCES = {
  apiGateway: 'https://aws.amazon.com/api-gateway/pricing/',
  waf: 'https://aws.amazon.com/waf/pricing/',
  lambda: 'https://aws.amazon.com/lambda/pricing/',
  dynamodb: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  sns: 'https://aws.amazon.com/sns/pricing/',
  cloudwatch: 'https://aws.amazon.com/cloudwatch/pricing/',
  kms: 'https://aws.amazon.com/kms/pricing/',
  secretsManager: 'https://aws.amazon.com/secrets-manager/pricing/',
  xray: 'https://aws.amazon.com/xray/pricing/',
  ssm: 'https://aws.amazon.com/systems-manager/pricing/',
} as const;

/** One region's prices (first pricing tier of each, the one a webhook receiver stays in). */
export interface PriceList {
  /** REST API, per million requests (first 333 million). */
  readonly restApiPerMillion: number;
  /** HTTP API, per million requests of up to 512 KB (first 300 million). */
  readonly httpApiPerMillion: number;
  /** A web ACL, a month. */
  readonly webAclMonthly: number;
  /** A rule or managed rule group in a web ACL, a month. */
  readonly webAclRuleMonthly: number;
  /** Requests a web ACL inspects (up to 1,500 WCU and the default body size), per million. */
  readonly webAclPerMillion: number;
  /** Lambda requests, per million. */
  readonly lambdaRequestsPerMillion: number;
  /** Lambda duration, per GB-second, arm64 (first 7.5 billion GB-seconds). */
  readonly lambdaArmGbSecond: number;
  /** Lambda duration, per GB-second, x86_64 (first 6 billion GB-seconds). */
  readonly lambdaX86GbSecond: number;
  /** DynamoDB on-demand write request units, per million (Standard table class). */
  readonly dynamoWriteUnitsPerMillion: number;
  /** SNS standard topic publishes, per million (each 64 KB chunk is one). */
  readonly snsPublishesPerMillion: number;
  /** SNS FIFO topic publishes, per million. */
  readonly snsFifoPublishesPerMillion: number;
  /** SNS FIFO topic published payload, per GB. */
  readonly snsFifoPayloadPerGb: number;
  /** CloudWatch Logs standard ingestion, per GB. */
  readonly logsIngestedPerGb: number;
  /** CloudWatch Logs storage, per GB-month (of compressed data). */
  readonly logsStoredPerGbMonth: number;
  /** A custom metric, a month, prorated by the hour it receives data (first 10,000 metrics). */
  readonly customMetricMonthly: number;
  /** A dashboard, a month (the account's first three are free). */
  readonly dashboardMonthly: number;
  /** A metric of a standard-resolution alarm, a month. */
  readonly standardAlarmMetricMonthly: number;
  /** A metric of a high-resolution alarm (period under 60 s), a month. */
  readonly highResolutionAlarmMetricMonthly: number;
  /** A composite alarm, a month. */
  readonly compositeAlarmMonthly: number;
  /** A customer managed KMS key, a month (a rotated key adds $1 for each of its first two rotations). */
  readonly kmsKeyMonthly: number;
  /** KMS requests (customer or AWS managed keys), per 10,000. */
  readonly kmsRequestsPer10k: number;
  /** A secret, a month. */
  readonly secretMonthly: number;
  /** Secrets Manager API calls, per 10,000. */
  readonly secretCallsPer10k: number;
  /** X-Ray traces recorded, per million. */
  readonly xrayTracesPerMillion: number;
  /** An advanced SSM parameter, a month (standard parameters are free). */
  readonly ssmAdvancedParameterMonthly: number;
}

const US_PRICES: PriceList = {
  restApiPerMillion: 3.5,
  httpApiPerMillion: 1.0,
  webAclMonthly: 5.0,
  webAclRuleMonthly: 1.0,
  webAclPerMillion: 0.6,
  lambdaRequestsPerMillion: 0.2,
  lambdaArmGbSecond: 0.0000133334,
  lambdaX86GbSecond: 0.0000166667,
  dynamoWriteUnitsPerMillion: 0.625,
  snsPublishesPerMillion: 0.5,
  snsFifoPublishesPerMillion: 0.3,
  snsFifoPayloadPerGb: 0.017,
  logsIngestedPerGb: 0.5,
  logsStoredPerGbMonth: 0.03,
  customMetricMonthly: 0.3,
  dashboardMonthly: 3.0,
  standardAlarmMetricMonthly: 0.1,
  highResolutionAlarmMetricMonthly: 0.3,
  compositeAlarmMonthly: 0.5,
  kmsKeyMonthly: 1.0,
  kmsRequestsPer10k: 0.03,
  secretMonthly: 0.4,
  secretCallsPer10k: 0.05,
  xrayTracesPerMillion: 5.0,
  ssmAdvancedParameterMonthly: 0.05,
};

/**
 * The regions priced. US East (N. Virginia), US East (Ohio) and US West
 * (Oregon) share every price above; other regions differ (some by a few
 * percent, some by more) and are refused until their list is added here.
 */
export const PRICE_LISTS: Readonly<Record<string, PriceList>> = {
  'us-east-1': US_PRICES,
  'us-east-2': US_PRICES,
  'us-west-2': US_PRICES,
};

/** The region priced when none is named. */
export const DEFAULT_REGION = 'us-east-1';

/** A region without a price list. */
export class UnknownRegionError extends Error {
  override readonly name = 'UnknownRegionError';
  constructor(readonly region: string) {
    super(
      `no prices recorded for region "${region}": known regions are ${Object.keys(PRICE_LISTS).join(', ')}; other regions differ and have no list yet (cli/cost/prices.ts)`,
    );
  }
}

/** The price list of `region`. @throws UnknownRegionError */
export function priceListOf(region: string): PriceList {
  const list = PRICE_LISTS[region];
  if (list === undefined) throw new UnknownRegionError(region);
  return list;
}
