import { App, Stack } from 'aws-cdk-lib';
import { Match, Template } from 'aws-cdk-lib/assertions';
import * as acm from 'aws-cdk-lib/aws-certificatemanager';
import * as route53 from 'aws-cdk-lib/aws-route53';
import { describe, expect, it } from 'vitest';
import { ApiKind } from '../../lib/api-kind.ts';
import { ApideckWebhookReceiver } from '../../lib/apideck-webhook-receiver.ts';
import { ApideckWebhooksStack } from '../../lib/apideck-webhooks-stack.ts';
import { apiDomainFromContext } from '../../lib/context/receiver-context.ts';
import type { ApideckWebhookReceiverProps } from '../../lib/receiver-props.ts';
import { newApp, projectContext } from './support/synth.ts';

const DOMAIN = 'webhooks.example.com';
const CERTIFICATE_ARN =
  'arn:aws:acm:eu-west-1:123456789012:certificate/0a1b2c3d-1111-2222-3333-444455556666';

/** A receiver in eu-west-1 with the custom domain props `props` builds. */
function synthDomain(props: (stack: Stack) => ApideckWebhookReceiverProps): {
  stack: Stack;
  receiver: ApideckWebhookReceiver;
  template: Template;
} {
  const app = newApp();
  const stack = new Stack(app, 'DomainTest', {
    env: { account: '123456789012', region: 'eu-west-1' },
  });
  const receiver = new ApideckWebhookReceiver(stack, 'Receiver', props(stack));
  return { stack, receiver, template: Template.fromStack(stack) };
}

const certificate = (stack: Stack, arn = CERTIFICATE_ARN) =>
  acm.Certificate.fromCertificateArn(stack, 'Certificate', arn);
const zone = (stack: Stack, zoneName = 'example.com') =>
  route53.HostedZone.fromHostedZoneAttributes(stack, 'Zone', {
    hostedZoneId: 'Z0123456789ABC',
    zoneName,
  });

