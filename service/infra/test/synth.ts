import { App } from "aws-cdk-lib";
import { Template } from "aws-cdk-lib/assertions";
import { addTextcatStacks } from "../src/app.js";
import type { TextcatStack } from "../src/textcat-stack.js";

/** `<owner>@<owner id>/<repo>@<repo id>`: also the prefix of the immutable OIDC subject after `repo:`. */
export const GITHUB = "example-org@5551/textcat-lambda@5552";

export interface Synthesized {
  stack: TextcatStack;
  template: Template;
  json: CfnTemplate;
}

export interface CfnResource {
  Type: string;
  Properties?: Record<string, unknown>;
  DeletionPolicy?: string;
  UpdateReplacePolicy?: string;
}

export interface CfnTemplate {
  Resources: Record<string, CfnResource>;
  Outputs: Record<string, { Value: unknown }>;
  Parameters: Record<string, { Default?: unknown }>;
}

/** One stage synthesized offline (no account, no region, no Docker), as `npm run infra:synth` does. */
export function synthStage(context: Record<string, string>): Synthesized {
  const app = new App({ context: { github: GITHUB, ...context } });
  const [stack] = addTextcatStacks(app);
  if (stack === undefined) throw new Error("no stack synthesized");
  const template = Template.fromStack(stack);
  return { stack, template, json: template.toJSON() as CfnTemplate };
}

export function resourcesOfType(json: CfnTemplate, type: string): [string, CfnResource][] {
  return Object.entries(json.Resources).filter(([, resource]) => resource.Type === type);
}

export function onlyResource(json: CfnTemplate, type: string): [string, CfnResource] {
  const found = resourcesOfType(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0]!;
}
