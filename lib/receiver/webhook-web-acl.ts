import { Names } from 'aws-cdk-lib';
import * as wafv2 from 'aws-cdk-lib/aws-wafv2';
import { Construct } from 'constructs';
import { bodyTooLargeBody } from '../../lambda/contract/http.ts';
import { greaterThanPattern } from './decimal-pattern.ts';

export interface WebhookWebAclProps {
  /** ARN of the API Gateway stage to protect. */
  readonly stageArn: string;
  /** Requests one client IP may send in five minutes before it is blocked. */
  readonly rateLimitPerFiveMinutes: number;
  /** Largest body (declared `Content-Length`) let through to the Lambda; larger ones get 413. */
  readonly maxBodyBytes: number;
}

/**
 * Rules of `AWSManagedRulesCommonRuleSet` that only count, never block, with
 * why (docs/waf.md has the decision for every rule of every group). The body
 * of a delivery is arbitrary customer data authenticated by its HMAC: a URL
 * with an IP host, HTML in metadata or a path in a setting is legitimate, and a
 * genuine event blocked here is refused on every retry until Apideck disables
 * the webhook.
 */
export const COMMON_RULE_SET_COUNTED_RULES = {
  SizeRestrictions_BODY:
    'blocks bodies over 8 KB; connection events with settings exceed that, and the size rule of this web ACL enforces the real limit',
  EC2MetaDataSSRF_BODY:
    'matches metadata-endpoint URLs in the body; connection settings carry customer URLs with IP hosts',
  GenericLFI_BODY: 'matches path traversal in the body; customer data may contain paths',
  GenericRFI_BODY:
    'matches URLs with IP hosts in the body, such as "instance_url":"http://10.0.0.5"',
  CrossSiteScripting_BODY:
    'matches HTML in the body; connection metadata may carry HTML, and nothing renders the body',
  NoUserAgent_HEADER:
    "blocks requests without a User-Agent; Apideck's sender does not promise one, and the HMAC authenticates the request",
} as const;

/** Names of the rules of this web ACL, as written in the template and its metrics. */
export const WEB_ACL_RULE_NAMES = {
  bodyTooLarge: 'BodyTooLarge',
  rateLimit: 'RateLimitPerIp',
  ipReputation: 'AWSManagedRulesAmazonIpReputationList',
  common: 'AWSManagedRulesCommonRuleSet',
} as const;

/** Key of the 413 body in the web ACL's custom response bodies. */
const BODY_TOO_LARGE_KEY = 'BodyTooLarge';

function visibility(metricName: string): wafv2.CfnWebACL.VisibilityConfigProperty {
  return { cloudWatchMetricsEnabled: true, metricName, sampledRequestsEnabled: true };
}

function managedGroup(
  name: string,
  priority: number,
  countedRules: readonly string[],
): wafv2.CfnWebACL.RuleProperty {
  return {
    name,
    priority,
    overrideAction: { none: {} },
    statement: {
      managedRuleGroupStatement: {
        vendorName: 'AWS',
        name,
        ...(countedRules.length > 0
          ? {
              ruleActionOverrides: countedRules.map((rule) => ({
                name: rule,
                actionToUse: { count: {} },
              })),
            }
          : {}),
      },
    },
    visibilityConfig: visibility(name),
  };
}

/**
 * A regional web ACL in front of the webhook stage. It refuses what no genuine
 * delivery looks like, on what a request is rather than what its body says:
 * a declared body over the limit (413, before the Lambda, whose 6 MB payload
 * limit would otherwise answer 5xx), one IP sending too much, an address on
 * AWS's threat lists, and the common rule set's header, path and query rules.
 * No rule blocks on body content.
 */
export class WebhookWebAcl extends Construct {
  public readonly webAcl: wafv2.CfnWebACL;

  constructor(scope: Construct, id: string, props: WebhookWebAclProps) {
    super(scope, id);
    this.webAcl = new wafv2.CfnWebACL(this, 'Resource', {
      scope: 'REGIONAL',
      defaultAction: { allow: {} },
      description:
        'Apideck webhook endpoint: body size, per-IP rate, IP reputation, common rules without body rules',
      visibilityConfig: visibility(Names.uniqueResourceName(this, { maxLength: 128 })),
      customResponseBodies: {
        [BODY_TOO_LARGE_KEY]: {
          contentType: 'APPLICATION_JSON',
          content: JSON.stringify(bodyTooLargeBody(props.maxBodyBytes)),
        },
      },
      rules: [
        {
          // WAF sees at most the first 8-64 KB of an API Gateway body, so the
          // size is judged on the declared Content-Length, which HTTP framing
          // holds the body to. A chunked request declares none: docs/waf.md.
          name: WEB_ACL_RULE_NAMES.bodyTooLarge,
          priority: 0,
          action: {
            block: {
              customResponse: { responseCode: 413, customResponseBodyKey: BODY_TOO_LARGE_KEY },
            },
          },
          statement: {
            regexMatchStatement: {
              // The L1 passes this JSON through as is: CloudFormation's own casing.
              fieldToMatch: { singleHeader: { Name: 'content-length' } },
              regexString: greaterThanPattern(props.maxBodyBytes),
              textTransformations: [{ priority: 0, type: 'NONE' }],
            },
          },
          visibilityConfig: visibility(WEB_ACL_RULE_NAMES.bodyTooLarge),
        },
        {
          name: WEB_ACL_RULE_NAMES.rateLimit,
          priority: 1,
          action: { block: {} },
          statement: {
            rateBasedStatement: {
              aggregateKeyType: 'IP',
              evaluationWindowSec: 300,
              limit: props.rateLimitPerFiveMinutes,
            },
          },
          visibilityConfig: visibility(WEB_ACL_RULE_NAMES.rateLimit),
        },
        managedGroup(WEB_ACL_RULE_NAMES.ipReputation, 2, []),
        managedGroup(WEB_ACL_RULE_NAMES.common, 3, Object.keys(COMMON_RULE_SET_COUNTED_RULES)),
      ],
    });
    new wafv2.CfnWebACLAssociation(this, 'StageAssociation', {
      resourceArn: props.stageArn,
      webAclArn: this.webAcl.attrArn,
    });
  }
}