describe('custom domain', () => {
  it('gives the REST API a regional TLS 1.2 domain with the certificate', () => {
    const { template } = synthDomain((s) => ({ domainName: DOMAIN, certificate: certificate(s) }));
    template.hasResourceProperties('AWS::ApiGateway::DomainName', {
      DomainName: DOMAIN,
      RegionalCertificateArn: CERTIFICATE_ARN,
      EndpointConfiguration: { Types: ['REGIONAL'] },
      SecurityPolicy: 'TLS_1_2',
    });
  });

  it("maps the REST API's stage at the domain's root, so the URL has no stage name", () => {
    const { template } = synthDomain((s) => ({ domainName: DOMAIN, certificate: certificate(s) }));
    template.hasResourceProperties('AWS::ApiGateway::BasePathMapping', {
      Stage: Match.anyValue(),
      BasePath: Match.absent(),
    });
  });

  it('gives the HTTP API a TLS 1.2 domain and maps its $default stage', () => {
    const { template } = synthDomain((s) => ({
      apiKind: ApiKind.HTTP,
      domainName: DOMAIN,
      certificate: certificate(s),
    }));
    template.hasResourceProperties('AWS::ApiGatewayV2::DomainName', {
      DomainName: DOMAIN,
      DomainNameConfigurations: [
        Match.objectLike({
          CertificateArn: CERTIFICATE_ARN,
          SecurityPolicy: 'TLS_1_2',
          EndpointType: 'REGIONAL',
        }),
      ],
    });
    template.hasResourceProperties('AWS::ApiGatewayV2::ApiMapping', {
      Stage: Match.anyValue(),
      ApiMappingKey: Match.absent(),
    });
  });

  it.each([ApiKind.REST, ApiKind.HTTP])(
    'makes https://<domainName>/webhooks the webhook URL (%s)',
    (apiKind) => {
      const { receiver } = synthDomain((s) => ({
        apiKind,
        domainName: DOMAIN,
        certificate: certificate(s),
      }));
      expect(receiver.webhookUrl).toBe(`https://${DOMAIN}/webhooks`);
    },
  );

  it.each([
    [ApiKind.REST, 'AWS::ApiGateway::DomainName'],
    [ApiKind.HTTP, 'AWS::ApiGatewayV2::DomainName'],
  ])('creates an alias record in the hosted zone (%s)', (apiKind, domainType) => {
    const { template } = synthDomain((s) => ({
      apiKind,
      domainName: DOMAIN,
      certificate: certificate(s),
      hostedZone: zone(s),
    }));
    const [domainId] = Object.keys(template.findResources(domainType));
    template.hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${DOMAIN}.`,
      Type: 'A',
      HostedZoneId: 'Z0123456789ABC',
      AliasTarget: {
        DNSName: { 'Fn::GetAtt': [domainId, Match.stringLikeRegexp('RegionalDomainName')] },
      },
    });
  });

  it('creates no DNS record without a hosted zone', () => {
    const { template } = synthDomain((s) => ({ domainName: DOMAIN, certificate: certificate(s) }));
    template.resourceCountIs('AWS::Route53::RecordSet', 0);
  });

  it('outputs the custom domain URL as WebhookUrl, which setup registers', () => {
    const app = new App({ context: projectContext() });
    const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks', {
      env: { account: '123456789012', region: 'eu-west-1' },
      domainName: DOMAIN,
      certificateArn: CERTIFICATE_ARN,
    });
    expect(Template.fromStack(stack).findOutputs('WebhookUrl').WebhookUrl?.Value).toBe(
      `https://${DOMAIN}/webhooks`,
    );
  });

  it("outputs the API's own URL as ApiWebhookUrl beside a custom domain only, for setup to move a subscription from", () => {
    const app = new App({ context: projectContext() });
    const withDomain = new ApideckWebhooksStack(app, 'WithDomain', {
      env: { account: '123456789012', region: 'eu-west-1' },
      domainName: DOMAIN,
      certificateArn: CERTIFICATE_ARN,
    });
    const without = new ApideckWebhooksStack(app, 'Without', {
      env: { account: '123456789012', region: 'eu-west-1' },
    });
    const url = JSON.stringify(Template.fromStack(withDomain).findOutputs('ApiWebhookUrl'));
    expect([
      url.includes('execute-api'),
      Template.fromStack(without).findOutputs('ApiWebhookUrl'),
    ]).toEqual([true, {}]);
  });

  it('imports the hosted zone of hostedZoneId and hostedZoneName in the ready stack', () => {
    const app = new App({ context: projectContext() });
    const stack = new ApideckWebhooksStack(app, 'ApideckWebhooks', {
      env: { account: '123456789012', region: 'eu-west-1' },
      domainName: DOMAIN,
      certificateArn: CERTIFICATE_ARN,
      hostedZoneId: 'Z0123456789ABC',
      hostedZoneName: 'example.com',
    });
    Template.fromStack(stack).hasResourceProperties('AWS::Route53::RecordSet', {
      Name: `${DOMAIN}.`,
      HostedZoneId: 'Z0123456789ABC',
    });
  });

  it('refuses a domainName without a certificate', () => {
    expect(() => synthDomain(() => ({ domainName: DOMAIN }))).toThrow(
      /domainName needs certificate: an ACM certificate for webhooks.example.com in the stack's region/,
    );
  });

  it('refuses a certificate without a domainName', () => {
    expect(() => synthDomain((s) => ({ certificate: certificate(s) }))).toThrow(
      /certificate needs domainName/,
    );
  });

  it('refuses a hosted zone without a domainName', () => {
    expect(() => synthDomain((s) => ({ hostedZone: zone(s) }))).toThrow(
      /hostedZone needs domainName/,
    );
  });

  it("refuses a certificate of another region than the stack's", () => {
    const elsewhere = CERTIFICATE_ARN.replace('eu-west-1', 'us-east-1');
    expect(() =>
      synthDomain((s) => ({ domainName: DOMAIN, certificate: certificate(s, elsewhere) })),
    ).toThrow(/certificate must be in the stack's region \(eu-west-1\).*it is in us-east-1/);
  });

  it.each([
    '*.example.com',
    'Webhooks.Example.com',
    'webhooks.example.com.',
    'https://webhooks.example.com',
  ])('refuses %s as a domainName', (domainName) => {
    expect(() => synthDomain((s) => ({ domainName, certificate: certificate(s) }))).toThrow(
      /domainName must be a DNS name/,
    );
  });

  it('refuses a domainName outside the hosted zone', () => {
    expect(() =>
      synthDomain((s) => ({
        domainName: DOMAIN,
        certificate: certificate(s),
        hostedZone: zone(s, 'example.org'),
      })),
    ).toThrow('domainName webhooks.example.com is not in the hosted zone example.org');
  });
});

describe('custom domain context keys', () => {
  it('reads certificateArn, hostedZoneId and hostedZoneName', () => {
    const app = newApp();
    app.node.setContext('certificateArn', CERTIFICATE_ARN);
    app.node.setContext('hostedZoneId', 'Z0123456789ABC');
    app.node.setContext('hostedZoneName', 'example.com');
    expect(apiDomainFromContext(app.node)).toEqual({
      certificateArn: CERTIFICATE_ARN,
      hostedZoneId: 'Z0123456789ABC',
      hostedZoneName: 'example.com',
    });
  });

  it('refuses hostedZoneId without hostedZoneName, naming the missing key', () => {
    const app = newApp();
    app.node.setContext('hostedZoneId', 'Z0123456789ABC');
    expect(() => apiDomainFromContext(app.node)).toThrow(/context "hostedZoneName": is required/);
  });

  it('refuses a certificateArn that is not an ACM certificate ARN', () => {
    const app = newApp();
    app.node.setContext('certificateArn', 'arn:aws:iam::123456789012:server-certificate/x');
    expect(() => apiDomainFromContext(app.node)).toThrow(
      /context "certificateArn": must be an ACM certificate ARN/,
    );
  });
});
