import { beforeAll, describe, expect, it } from "vitest";
import { InfraConfigError, readInfraConfig } from "../src/config.js";
import { GITHUB, onlyResource, resourcesOfType, synthStage, type Synthesized } from "./synth.js";

const CERT = "arn:aws:acm:eu-west-1:123456789012:certificate/12345678-90ab-cdef-1234-567890abcdef";
const DOMAIN = { domainName: "api.example.com", certificateArn: CERT };
const ZONE = { hostedZoneId: "Z0123456789ABCDEFGHIJ", hostedZoneName: "example.com" };
const DOMAIN_TYPES = [
  "AWS::ApiGatewayV2::DomainName",
  "AWS::ApiGatewayV2::ApiMapping",
  "AWS::Route53::RecordSet",
];

const read = (context: Record<string, unknown>) =>
  readInfraConfig((key) => ({ github: GITHUB, ...context })[key]);

describe("custom domain context", () => {
  it("is off unless both domainName and certificateArn are given", () => {
    expect(read({}).customDomain).toBeUndefined();
    expect(read({ ...DOMAIN, ...ZONE, region: "eu-west-1" }).customDomain).toEqual({
      domainName: "api.example.com",
      certificateArn: CERT,
      hostedZone: { id: ZONE.hostedZoneId, name: "example.com" },
    });
    expect(
      read({ domainName: "example.com", certificateArn: CERT }).customDomain?.hostedZone,
    ).toBeUndefined();
  });

  it.each([
    [{ domainName: "api.example.com" }, /needs both -c domainName=<host> and -c certificateArn/],
    [{ certificateArn: CERT }, /needs both/],
    [{ ...DOMAIN, domainName: "API.example.com" }, /domainName must be a lowercase DNS name/],
    [{ ...DOMAIN, domainName: "localhost" }, /domainName must be a lowercase DNS name/],
    [{ ...DOMAIN, certificateArn: "arn:aws:iam::123456789012:role/x" }, /certificateArn must be an ACM/],
    [{ ...DOMAIN, region: "us-east-1" }, /certificateArn is in eu-west-1, .* API's region us-east-1/],
    [{ ...DOMAIN, hostedZoneId: ZONE.hostedZoneId }, /hostedZoneId and hostedZoneName go together/],
    [
      { ...DOMAIN, ...ZONE, hostedZoneName: "example.org" },
      /"api.example.com" is not inside .*"example.org"/,
    ],
    [{ ...DOMAIN, ...ZONE, hostedZoneId: "zone-1" }, /hostedZoneId must be a Route 53 hosted zone id/],
    [ZONE, /hostedZoneId\/hostedZoneName need -c domainName/],
  ])("rejects %j with a message naming the key", (context, message) => {
    expect(() => read(context)).toThrow(InfraConfigError);
    expect(() => read(context)).toThrow(message);
  });
});

describe("custom domain resources", () => {
  let withZone: Synthesized;
  let withoutZone: Synthesized;
  let withZoneReconfigured: Synthesized;

  beforeAll(() => {
    withZone = synthStage({ stage: "prod", ...DOMAIN, ...ZONE });
    withoutZone = synthStage({ stage: "dev", ...DOMAIN });
    withZoneReconfigured = synthStage({ stage: "prod", ...DOMAIN, ...ZONE, memoryMb: "2048", auth: "iam" });
  });

  it.each(["dev", "prod"])("%s by default: no domain, mapping or record, no StableUrl", (stage) => {
    const { json } = synthStage({ stage });
    for (const type of DOMAIN_TYPES) expect(resourcesOfType(json, type)).toEqual([]);
    expect(json.Outputs.StableUrl).toBeUndefined();
    expect(json.Outputs.ApiUrl).toBeDefined();
  });

  it("a regional domain with the given certificate, mapped to the API's $default stage", () => {
    const [domainId, domain] = onlyResource(withZone.json, "AWS::ApiGatewayV2::DomainName");
    const [apiId] = onlyResource(withZone.json, "AWS::ApiGatewayV2::Api");
    expect(domain.Properties).toMatchObject({
      DomainName: "api.example.com",
      DomainNameConfigurations: [
        { CertificateArn: CERT, EndpointType: "REGIONAL", SecurityPolicy: "TLS_1_2" },
      ],
    });
    const [, mapping] = onlyResource(withZone.json, "AWS::ApiGatewayV2::ApiMapping");
    expect(mapping.Properties).toEqual({
      ApiId: { Ref: apiId },
      DomainName: { Ref: domainId },
      Stage: "$default",
    });
    expect(withZone.json.Outputs.StableUrl?.Value).toBe("https://api.example.com/");
  });

  it("with a hosted zone: an A alias record on the domain's regional target", () => {
    const [domainId] = onlyResource(withZone.json, "AWS::ApiGatewayV2::DomainName");
    const [, record] = onlyResource(withZone.json, "AWS::Route53::RecordSet");
    expect(record.Properties).toEqual({
      HostedZoneId: ZONE.hostedZoneId,
      Name: "api.example.com.",
      Type: "A",
      AliasTarget: {
        DNSName: { "Fn::GetAtt": [domainId, "RegionalDomainName"] },
        HostedZoneId: { "Fn::GetAtt": [domainId, "RegionalHostedZoneId"] },
      },
    });
  });

  it("without one: no record, and the regional target is an output for a CNAME elsewhere", () => {
    const [domainId] = onlyResource(withoutZone.json, "AWS::ApiGatewayV2::DomainName");
    expect(resourcesOfType(withoutZone.json, "AWS::Route53::RecordSet")).toEqual([]);
    expect(withoutZone.json.Outputs.DomainTarget?.Value).toEqual({
      "Fn::GetAtt": [domainId, "RegionalDomainName"],
    });
  });

  it("only the mapping names the API, so a replaced API leaves the domain and its record as they are", () => {
    const [apiId] = onlyResource(withZone.json, "AWS::ApiGatewayV2::Api");
    const naming = Object.entries(withZone.json.Resources)
      .filter(([, resource]) => DOMAIN_TYPES.includes(resource.Type))
      .filter(([, resource]) => JSON.stringify(resource).includes(`"${apiId}"`))
      .map(([, resource]) => resource.Type);
    expect(naming).toEqual(["AWS::ApiGatewayV2::ApiMapping"]);
    for (const type of ["AWS::ApiGatewayV2::DomainName", "AWS::Route53::RecordSet"]) {
      expect(resourcesOfType(withZoneReconfigured.json, type)).toEqual(resourcesOfType(withZone.json, type));
    }
  });
});
