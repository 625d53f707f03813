/**
 * Prices a {@link StackInventory}: per service, what it costs a month with no
 * delivery, and what deliveries add at a given monthly volume. Every figure is
 * derived from the template, the price list and `assumptions.ts`.
 */
import {
  accessLogValues,
  DEFAULT_SAMPLING,
  HOURS_PER_MONTH,
  KMS_DATA_KEY_REUSE_SECONDS,
  MEASURED,
  PLATFORM_LINES,
  RECEIVER_BILLED_MS,
  SCHEDULED_BILLED_MS,
  SECONDS_PER_MONTH,
} from './assumptions.ts';
import type { PriceList } from './prices.ts';
import type { StackInventory } from './template.ts';

/** One priced service. */
export interface CostLine {
  readonly service: string;
  /** What is counted, in words. */
  readonly usage: string;
  /** A month, with no delivery. */
  readonly idle: number;
  /** What `deliveries` a month add to {@link idle}. */
  readonly variable: (deliveries: number) => number;
  /**
   * Whether the variable part grows with volume. Parts metered per time window
   * (custom metrics by the hour, a secret's refresh, KMS data keys) stop growing
   * once every window has traffic; they have no per-million figure.
   */
  readonly perMillion: boolean;
}

/** Bytes written to CloudWatch Logs for one delivery, by writer. */
export interface LogBytes {
  readonly handler: number;
  readonly platform: number;
  readonly accessLog: number;
  readonly executionLog: number;
  readonly total: number;
}

/** The priced template. */
export interface CostEstimate {
  readonly lines: readonly CostLine[];
  readonly logBytes: LogBytes;
  /** Facts a reader needs to read the figures (how something was counted). */
  readonly notes: readonly string[];
}

const GB = 1024 ** 3;

/**
 * Expected number of `slots` (time windows) that receive at least one of
 * `events` spread evenly (Poisson) over them.
 */
export function occupiedSlots(slots: number, events: number): number {
  if (events <= 0 || slots <= 0) return 0;
  return slots * -Math.expm1(-events / slots);
}

/**
 * Traces recorded a month for `deliveries` spread evenly over the month under a
 * sampling rule: up to `reservoir` a second, then `fixedRate` of the rest.
 */
export function tracesRecorded(
  deliveries: number,
  rule: { readonly reservoirPerSecond: number; readonly fixedRate: number },
): number {
  if (deliveries <= 0) return 0;
  const lambda = deliveries / SECONDS_PER_MONTH;
  const reservoir = Math.max(0, Math.floor(rule.reservoirPerSecond));
  // E[min(k, reservoir)] for k ~ Poisson(lambda), per second.
  let probability = Math.exp(-lambda);
  let belowMass = 0;
  let belowMean = 0;
  for (let k = 0; k < reservoir; k++) {
    belowMass += probability;
    belowMean += k * probability;
    probability *= lambda / (k + 1);
  }
  const reservedPerSecond = belowMean + reservoir * (1 - belowMass);
  const reserved = reservedPerSecond * SECONDS_PER_MONTH;
  return reserved + rule.fixedRate * (deliveries - reserved);
}

/** Renders an access log format for one delivery: each `$context.x` replaced by its value. */
export function renderAccessLog(format: string, values: Readonly<Record<string, string>>): string {
  return format.replace(/\$context\.([A-Za-z0-9_.]*[A-Za-z0-9_])/g, (_, name: string) => {
    return values[name] ?? '-';
  });
}

const LEVELS = ['TRACE', 'DEBUG', 'INFO', 'WARN', 'ERROR', 'FATAL'];

function keeps(threshold: string, level: string): boolean {
  return LEVELS.indexOf(level) >= LEVELS.indexOf(threshold);
}

function bytes(text: string): number {
  return Buffer.byteLength(text);
}

function traced(inventory: StackInventory): boolean {
  return inventory.apiTracing || inventory.receiver?.tracing === 'Active';
}

