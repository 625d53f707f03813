import { describe, expect, it } from 'vitest';
import {
  EVENT_TYPE_DIMENSION,
  METRIC_NAMES,
  UNROUTED_EVENT_TYPE_DIMENSION_VALUE,
} from '../../../lambda/contract/metrics.ts';
import {
  emfDocument,
  eventTypeDimension,
  type HandledOutcome,
  outcomeCounts,
  outcomeEventType,
} from '../../../lambda/observability/outcome-metrics.ts';
import { OUTCOME_EXAMPLES, outcomeExample } from '../../support/delivery-outcomes.ts';

const NAMESPACE = 'Test/ApideckWebhooks';
const DURATION_MS = 37;
const TIMESTAMP_MS = Date.UTC(2026, 10, 26, 12, 30);

interface EmfMetric {
  readonly Name: string;
  readonly Unit: string;
}

interface EmfDirective {
  readonly Namespace: string;
  readonly Dimensions: string[][];
  readonly Metrics: EmfMetric[];
}

interface EmfDoc {
  readonly _aws: { readonly Timestamp: number; readonly CloudWatchMetrics: EmfDirective[] };
  readonly [member: string]: unknown;
}

function emf(outcome: HandledOutcome): EmfDoc {
  return JSON.parse(emfDocument(outcome, NAMESPACE, DURATION_MS, TIMESTAMP_MS));
}

function directive(outcome: HandledOutcome): EmfDirective {
  const first = emf(outcome)._aws.CloudWatchMetrics[0];
  if (first === undefined) throw new Error('no CloudWatchMetrics directive');
  return first;
}

/** The count metrics each example adds to, besides Received. */
const EXPECTED_COUNTS: Readonly<Record<string, readonly string[]>> = {
  published: ['Published'],
  'published, unrouted': ['Published', 'Unrouted'],
  'published, completion failed': ['Published', 'CompletionFailed'],
  'published, attribute dropped': ['Published', 'AttributeDropped'],
  'published, recovered': ['Published', 'Recovered'],
  duplicate: ['Duplicate'],
  'in-progress': ['InProgress'],
  'payload-conflict': ['PayloadConflict'],
  ignored: ['Ignored'],
  'invalid-json': ['InvalidRequest'],
  'invalid-envelope': ['InvalidRequest'],
  'signature missing': ['SignatureRejected'],
  'signature mismatch': ['SignatureRejected'],
  'body too large': ['TooLarge'],
  'message too large': ['TooLarge'],
  'replay too old': ['ReplayRefused'],
  'replay in future': ['ReplayRefused'],
  'keys unavailable': ['DependencyError'],
  'store unavailable': ['DependencyError'],
  'publish failed': ['DependencyError', 'PublishFailed'],
  'publish uncertain': ['DependencyError', 'PublishFailed', 'PublishUncertain'],
  'publish and release failed': ['DependencyError', 'PublishFailed'],
  misconfigured: ['UnexpectedError'],
  'unexpected error': ['UnexpectedError'],
};

/** The examples whose signed event type is known. */
const WITH_EVENT_TYPE = new Set([
  'published',
  'published, unrouted',
  'published, completion failed',
  'published, attribute dropped',
  'published, recovered',
  'duplicate',
  'in-progress',
  'payload-conflict',
  'message too large',
  'replay too old',
  'replay in future',
  'store unavailable',
  'publish failed',
  'publish uncertain',
  'publish and release failed',
]);

const NAMES = OUTCOME_EXAMPLES.map(([name]) => name);
const NAMES_WITH_TYPE = NAMES.filter((name) => WITH_EVENT_TYPE.has(name));
const NAMES_WITHOUT_TYPE = NAMES.filter((name) => !WITH_EVENT_TYPE.has(name));

function expectedCounts(name: string): readonly string[] {
  const counts = EXPECTED_COUNTS[name];
  if (counts === undefined) throw new Error(`no expected counts for ${name}`);
  return counts;
}

describe('outcomeCounts', () => {
  it('has an expectation for every outcome example', () => {
    expect(Object.keys(EXPECTED_COUNTS).sort()).toEqual([...NAMES].sort());
  });

  it.each(NAMES)('counts %s', (name) => {
    expect(outcomeCounts(outcomeExample(name))).toEqual(expectedCounts(name));
  });

  it('adds Unrouted and CompletionFailed to Published when both apply', () => {
    const published = outcomeExample('published, unrouted');
    if (published.kind !== 'published') throw new Error('example is not published');
    expect(outcomeCounts({ ...published, completed: false })).toEqual([
      METRIC_NAMES.published,
      METRIC_NAMES.unrouted,
      METRIC_NAMES.completionFailed,
    ]);
  });
});

describe('outcomeEventType', () => {
  it.each(NAMES_WITH_TYPE)('is the signed event type for %s', (name) => {
    expect(outcomeEventType(outcomeExample(name))).toBe('vault.connection.created');
  });

  it.each(NAMES_WITHOUT_TYPE)('is undefined for %s', (name) => {
    expect(outcomeEventType(outcomeExample(name))).toBeUndefined();
  });
});

