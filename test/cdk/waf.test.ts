import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ENVIRONMENT_DEFAULTS } from '../../lambda/contract/environment.ts';
import { bodyTooLargeBody } from '../../lambda/contract/http.ts';
import { toHttpResponse } from '../../lambda/http/responses.ts';
import { greaterThanPattern } from '../../lib/receiver/decimal-pattern.ts';
import { MANAGED_RULE_GROUPS } from './support/managed-rule-groups.ts';
import { synthStack } from './support/synth.ts';

interface WafRule {
  readonly Name: string;
  readonly Priority: number;
  readonly Action?: { readonly Block?: unknown; readonly Count?: unknown };
  readonly OverrideAction?: { readonly None?: unknown; readonly Count?: unknown };
  readonly Statement: Record<string, unknown>;
}

interface ManagedGroupStatement {
  readonly Name: string;
  readonly VendorName: string;
  readonly RuleActionOverrides?: readonly { Name: string; ActionToUse: Record<string, unknown> }[];
}

interface WebAclProperties {
  readonly Rules: readonly WafRule[];
  readonly CustomResponseBodies?: Record<string, { ContentType: string; Content: string }>;
}

function webAcl(receiver: Parameters<typeof synthStack>[0] = {}): WebAclProperties {
  const acls = Object.values(synthStack(receiver).template.findResources('AWS::WAFv2::WebACL'));
  expect(acls).toHaveLength(1);
  return (acls[0] as { Properties: WebAclProperties }).Properties;
}

/** Every `FieldToMatch` anywhere in a statement tree (and/or/not, scope-downs included). */
function fieldsToMatch(node: unknown): Record<string, unknown>[] {
  if (Array.isArray(node)) return node.flatMap(fieldsToMatch);
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, value]) =>
    key === 'FieldToMatch' ? [value as Record<string, unknown>] : fieldsToMatch(value),
  );
}

const BODY_FIELDS = ['Body', 'JsonBody'];

function managedGroupOf(rule: WafRule): ManagedGroupStatement | undefined {
  return rule.Statement.ManagedRuleGroupStatement as ManagedGroupStatement | undefined;
}

describe('the web ACL', () => {
  const acl = webAcl();

  it('has no rule of its own that blocks on the body', () => {
    const blocking = acl.Rules.filter((rule) => rule.Action?.Block !== undefined);
    expect(blocking.length).toBeGreaterThan(0);
    for (const rule of blocking) {
      const inspected = fieldsToMatch(rule.Statement).flatMap(Object.keys);
      expect(
        inspected.filter((field) => BODY_FIELDS.includes(field)),
        `rule ${rule.Name}`,
      ).toEqual([]);
    }
  });

  it('uses only managed rule groups whose rules are classified (add a new group to the fixture)', () => {
    const groups = acl.Rules.map(managedGroupOf).filter((group) => group !== undefined);
    expect(groups.length).toBeGreaterThan(0);
    for (const group of groups) {
      expect(Object.keys(MANAGED_RULE_GROUPS), `${group.VendorName}/${group.Name}`).toContain(
        group.Name,
      );
    }
  });

  it('counts, never blocks, every managed rule that inspects the body', () => {
    for (const rule of acl.Rules) {
      const group = managedGroupOf(rule);
      if (!group || rule.OverrideAction?.Count !== undefined) continue;
      const bodyRules = Object.entries(MANAGED_RULE_GROUPS[group.Name] ?? {})
        .filter(([, part]) => part === 'body')
        .map(([name]) => name);
      const counted = (group.RuleActionOverrides ?? [])
        .filter((override) => 'Count' in override.ActionToUse)
        .map((override) => override.Name);
      expect(counted, group.Name).toEqual(expect.arrayContaining(bodyRules));
    }
  });

  it("counts the common rule set's NoUserAgent_HEADER, which a genuine sender may trip", () => {
    const common = acl.Rules.map(managedGroupOf).find(
      (group) => group?.Name === 'AWSManagedRulesCommonRuleSet',
    );
    expect(common?.RuleActionOverrides).toContainEqual({
      Name: 'NoUserAgent_HEADER',
      ActionToUse: { Count: {} },
    });
  });

  it("keeps the AWS IP reputation list with the group's own actions", () => {
    const reputation = acl.Rules.find(
      (rule) => managedGroupOf(rule)?.Name === 'AWSManagedRulesAmazonIpReputationList',
    );
    expect(reputation?.OverrideAction).toEqual({ None: {} });
    expect(managedGroupOf(reputation as WafRule)?.RuleActionOverrides).toBeUndefined();
  });

  it('overrides only rules the groups have (a misspelt override would leave the rule blocking)', () => {
    for (const rule of acl.Rules) {
      const group = managedGroupOf(rule);
      for (const override of group?.RuleActionOverrides ?? []) {
        expect(Object.keys(MANAGED_RULE_GROUPS[group?.Name ?? ''] ?? {})).toContain(override.Name);
      }
    }
  });
});