/** Bytes logged for one delivery answered 200 published. */
export function logBytesPerDelivery(inventory: StackInventory): LogBytes {
  const receiver = inventory.receiver;
  let handler = 0;
  let platform = 0;
  if (receiver !== undefined) {
    const json = receiver.logFormat === 'JSON';
    // The delivery line is INFO; the EMF document has no level and is always kept.
    const lineKept = !json || keeps(receiver.applicationLogLevel, 'INFO');
    const isTraced = traced(inventory);
    // A sampled invocation's line also names its trace.
    const line = isTraced ? MEASURED.tracedLogLineBytes : MEASURED.logLineBytes;
    const emf = receiver.metricsByEventType ? MEASURED.emfBytes : MEASURED.emfTotalsOnlyBytes;
    handler = receiver.apideckReceiver ? emf + (lineKept ? line : 0) : 0;
    if (!json) {
      platform =
        PLATFORM_LINES.text.reduce((sum, line) => sum + bytes(line), 0) +
        (isTraced ? bytes(PLATFORM_LINES.textTracing) : 0);
    } else if (keeps(receiver.systemLogLevel, 'INFO')) {
      platform =
        PLATFORM_LINES.json.reduce((sum, line) => sum + bytes(line), 0) +
        (isTraced ? bytes(PLATFORM_LINES.jsonTracing) : 0);
    }
  }
  const kind = inventory.frontDoor;
  const accessLog =
    inventory.accessLogFormat !== undefined && (kind === 'rest-api' || kind === 'http-api')
      ? bytes(
          renderAccessLog(
            inventory.accessLogFormat,
            accessLogValues(kind, inventory.apiTracing, inventory.webAcls.length > 0),
          ),
        )
      : 0;
  // ERROR execution logging writes nothing for a delivery answered 2xx.
  const executionLog = 0;
  return { handler, platform, accessLog, executionLog, total: handler + platform + accessLog };
}

/** One invocation of a function: its request and `billedMs` of duration at its memory and architecture. */
function invocationCost(
  fn: { readonly memoryMb: number; readonly architecture: 'arm64' | 'x86_64' },
  billedMs: number,
  prices: PriceList,
): number {
  const gbSecond =
    fn.architecture === 'arm64' ? prices.lambdaArmGbSecond : prices.lambdaX86GbSecond;
  return (
    prices.lambdaRequestsPerMillion / 1e6 + (fn.memoryMb / 1024) * (billedMs / 1000) * gbSecond
  );
}

function money(value: number): string {
  return `$${value.toFixed(2)}`;
}

function plural(count: number, one: string, many = `${one}s`): string {
  return `${count} ${count === 1 ? one : many}`;
}

