/**
 * The rules of the AWS managed rule groups as AWS documents them ("Baseline
 * rule groups", "IP reputation rule groups" in the AWS WAF developer guide),
 * with the part of the request each inspects. Written from the documentation,
 * not from `lib/`, so that a test can hold the web ACL to it.
 */

/** The part of a request a managed rule inspects. */
export type InspectedPart = 'body' | 'header' | 'uri-path' | 'query' | 'cookie' | 'source-ip';

export const MANAGED_RULE_GROUPS: Readonly<
  Record<string, Readonly<Record<string, InspectedPart>>>
> = {
  AWSManagedRulesCommonRuleSet: {
    NoUserAgent_HEADER: 'header',
    UserAgent_BadBots_HEADER: 'header',
    SizeRestrictions_QUERYSTRING: 'query',
    SizeRestrictions_Cookie_HEADER: 'cookie',
    SizeRestrictions_BODY: 'body',
    SizeRestrictions_URIPATH: 'uri-path',
    EC2MetaDataSSRF_BODY: 'body',
    EC2MetaDataSSRF_COOKIE: 'cookie',
    EC2MetaDataSSRF_URIPATH: 'uri-path',
    EC2MetaDataSSRF_QUERYARGUMENTS: 'query',
    GenericLFI_QUERYARGUMENTS: 'query',
    GenericLFI_URIPATH: 'uri-path',
    GenericLFI_BODY: 'body',
    RestrictedExtensions_URIPATH: 'uri-path',
    RestrictedExtensions_QUERYARGUMENTS: 'query',
    GenericRFI_QUERYARGUMENTS: 'query',
    GenericRFI_BODY: 'body',
    GenericRFI_URIPATH: 'uri-path',
    CrossSiteScripting_COOKIE: 'cookie',
    CrossSiteScripting_QUERYARGUMENTS: 'query',
    CrossSiteScripting_BODY: 'body',
    CrossSiteScripting_URIPATH: 'uri-path',
  },
  AWSManagedRulesAmazonIpReputationList: {
    AWSManagedIPReputationList: 'source-ip',
    AWSManagedReconnaissanceList: 'source-ip',
    AWSManagedIPDDoSList: 'source-ip',
  },
};
