import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startLocalAws, type LocalAws } from "@textcat/local-aws";
import { parseGitHubOutput } from "@textcat/action-shared/runner";
import { strict } from "../src/expressions.js";
import { actionInputs, readAction, WorkflowFileError } from "../src/workflow-files.js";
import { formatTimeline } from "../src/story.js";

let scratch: string;
beforeAll(async () => {
  scratch = await mkdtemp(join(tmpdir(), "local-aws-parts-"));
});
afterAll(async () => rm(scratch, { recursive: true, force: true }));

describe("running actions like the runner", () => {
  it("applies action.yml defaults: plain, quoted, block scalars and expressions", async () => {
    await writeFile(
      join(scratch, "action.yml"),
      [
        "name: x",
        "inputs:",
        "  plain:",
        "    description: a",
        "    default: live",
        "  quoted:",
        '    default: "0.80"',
        "  token:",
        "    default: ${{ github.token }}",
        "  paths:",
        "    description: >-",
        "      folded description",
        "    default: |",
        "      package.json",
        "      service/src/",
        "  flag:",
        "    default: false",
        "  given:",
        "    required: true",
        "outputs:",
        "  digest:",
        "    default: not-an-input",
        "runs:",
        "  using: node24",
        "  main: dist/index.js",
      ].join("\n"),
    );
    const action = readAction(scratch, ".");
    const contexts = { github: strict("github", { token: "t0k" }) };
    expect(actionInputs(action, "./x", { given: "yes" }, contexts, "test")).toEqual({
      plain: "live",
      quoted: "0.80",
      token: "t0k",
      paths: "package.json\nservice/src/\n",
      flag: "false",
      given: "yes",
    });
    expect(() => actionInputs(action, "./x", {}, contexts, "test")).toThrow(
      "test: ./x requires input 'given', which is not given",
    );
    expect(() => actionInputs(action, "./x", { given: "y", giveb: "n" }, contexts, "test")).toThrow(
      "test: ./x has no input 'giveb' (its action.yml declares plain, quoted, token, paths, flag, given)",
    );
  });

  it("reads the repository's own action.yml defaults", () => {
    const root = resolve(import.meta.dirname, "../../..");
    const uses = "./action-src/promote";
    const contexts = { github: strict("github", { token: "", sha: "abc" }) };
    const inputs = actionInputs(readAction(root, uses), uses, { "function-name": "f" }, contexts, "test");
    expect(inputs.alias).toBe("live");
    expect(inputs["github-token"]).toBe("");
    expect(() => readAction(root, "./action-src/nothing")).toThrow(WorkflowFileError);
  });

  it.each([
    ["name=value lines", "digest=sha256:abc\nreused=false\n", { digest: "sha256:abc", reused: "false" }],
    [
      "heredoc blocks",
      "summary<<ghadelimiter_1\nline one\nline=two\nghadelimiter_1\nversion=3\n",
      { summary: "line one\nline=two", version: "3" },
    ],
    ["an empty file", "", {}],
  ])("parses GITHUB_OUTPUT with %s", (_case, text, expected) => {
    expect(parseGitHubOutput(text)).toEqual(expected);
  });

  it("prints a timeline with aligned columns and shortened digests", () => {
    const table = formatTimeline([
      { step: "promote", seconds: 3.25, digest: `sha256:${"a".repeat(64)}`, version: "2" },
      { step: "classify via live", seconds: 0.04, note: "space" },
    ]);
    const lines = table.split("\n");
    expect(lines[0]).toMatch(/^step\s+seconds\s+digest\s+version\s+note$/);
    expect(lines[2]).toContain("3.3");
    expect(lines[2]).toContain(`sha256:${"a".repeat(12)}…`);
    expect(lines[3]?.indexOf("0.0")).toBe(lines[2]?.indexOf("3.3"));
  });
});

describe("bad requests to the stand-in get AWS errors, never a 500", () => {
  let aws: LocalAws;
  const signed = { authorization: "AWS4-HMAC-SHA256 Credential=local/20260101/us-east-1/ecr/aws4_request" };
  beforeAll(async () => {
    aws = await startLocalAws();
  });
  afterAll(async () => aws?.close());

  it.each([
    [
      "ECR with a body that is not JSON",
      { "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.DescribeImages" },
      "POST",
      "/",
      "{nope",
      400,
      "SerializationException",
    ],
    [
      "an unknown ECR operation",
      { "x-amz-target": "AmazonEC2ContainerRegistry_V20150921.StartLifecyclePolicyPreview" },
      "POST",
      "/",
      "{}",
      400,
      "UnknownOperationException",
    ],
    [
      "Lambda with a body that is not JSON",
      {},
      "POST",
      "/2015-03-31/functions",
      "[1,2",
      400,
      "InvalidRequestContentException",
    ],
    [
      "a Lambda path with the wrong method",
      {},
      "PATCH",
      "/2015-03-31/functions/x/aliases/live",
      "",
      405,
      "MethodNotAllowedException",
    ],
    ["an unknown path", {}, "GET", "/nothing-here", "", 404, "UnknownOperationException"],
    [
      "a function name that is not one",
      {},
      "GET",
      "/2015-03-31/functions/bad%20name!",
      "",
      400,
      "ValidationException",
    ],
  ])("%s", async (_case, headers, method, path, body, status, type) => {
    const response = await fetch(`${aws.endpoint}${path}`, {
      method,
      headers: { ...signed, ...headers },
      body: method === "GET" ? undefined : body,
    });
    expect(response.status).toBe(status);
    expect(response.headers.get("x-amzn-errortype")).toBe(type);
  });
});
