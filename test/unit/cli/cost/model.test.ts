import { describe, expect, it } from 'vitest';
import { DEFAULT_SAMPLING, MEASURED, PLATFORM_LINES } from '../../../../cli/cost/assumptions.ts';
import {
  type CostEstimate,
  estimateCost,
  logBytesPerDelivery,
  occupiedSlots,
  renderAccessLog,
  totalAt,
  tracesRecorded,
} from '../../../../cli/cost/model.ts';
import { priceListOf, UnknownRegionError } from '../../../../cli/cost/prices.ts';
import { readInventory } from '../../../../cli/cost/template.ts';
import {
  alarm,
  httpApi,
  lambdaFunction,
  mathAlarm,
  onDemandTable,
  receiver,
  restApi,
  restStage,
  templateOf,
  webAcl,
} from './template-fixtures.ts';

const prices = priceListOf('us-east-1');

function estimate(resources: Parameters<typeof templateOf>[0]): CostEstimate {
  return estimateCost(readInventory(templateOf(resources)), prices);
}

function line(of: CostEstimate, service: string) {
  const found = of.lines.find((candidate) => candidate.service === service);
  if (found === undefined) throw new Error(`no line ${service}: ${of.lines.map((l) => l.service)}`);
  return found;
}

describe('estimateCost', () => {
  it('prices a REST API at $3.50 a million requests', () => {
    expect(line(estimate({ Api: restApi }), 'API Gateway (REST API)').variable(1e6)).toBeCloseTo(
      3.5,
    );
  });

  it('prices an HTTP API at $1.00 a million requests', () => {
    expect(line(estimate({ Api: httpApi }), 'API Gateway (HTTP API)').variable(1e6)).toBeCloseTo(1);
  });

  it('prices a web ACL at $5 a month plus $1 a rule', () => {
    expect(line(estimate({ Acl: webAcl(4) }), 'AWS WAF').idle).toBeCloseTo(9);
  });

  it('charges no request to a web ACL associated with nothing', () => {
    expect(line(estimate({ Acl: webAcl(1) }), 'AWS WAF').variable(1e6)).toBe(0);
  });

  it('prices alarms by metric: standard $0.10, each metric of a math alarm, high resolution $0.30', () => {
    const alarms = line(
      estimate({ A: alarm(), B: mathAlarm(4), C: alarm(10) }),
      'CloudWatch alarms',
    );
    expect(alarms.idle).toBeCloseTo(0.1 + 0.4 + 0.3);
  });

  it('prices a composite alarm at $0.50 a month', () => {
    const composite = { Type: 'AWS::CloudWatch::CompositeAlarm', Properties: {} };
    expect(line(estimate({ C: composite }), 'CloudWatch alarms').idle).toBeCloseTo(0.5);
  });

  it('counts every dashboard at $3 a month', () => {
    const dashboard = { Type: 'AWS::CloudWatch::Dashboard', Properties: {} };
    expect(
      line(estimate({ A: dashboard, B: dashboard }), 'CloudWatch dashboards').idle,
    ).toBeCloseTo(6);
  });

  it('prices a customer managed key at $1 a month', () => {
    const key = { Type: 'AWS::KMS::Key', Properties: {} };
    expect(line(estimate({ Key: key }), 'KMS').idle).toBeCloseTo(1);
  });

  it('prices a secret at $0.40 a month', () => {
    const secret = { Type: 'AWS::SecretsManager::Secret', Properties: {} };
    expect(line(estimate({ Secret: secret }), 'Secrets Manager').idle).toBeCloseTo(0.4);
  });

  it('leaves standard SSM parameters free and prices advanced ones', () => {
    const parameter = (tier: string) => ({
      Type: 'AWS::SSM::Parameter',
      Properties: { Tier: tier },
    });
    const ssm = line(
      estimate({ A: parameter('Standard'), B: parameter('Advanced') }),
      'SSM parameters',
    );
    expect(ssm.idle).toBeCloseTo(0.05);
  });

  it('prices Lambda duration by memory and architecture', () => {
    const lambda = (fn: ReturnType<typeof lambdaFunction>) =>
      line(estimate({ Fn: fn }), 'Lambda (receiver)').variable(1e6);
    const arm = lambda(lambdaFunction({ memoryMb: 256, architecture: 'arm64' }));
    const x86 = lambda(lambdaFunction({ memoryMb: 256, architecture: 'x86_64' }));
    const armLarger = lambda(lambdaFunction({ memoryMb: 512, architecture: 'arm64' }));
    expect(x86).toBeGreaterThan(arm);
    expect(armLarger - 0.2).toBeCloseTo(2 * (arm - 0.2));
  });

  it('counts two on-demand write units a delivery (claim and completion)', () => {
    const dynamo = line(
      estimate({ Fn: receiver(['a']), Table: onDemandTable }),
      'DynamoDB (on demand)',
    );
    expect(dynamo.variable(1e6)).toBeCloseTo(2 * 0.625);
  });

  it('prices a FIFO receiver with the FIFO topic prices', () => {
    const fifo = receiver(['a']);
    (fifo.Properties.Environment.Variables as Record<string, unknown>).FIFO_TOPICS = 'true';
    const sns = line(estimate({ Fn: fifo }), 'SNS (FIFO topics)');
    expect(sns.variable(1e6)).toBeCloseTo(
      0.3 + (1e6 * MEASURED.publishedMessageBytes * 0.017) / 1024 ** 3,
    );
  });

  it('has no X-Ray line when nothing is traced', () => {
    const of = estimate({ Fn: receiver(['a'], { tracing: 'PassThrough' }) });
    expect(of.lines.map((l) => l.service)).not.toContain('X-Ray');
  });

  it('traces every delivery at a low volume under the default rule', () => {
    const xray = line(estimate({ Fn: receiver(['a'], { tracing: 'Active' }) }), 'X-Ray');
    expect(xray.variable(10_000)).toBeCloseTo((10_000 / 1e6) * 5, 3);
  });

  it("records fewer traces under the template's sampling rule when a traced REST stage starts the trace", () => {
    const rule = {
      Type: 'AWS::XRay::SamplingRule',
      Properties: { SamplingRule: { ReservoirSize: 0, FixedRate: 0.01 } },
    };
    const xray = line(
      estimate({ Api: restApi, Stage: restStage(undefined, 'ERROR', true), Rule: rule }),
      'X-Ray',
    );
    expect(xray.variable(1e6)).toBeCloseTo(0.05);
  });

  it('keeps Lambda on its own sampling when Lambda starts the trace, whatever rule the template adds', () => {
    const rule = {
      Type: 'AWS::XRay::SamplingRule',
      Properties: { SamplingRule: { ReservoirSize: 0, FixedRate: 0.01 } },
    };
    const xray = line(
      estimate({ Api: httpApi, Fn: receiver(['a'], { tracing: 'Active' }), Rule: rule }),
      'X-Ray',
    );
    expect(xray.variable(10_000)).toBeCloseTo((10_000 / 1e6) * 5, 3);
  });

  it('gives the custom metrics no per-million figure and caps them at their series a month', () => {
    const metrics = line(estimate({ Fn: receiver(['a', 'b']) }), 'CloudWatch custom metrics');
    expect(metrics.perMillion).toBe(false);
    expect(metrics.idle).toBe(0);
    // 3 totals + 3 per routed type, every hour with data.
    expect(metrics.variable(1e9)).toBeCloseTo(9 * 0.3);
  });

  it('counts 3 custom metric series when the metrics are service totals only', () => {
    const fn = receiver(['a', 'b']);
    (fn.Properties.Environment.Variables as Record<string, unknown>).METRICS_BY_EVENT_TYPE =
      'false';
    const metrics = line(estimate({ Fn: fn }), 'CloudWatch custom metrics');
    expect(metrics.variable(1e9)).toBeCloseTo(3 * 0.3);
  });

  it('prices log ingestion at $0.50 a GB of the bytes logged per delivery', () => {
    const of = estimate({ Fn: receiver(['a']) });
    expect(line(of, 'CloudWatch Logs').variable(1e6)).toBeCloseTo(
      ((1e6 * of.logBytes.total) / 1024 ** 3) * 0.5,
    );
  });

  it('adds nothing to the idle month for what deliveries use', () => {
    const of = estimate({ Api: restApi, Fn: receiver(['a']), Table: onDemandTable });
    expect(totalAt(of, 0)).toBe(0);
  });
});

