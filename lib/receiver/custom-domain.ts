import { Arn, ArnFormat, Stack, Token } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as apigatewayv2 from 'aws-cdk-lib/aws-apigatewayv2';
import type * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import * as targets from 'aws-cdk-lib/aws-route53-targets';
import type { Construct } from 'constructs';
import { WEBHOOK_PATH } from '../../lambda/contract/http.ts';
import { ReceiverConfigurationError } from './configuration-error.ts';

/** A custom domain of the webhook API, as the receiver's props give it. */
export interface CustomDomainOptions {
  readonly domainName: string;
  /** An ACM certificate for `domainName`, in the stack's region (a regional API's domain needs one there). */
  readonly certificate: acm.ICertificate;
  /** Where to create the alias record; none is created without it. */
  readonly hostedZone?: route53.IHostedZone | undefined;
}

/** A DNS name API Gateway accepts for a regional custom domain: no wildcard, no trailing dot. */
const DOMAIN_NAME =
  /^(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$/;

/**
 * The custom domain props, checked together: all or nothing of `domainName`
 * and `certificate`, `hostedZone` only with them, a plain DNS name inside the
 * zone, and a certificate of the stack's region (when both are known at synth).
 *
 * @returns the options, or undefined when no custom domain is configured
 */
export function resolveCustomDomain(
  scope: Construct,
  path: string,
  props: {
    readonly domainName?: string | undefined;
    readonly certificate?: acm.ICertificate | undefined;
    readonly hostedZone?: route53.IHostedZone | undefined;
  },
): CustomDomainOptions | undefined {
  const { domainName, certificate, hostedZone } = props;
  if (domainName === undefined) {
    if (certificate !== undefined || hostedZone !== undefined) {
      const given = certificate !== undefined ? 'certificate' : 'hostedZone';
      throw new ReceiverConfigurationError(
        path,
        `${given} needs domainName, the custom domain it is for`,
      );
    }
    return undefined;
  }
  if (!Token.isUnresolved(domainName) && !DOMAIN_NAME.test(domainName)) {
    throw new ReceiverConfigurationError(
      path,
      `domainName must be a DNS name such as "webhooks.example.com" (lower case, no wildcard, no trailing dot), got ${JSON.stringify(domainName)}`,
    );
  }
  if (certificate === undefined) {
    throw new ReceiverConfigurationError(
      path,
      `domainName needs certificate: an ACM certificate for ${domainName} in the stack's region`,
    );
  }
  const certificateRegion = Token.isUnresolved(certificate.certificateArn)
    ? undefined
    : Arn.split(certificate.certificateArn, ArnFormat.SLASH_RESOURCE_NAME).region;
  const stackRegion = Stack.of(scope).region;
  if (
    certificateRegion !== undefined &&
    !Token.isUnresolved(stackRegion) &&
    certificateRegion !== stackRegion
  ) {
    throw new ReceiverConfigurationError(
      path,
      `certificate must be in the stack's region (${stackRegion}), as a regional API's custom domain needs; it is in ${certificateRegion}`,
    );
  }
  if (hostedZone !== undefined && !Token.isUnresolved(hostedZone.zoneName)) {
    const zone = hostedZone.zoneName.replace(/\.$/, '').toLowerCase();
    if (domainName !== zone && !domainName.endsWith(`.${zone}`)) {
      throw new ReceiverConfigurationError(
        path,
        `domainName ${domainName} is not in the hosted zone ${zone}`,
      );
    }
  }
  return { domainName, certificate, ...(hostedZone && { hostedZone }) };
}

/** `https://<domainName>/webhooks`, the URL to register in Apideck. */
export function customDomainWebhookUrl(domainName: string): string {
  return `https://${domainName}/${WEBHOOK_PATH}`;
}

/**
 * The REST API's custom domain: regional, TLS 1.2, the stage mapped at the
 * root (so `/webhooks`, without the stage's name), and an alias record in
 * the hosted zone when one is given.
 */
export function addRestApiDomain(
  scope: Construct,
  stage: apigateway.Stage,
  options: CustomDomainOptions,
): apigateway.DomainName {
  const domain = new apigateway.DomainName(scope, 'CustomDomain', {
    domainName: options.domainName,
    certificate: options.certificate,
    endpointType: apigateway.EndpointType.REGIONAL,
    securityPolicy: apigateway.SecurityPolicy.TLS_1_2,
  });
  domain.addBasePathMapping(stage.restApi, { stage });
  if (options.hostedZone) {
    new route53.ARecord(scope, 'AliasRecord', {
      zone: options.hostedZone,
      recordName: options.domainName,
      target: route53.RecordTarget.fromAlias(new targets.ApiGatewayDomain(domain)),
    });
  }
  return domain;
}

/**
 * The HTTP API's custom domain: regional, TLS 1.2, the `$default` stage mapped
 * at the root, and an alias record in the hosted zone when one is given.
 */
export function addHttpApiDomain(
  scope: Construct,
  stage: apigatewayv2.HttpStage,
  options: CustomDomainOptions,
): apigatewayv2.DomainName {
  const domain = new apigatewayv2.DomainName(scope, 'CustomDomain', {
    domainName: options.domainName,
    certificate: options.certificate,
    securityPolicy: apigatewayv2.SecurityPolicy.TLS_1_2,
  });
  new apigatewayv2.ApiMapping(scope, 'CustomDomainMapping', {
    api: stage.api,
    domainName: domain,
    stage,
  });
  if (options.hostedZone) {
    new route53.ARecord(scope, 'AliasRecord', {
      zone: options.hostedZone,
      recordName: options.domainName,
      target: route53.RecordTarget.fromAlias(
        new targets.ApiGatewayv2DomainProperties(
          domain.regionalDomainName,
          domain.regionalHostedZoneId,
        ),
      ),
    });
  }
  return domain;
}