describe('the body size rule', () => {
  const acl = webAcl();
  const sizeRule = acl.Rules.find((rule) => rule.Name === 'BodyTooLarge') as WafRule;

  it('runs first and answers 413 with the handler-shaped JSON body, never 5xx', () => {
    expect(sizeRule.Priority).toBe(Math.min(...acl.Rules.map((rule) => rule.Priority)));
    const block = sizeRule.Action?.Block as {
      CustomResponse: { ResponseCode: number; CustomResponseBodyKey: string };
    };
    expect(block.CustomResponse.ResponseCode).toBe(413);
    const body = acl.CustomResponseBodies?.[block.CustomResponse.CustomResponseBodyKey];
    expect(body?.ContentType).toBe('APPLICATION_JSON');
    expect(JSON.parse(body?.Content ?? '')).toEqual(
      bodyTooLargeBody(ENVIRONMENT_DEFAULTS.maxBodyBytes),
    );
  });

  it("answers with exactly the handler's 413 for a body over the limit", () => {
    const limitBytes = ENVIRONMENT_DEFAULTS.maxBodyBytes;
    const handler = toHttpResponse({ kind: 'too-large', limitBytes, sizeBytes: limitBytes + 1 });
    expect(handler.statusCode).toBe(413);
    expect(acl.CustomResponseBodies?.BodyTooLarge?.Content).toBe(handler.body);
  });

  it('matches a Content-Length over the configured limit', () => {
    const statement = sizeRule.Statement.RegexMatchStatement as {
      FieldToMatch: unknown;
      RegexString: string;
    };
    expect(statement.FieldToMatch).toEqual({ SingleHeader: { Name: 'content-length' } });
    const pattern = new RegExp(statement.RegexString);
    expect(pattern.test(String(ENVIRONMENT_DEFAULTS.maxBodyBytes))).toBe(false);
    expect(pattern.test(String(ENVIRONMENT_DEFAULTS.maxBodyBytes + 1))).toBe(true);
    expect(pattern.test(String(6 * 1024 * 1024 + 1))).toBe(true);
  });

  it('follows maxBodyBytes, in the pattern and the 413 body', () => {
    const small = webAcl({ maxBodyBytes: 65_536 });
    const rule = small.Rules.find((r) => r.Name === 'BodyTooLarge') as WafRule;
    const pattern = new RegExp(
      (rule.Statement.RegexMatchStatement as { RegexString: string }).RegexString,
    );
    expect([pattern.test('65536'), pattern.test('65537')]).toEqual([false, true]);
    expect(JSON.parse(small.CustomResponseBodies?.BodyTooLarge?.Content ?? '')).toMatchObject({
      limit_bytes: 65_536,
    });
  });
});

describe('greaterThanPattern', () => {
  it('matches exactly the decimal numbers above the limit, leading zeros included', () => {
    fc.assert(
      fc.property(
        fc.nat({ max: 20_000_000 }),
        fc.nat({ max: 20_000_000 }),
        fc.nat({ max: 3 }),
        (limit, value, zeros) => {
          const pattern = new RegExp(greaterThanPattern(limit));
          expect(pattern.test(`${'0'.repeat(zeros)}${value}`)).toBe(value > limit);
        },
      ),
      { numRuns: 2_000 },
    );
  });

  it('matches no value that is not a plain decimal number', () => {
    const pattern = new RegExp(greaterThanPattern(262_144));
    for (const value of ['', ' 300000', '300000 ', '3e6', '-300000', '0x400000', '300,000']) {
      expect(pattern.test(value), JSON.stringify(value)).toBe(false);
    }
  });

  it('refuses a limit that is not a non-negative integer', () => {
    expect(() => greaterThanPattern(-1)).toThrow(RangeError);
    expect(() => greaterThanPattern(1.5)).toThrow(RangeError);
  });
});