describe('logBytesPerDelivery', () => {
  const bytes = (resources: Parameters<typeof templateOf>[0]) =>
    logBytesPerDelivery(readInventory(templateOf(resources)));
  const textPlatform = PLATFORM_LINES.text.reduce((sum, l) => sum + Buffer.byteLength(l), 0);

  it("counts the handler's measured lines and the runtime's START, END and REPORT in Text format", () => {
    expect(bytes({ Fn: receiver(['a']) })).toMatchObject({
      handler: MEASURED.logLineBytes + MEASURED.emfBytes,
      platform: textPlatform,
    });
  });

  it("drops the runtime's lines in JSON format with the system log level at WARN", () => {
    const fn = receiver(['a'], { logging: { LogFormat: 'JSON', SystemLogLevel: 'WARN' } });
    expect(bytes({ Fn: fn }).platform).toBe(0);
  });

  it('drops the INFO delivery line but keeps the EMF document with the application log level at WARN', () => {
    const fn = receiver(['a'], { logging: { LogFormat: 'JSON', ApplicationLogLevel: 'WARN' } });
    expect(bytes({ Fn: fn }).handler).toBe(MEASURED.emfBytes);
  });

  it('counts the smaller EMF document of metrics written as service totals only', () => {
    const fn = receiver(['a']);
    (fn.Properties.Environment.Variables as Record<string, unknown>).METRICS_BY_EVENT_TYPE =
      'false';
    expect(bytes({ Fn: fn }).handler).toBe(MEASURED.logLineBytes + MEASURED.emfTotalsOnlyBytes);
  });

  it('counts the sampled log line, which names the trace, for a traced function', () => {
    const handler = bytes({ Fn: receiver(['a'], { tracing: 'Active' }) }).handler;
    expect(handler).toBe(MEASURED.tracedLogLineBytes + MEASURED.emfBytes);
  });

  it('adds the X-Ray ids to the REPORT line of a traced function', () => {
    const traced = bytes({ Fn: receiver(['a'], { tracing: 'Active' }) }).platform;
    expect(traced).toBe(textPlatform + Buffer.byteLength(PLATFORM_LINES.textTracing));
  });

  it("counts the stage's access log line as rendered", () => {
    const format = '{"requestId":"$context.requestId","status":"$context.status"}';
    const read = bytes({ Api: restApi, Stage: restStage(format) });
    expect(read.accessLog).toBe(
      '{"requestId":"0f5c2a8e-6b1d-4e7a-9c3f-2d4b6a8c0e1f","status":"200"}'.length,
    );
  });

  it('counts no access log without an access log setting', () => {
    expect(bytes({ Api: restApi, Stage: restStage(undefined) }).accessLog).toBe(0);
  });
});