describe('emfDocument', () => {
  it.each(NAMES)('puts %s in the configured namespace', (name) => {
    expect(directive(outcomeExample(name)).Namespace).toBe(NAMESPACE);
  });

  it.each(NAMES)('declares Received, the counts of %s and HandlerDuration with units', (name) => {
    expect(directive(outcomeExample(name)).Metrics).toEqual([
      { Name: 'Received', Unit: 'Count' },
      ...expectedCounts(name).map((metric) => ({ Name: metric, Unit: 'Count' })),
      { Name: 'HandlerDuration', Unit: 'Milliseconds' },
    ]);
  });

  it.each(NAMES)('sets each count of %s to 1 and the duration to the handler time', (name) => {
    const doc = emf(outcomeExample(name));
    const values = Object.fromEntries(
      ['Received', ...expectedCounts(name), 'HandlerDuration'].map((metric) => [
        metric,
        doc[metric],
      ]),
    );
    expect(values).toEqual({
      Received: 1,
      ...Object.fromEntries(expectedCounts(name).map((metric) => [metric, 1])),
      HandlerDuration: DURATION_MS,
    });
  });

  it.each(NAMES)('declares only the metrics of %s, no others', (name) => {
    const doc = emf(outcomeExample(name));
    const metricNames = new Set<string>(Object.values(METRIC_NAMES));
    expect(
      Object.keys(doc)
        .filter((key) => metricNames.has(key))
        .sort(),
    ).toEqual(['Received', ...expectedCounts(name), 'HandlerDuration'].sort());
  });

  it.each(NAMES_WITHOUT_TYPE)('has the service-total dimension set only for %s', (name) => {
    const doc = emf(outcomeExample(name));
    expect({
      dimensions: directive(outcomeExample(name)).Dimensions,
      eventType: doc.EventType,
    }).toEqual({
      dimensions: [[]],
      eventType: undefined,
    });
  });

  it.each(NAMES_WITH_TYPE)('adds the EventType dimension set for %s', (name) => {
    const doc = emf(outcomeExample(name));
    expect({
      dimensions: directive(outcomeExample(name)).Dimensions,
      eventType: doc[EVENT_TYPE_DIMENSION],
    }).toEqual({
      dimensions: [[], ['EventType']],
      eventType: 'vault.connection.created',
    });
  });

  it('puts an unrouted event type under the shared dimension value', () => {
    const dimensionOf = eventTypeDimension(['vault.connection.updated']);
    const doc: EmfDoc = JSON.parse(
      emfDocument(outcomeExample('published'), NAMESPACE, 1, TIMESTAMP_MS, dimensionOf),
    );
    expect(doc[EVENT_TYPE_DIMENSION]).toBe(UNROUTED_EVENT_TYPE_DIMENSION_VALUE);
  });

  it('keeps a routed event type as its own dimension value', () => {
    const dimensionOf = eventTypeDimension(['vault.connection.created']);
    const doc: EmfDoc = JSON.parse(
      emfDocument(outcomeExample('published'), NAMESPACE, 1, TIMESTAMP_MS, dimensionOf),
    );
    expect(doc[EVENT_TYPE_DIMENSION]).toBe('vault.connection.created');
  });

  it('writes service totals only when the event type maps to no dimension value', () => {
    const doc: EmfDoc = JSON.parse(
      emfDocument(outcomeExample('published'), NAMESPACE, 1, TIMESTAMP_MS, () => undefined),
    );
    expect({
      dimensions: doc._aws.CloudWatchMetrics[0]?.Dimensions,
      eventType: doc[EVENT_TYPE_DIMENSION],
    }).toEqual({ dimensions: [[]], eventType: undefined });
  });

  it('stamps the document with the given timestamp', () => {
    expect(emf(outcomeExample('published'))._aws.Timestamp).toBe(TIMESTAMP_MS);
  });

  it.each(OUTCOME_EXAMPLES)(
    'writes, for %s, the text JSON.stringify writes of the document',
    (_, outcome) => {
      const counts = [METRIC_NAMES.received, ...outcomeCounts(outcome)];
      const eventType = outcomeEventType(outcome);
      const expected = JSON.stringify({
        _aws: {
          Timestamp: TIMESTAMP_MS,
          CloudWatchMetrics: [
            {
              Namespace: NAMESPACE,
              Dimensions: eventType === undefined ? [[]] : [[], [EVENT_TYPE_DIMENSION]],
              Metrics: [
                ...counts.map((name) => ({ Name: name, Unit: 'Count' })),
                { Name: METRIC_NAMES.handlerDuration, Unit: 'Milliseconds' },
              ],
            },
          ],
        },
        ...Object.fromEntries(counts.map((name) => [name, 1])),
        [METRIC_NAMES.handlerDuration]: DURATION_MS,
        ...(eventType === undefined ? {} : { [EVENT_TYPE_DIMENSION]: eventType }),
      });
      expect(emfDocument(outcome, NAMESPACE, DURATION_MS, TIMESTAMP_MS)).toBe(expected);
    },
  );

  it('writes one line of JSON', () => {
    expect(emfDocument(outcomeExample('published'), NAMESPACE, 1, TIMESTAMP_MS)).not.toContain(
      '\n',
    );
  });
});