/** Prices the inventory with `prices`. */
export function estimateCost(inventory: StackInventory, prices: PriceList): CostEstimate {
  const lines: CostLine[] = [];
  const notes: string[] = [];
  const fn = inventory.receiver;
  // Table, topics, metrics and the secret's reads are known for this project's handler only.
  const receiver = fn?.apideckReceiver ? fn : undefined;
  const routedTypes = Math.max(1, receiver?.routedEventTypes.length ?? 1);

  // The front door.
  if (inventory.frontDoor === 'rest-api' || inventory.frontDoor === 'http-api') {
    const rest = inventory.frontDoor === 'rest-api';
    const price = rest ? prices.restApiPerMillion : prices.httpApiPerMillion;
    lines.push({
      service: rest ? 'API Gateway (REST API)' : 'API Gateway (HTTP API)',
      usage: `1 request a delivery, ${money(price)} a million`,
      idle: 0,
      variable: (n) => (n / 1e6) * price,
      perMillion: true,
    });
  } else if (inventory.frontDoor === 'function-url') {
    lines.push({
      service: 'Lambda function URL',
      usage: 'no charge beyond the function',
      idle: 0,
      variable: () => 0,
      perMillion: true,
    });
  }

  // WAF.
  for (const acl of inventory.webAcls) {
    if (acl.paidRuleGroups.length > 0) {
      notes.push(
        `${acl.id} uses managed rule groups with fees of their own, not priced: ${acl.paidRuleGroups.join(', ')}.`,
      );
    }
    lines.push({
      service: 'AWS WAF',
      usage: `1 web ACL, ${plural(acl.rules, 'rule')} (${money(prices.webAclMonthly)} + ${money(prices.webAclRuleMonthly)} each a month), ${money(prices.webAclPerMillion)} a million requests${acl.associated ? '' : ' (not associated: inspects nothing)'}`,
      idle: prices.webAclMonthly + acl.rules * prices.webAclRuleMonthly,
      variable: (n) => (acl.associated ? (n / 1e6) * prices.webAclPerMillion : 0),
      perMillion: true,
    });
  }

  // Lambda.
  if (fn !== undefined) {
    const perDelivery = invocationCost(fn, RECEIVER_BILLED_MS, prices);
    lines.push({
      service: 'Lambda (receiver)',
      usage: `${fn.architecture}, ${fn.memoryMb} MB, ${RECEIVER_BILLED_MS} ms a delivery`,
      idle: 0,
      variable: (n) => n * perDelivery,
      perMillion: true,
    });
  }
  for (const scheduled of inventory.scheduledFunctions) {
    const runs = scheduled.invocationsPerMonth;
    if (runs === undefined) {
      notes.push(`${scheduled.ruleId} runs a function on a cron schedule: not priced.`);
      continue;
    }
    const run = invocationCost(scheduled, SCHEDULED_BILLED_MS, prices);
    lines.push({
      service: 'Lambda (scheduled)',
      usage: `${Math.round(runs).toLocaleString('en-US')} runs a month (${scheduled.ruleId}), ${SCHEDULED_BILLED_MS} ms each`,
      idle: runs * run,
      variable: () => 0,
      perMillion: true,
    });
  }

  // DynamoDB.
  if (inventory.table !== undefined && receiver !== undefined) {
    const claim = Math.ceil(MEASURED.claimItemBytes / 1024);
    const completion = Math.ceil(MEASURED.completedItemBytes / 1024);
    const units = claim + completion;
    if (inventory.table.onDemand) {
      lines.push({
        service: 'DynamoDB (on demand)',
        usage: `${units} write units a delivery (claim ${MEASURED.claimItemBytes} B, completion ${MEASURED.completedItemBytes} B)`,
        idle: 0,
        variable: (n) => ((n * units) / 1e6) * prices.dynamoWriteUnitsPerMillion,
        perMillion: true,
      });
    } else {
      notes.push('The table has provisioned capacity: its hourly capacity is not priced here.');
    }
  }

  // SNS.
  if (receiver !== undefined) {
    const chunks = Math.max(1, Math.ceil(MEASURED.publishedMessageBytes / 65_536));
    if (receiver.fifoTopics) {
      const payloadGb = MEASURED.publishedMessageBytes / GB;
      lines.push({
        service: 'SNS (FIFO topics)',
        usage: `${plural(chunks, 'publish', 'publishes')} a delivery and its ${MEASURED.publishedMessageBytes} B payload`,
        idle: 0,
        variable: (n) =>
          ((n * chunks) / 1e6) * prices.snsFifoPublishesPerMillion +
          n * payloadGb * prices.snsFifoPayloadPerGb,
        perMillion: true,
      });
      notes.push(
        'FIFO topics also charge each subscription by message and payload, and the archive by GB-month: those depend on the subscriptions, not priced here.',
      );
    } else {
      lines.push({
        service: 'SNS',
        usage: `${plural(chunks, 'publish', 'publishes')} a delivery (deliveries to SQS and Lambda are free)`,
        idle: 0,
        variable: (n) => ((n * chunks) / 1e6) * prices.snsPublishesPerMillion,
        perMillion: true,
      });
    }
  }

  // CloudWatch Logs.
  const logBytes = logBytesPerDelivery(inventory);
  lines.push({
    service: 'CloudWatch Logs',
    usage: `${logBytes.total.toLocaleString('en-US')} B ingested a delivery, ${money(prices.logsIngestedPerGb)} a GB`,
    idle: 0,
    variable: (n) => ((n * logBytes.total) / GB) * prices.logsIngestedPerGb,
    perMillion: true,
  });
  if (inventory.executionLogLevel === 'INFO') {
    notes.push(
      'The REST stage logs execution at INFO: several lines a request that only AWS writes, not counted here (ERROR writes none for a delivery answered 2xx).',
    );
  }

  // X-Ray: the first traced service decides. A traced REST stage samples by the
  // account's rules; Lambda, when it is first (behind an HTTP API or a function
  // URL), samples by its own fixed rule, whatever rules the template adds.
  if (traced(inventory)) {
    const byStage = inventory.apiTracing;
    const rule = byStage ? (inventory.samplingRule ?? DEFAULT_SAMPLING) : DEFAULT_SAMPLING;
    const source = !byStage
      ? "Lambda's own rule"
      : inventory.samplingRule === undefined
        ? "X-Ray's default rule"
        : "the template's sampling rule";
    if (!byStage && inventory.samplingRule !== undefined) {
      notes.push(
        "The template's X-Ray sampling rule does not apply to Lambda, which samples the first request each second and 5 % of the rest when it starts the trace.",
      );
    }
    lines.push({
      service: 'X-Ray',
      usage: `traces sampled by ${source} (${rule.reservoirPerSecond}/s, then ${Math.round(rule.fixedRate * 100)} %)`,
      idle: 0,
      variable: (n) => (tracesRecorded(n, rule) / 1e6) * prices.xrayTracesPerMillion,
      perMillion: true,
    });
  }

  // Custom metrics (EMF): series per published delivery, billed for each hour they receive data.
  if (receiver !== undefined) {
    // Received, Published and HandlerDuration: service totals, and per EventType when on.
    const perSeriesSet = 3;
    const byType = receiver.metricsByEventType;
    const seriesCount = perSeriesSet * (1 + (byType ? routedTypes : 0));
    lines.push({
      service: 'CloudWatch custom metrics',
      usage: `${seriesCount} series (${byType ? '3 totals, 3 per routed event type' : 'service totals only'}), ${money(prices.customMetricMonthly)} each a month, by the hour with data`,
      idle: 0,
      variable: (n) =>
        ((perSeriesSet * occupiedSlots(HOURS_PER_MONTH, n) +
          (byType
            ? perSeriesSet * routedTypes * occupiedSlots(HOURS_PER_MONTH, n / routedTypes)
            : 0)) /
          HOURS_PER_MONTH) *
        prices.customMetricMonthly,
      perMillion: false,
    });
  }

  // Dashboards and alarms.
  if (inventory.dashboards > 0) {
    lines.push({
      service: 'CloudWatch dashboards',
      usage: `${plural(inventory.dashboards, 'dashboard')} (counted as paid: the account's first three are free)`,
      idle: inventory.dashboards * prices.dashboardMonthly,
      variable: () => 0,
      perMillion: true,
    });
  }
  if (inventory.alarms.length + inventory.compositeAlarms > 0) {
    const standard = inventory.alarms.filter((alarm) => !alarm.highResolution);
    const high = inventory.alarms.filter((alarm) => alarm.highResolution);
    const metrics = (alarms: typeof standard) =>
      alarms.reduce((sum, alarm) => sum + alarm.metrics, 0);
    const parts = [
      `${plural(standard.length, 'standard alarm')} on ${plural(metrics(standard), 'metric')}`,
      ...(high.length > 0
        ? [`${plural(high.length, 'high-resolution alarm')} on ${plural(metrics(high), 'metric')}`]
        : []),
      ...(inventory.compositeAlarms > 0
        ? [plural(inventory.compositeAlarms, 'composite alarm')]
        : []),
    ];
    lines.push({
      service: 'CloudWatch alarms',
      usage: parts.join(', '),
      idle:
        metrics(standard) * prices.standardAlarmMetricMonthly +
        metrics(high) * prices.highResolutionAlarmMetricMonthly +
        inventory.compositeAlarms * prices.compositeAlarmMonthly,
      variable: () => 0,
      perMillion: true,
    });
  }

  // KMS: keys a month; requests for data keys and the secret's decryption.
  const secretReads = (n: number): number =>
    receiver === undefined
      ? 0
      : occupiedSlots(SECONDS_PER_MONTH / Math.max(1, receiver.keyRefreshIntervalSeconds), n);
  const kmsWindows = SECONDS_PER_MONTH / KMS_DATA_KEY_REUSE_SECONDS;
  const kmsRequests = (n: number): number =>
    (inventory.table?.kmsEncrypted ? occupiedSlots(kmsWindows, n) : 0) +
    (inventory.encryptedTopics ? routedTypes * occupiedSlots(kmsWindows, n / routedTypes) : 0) +
    secretReads(n);
  const keys = inventory.customerManagedKeys;
  if (keys.length > 0 || receiver !== undefined) {
    lines.push({
      service: 'KMS',
      usage: `${plural(keys.length, 'customer managed key')}; requests: a data key per ${KMS_DATA_KEY_REUSE_SECONDS / 60} minutes with traffic for the table and each topic, one per secret read`,
      idle: keys.length * prices.kmsKeyMonthly,
      variable: (n) => (kmsRequests(n) / 1e4) * prices.kmsRequestsPer10k,
      perMillion: false,
    });
    if (keys.some((key) => key.rotation)) {
      notes.push(
        'A customer managed key with rotation adds $1 a month at its first and second yearly rotation (at most $3 a month); counted at its first year.',
      );
    }
  }

  // Secrets Manager.
  if (inventory.secrets > 0) {
    const interval = receiver?.keyRefreshIntervalSeconds ?? 60;
    lines.push({
      service: 'Secrets Manager',
      usage:
        receiver === undefined
          ? `${plural(inventory.secrets, 'secret')} (its reads by the function are not counted)`
          : `${plural(inventory.secrets, 'secret')}; the handler reads it at most once every ${interval} s per container`,
      idle: inventory.secrets * prices.secretMonthly,
      variable: (n) => (secretReads(n) / 1e4) * prices.secretCallsPer10k,
      perMillion: false,
    });
  }

  // SSM.
  if (inventory.standardParameters + inventory.advancedParameters > 0) {
    lines.push({
      service: 'SSM parameters',
      usage: `${inventory.standardParameters} standard (free)${inventory.advancedParameters > 0 ? `, ${inventory.advancedParameters} advanced` : ''}`,
      idle: inventory.advancedParameters * prices.ssmAdvancedParameterMonthly,
      variable: () => 0,
      perMillion: true,
    });
  }

  const unpriced = Object.entries(inventory.unpriced);
  if (unpriced.length > 0) {
    notes.push(`Not priced: ${unpriced.map(([type, count]) => `${count} × ${type}`).join(', ')}.`);
  }
  if (fn === undefined) {
    notes.push('No function receives the deliveries: per-delivery Lambda costs are not counted.');
  } else if (receiver === undefined) {
    notes.push(
      `${fn.id} is not this project's receiver (no TOPIC_ARNS): its own log lines, calls and metrics are not counted, only its requests, duration and the runtime's lines.`,
    );
  }
  return { lines, logBytes, notes };
}

/** The total a month at `deliveries`. */
export function totalAt(estimate: CostEstimate, deliveries: number): number {
  return estimate.lines.reduce((sum, line) => sum + line.idle + line.variable(deliveries), 0);
}