describe('renderAccessLog', () => {
  it('writes "-" for a variable it has no value for, as API Gateway writes an empty one', () => {
    expect(renderAccessLog('$context.status $context.authorizer.claims', { status: '200' })).toBe(
      '200 -',
    );
  });
});

describe('occupiedSlots', () => {
  it('is close to the events when they are far fewer than the slots', () => {
    expect(occupiedSlots(730, 10)).toBeCloseTo(10, 0);
  });

  it('approaches the slots when events are far more', () => {
    expect(occupiedSlots(730, 1e6)).toBeCloseTo(730);
  });
});

describe('tracesRecorded', () => {
  it("approaches the rule's fixed rate at a rate far above the reservoir", () => {
    const deliveries = 1e10;
    expect(tracesRecorded(deliveries, DEFAULT_SAMPLING) / deliveries).toBeCloseTo(0.05, 3);
  });
});

describe('priceListOf', () => {
  it('refuses a region without a price list, naming the known ones', () => {
    expect(() => priceListOf('eu-west-1')).toThrow(UnknownRegionError);
    expect(() => priceListOf('eu-west-1')).toThrow(
      /known regions are us-east-1, us-east-2, us-west-2/,
    );
  });
});

describe('estimateCost notes', () => {
  it('names a managed rule group with a fee of its own, which it does not price', () => {
    const acl = webAcl(1);
    acl.Properties.Rules = [
      {
        Name: 'Bots',
        Priority: 0,
        Statement: {
          ManagedRuleGroupStatement: {
            VendorName: 'AWS',
            Name: 'AWSManagedRulesBotControlRuleSet',
          },
        },
      },
    ] as never;
    expect(estimate({ Acl: acl }).notes).toContain(
      'Acl uses managed rule groups with fees of their own, not priced: AWSManagedRulesBotControlRuleSet.',
    );
  });

  it('names a function on a cron schedule, which it does not price', () => {
    const rule = {
      Type: 'AWS::Events::Rule',
      Properties: {
        ScheduleExpression: 'cron(0 12 * * ? *)',
        Targets: [{ Arn: { 'Fn::GetAtt': ['Health', 'Arn'] }, Id: 'Target0' }],
      },
    };
    expect(estimate({ Health: lambdaFunction(), Daily: rule }).notes).toContain(
      'Daily runs a function on a cron schedule: not priced.',
    );
  });
});
