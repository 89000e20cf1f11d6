import * as apigw from "aws-cdk-lib/aws-apigatewayv2";
import * as acm from "aws-cdk-lib/aws-certificatemanager";
import * as route53 from "aws-cdk-lib/aws-route53";
import * as targets from "aws-cdk-lib/aws-route53-targets";
import { Construct } from "constructs";
import type { CustomDomainConfig } from "./config.js";

export interface CustomDomainProps {
  config: CustomDomainConfig;
  api: apigw.IHttpApi;
  stage: apigw.IHttpStage;
}

/**
 * The stage's stable URL: a regional API Gateway domain name mapped to the HTTP API's stage, plus a Route 53
 * alias record when a hosted zone is given. Clients call the domain; if the API is ever replaced (new API id,
 * new execute-api URL), CloudFormation re-points the mapping and the URL clients use stays the same.
 * "After you create your Regional custom domain name, you must create a DNS record to point the custom domain
 * name to the Regional domain ... The DNS record can be the CNAME or an A Alias record. If you use Route 53 as
 * your DNS provider, create an A Alias record":
 * https://docs.aws.amazon.com/apigateway/latest/developerguide/apigateway-regional-api-custom-domain-create.html
 */
export class CustomDomain extends Construct {
  readonly domain: apigw.DomainName;
  readonly url: string;

  constructor(scope: Construct, id: string, props: CustomDomainProps) {
    super(scope, id);
    const { domainName, certificateArn, hostedZone } = props.config;
    this.domain = new apigw.DomainName(this, "Domain", {
      domainName,
      certificate: acm.Certificate.fromCertificateArn(this, "Certificate", certificateArn),
      endpointType: apigw.EndpointType.REGIONAL,
      securityPolicy: apigw.SecurityPolicy.TLS_1_2,
    });
    new apigw.ApiMapping(this, "Mapping", { api: props.api, domainName: this.domain, stage: props.stage });
    if (hostedZone !== undefined) {
      const zone = route53.HostedZone.fromHostedZoneAttributes(this, "Zone", {
        hostedZoneId: hostedZone.id,
        zoneName: hostedZone.name,
      });
      new route53.ARecord(this, "Alias", {
        zone,
        recordName: `${domainName}.`,
        target: route53.RecordTarget.fromAlias(
          new targets.ApiGatewayv2DomainProperties(
            this.domain.regionalDomainName,
            this.domain.regionalHostedZoneId,
          ),
        ),
      });
    }
    this.url = `https://${domainName}/`;
  }
}
