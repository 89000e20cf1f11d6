/**
 * One Node version: .node-version is the source; everything that names a Node major must agree
 * with it, and it must be 22 or newer (the AWS SDK warns on 20; a dependency of @actions/github
 * needs 22). The Dockerfile and the service bundler cannot read the file (the image's build context
 * does not hold it), so this test is what keeps them in step.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, test } from "vitest";
import { nodeTarget, REPO_ROOT } from "../build-actions.js";
import { allSteps } from "./workflow-files.js";

const read = (path: string) => readFileSync(join(REPO_ROOT, path), "utf8");
const spec = read(".node-version").trim();
const major = Number(/^v?(\d+)/.exec(spec)?.[1]);
const packageJson = JSON.parse(read("package.json")) as {
  engines: { node: string };
  allowScripts?: Record<string, boolean>;
};

describe(".node-version", () => {
  test("names Node 22 or newer", () => {
    expect(spec).toMatch(/^v?\d+(\.\d+){0,2}$/);
    expect(major).toBeGreaterThanOrEqual(22);
  });

  test("package.json engines asks for that major or newer", () => {
    expect(packageJson.engines.node).toBe(`>=${major}`);
  });

  test("the action bundles and the Lambda bundle target it", () => {
    expect(nodeTarget()).toBe(`node${major}`);
    expect(read("service/build/bundle.mjs")).toMatch(new RegExp(`target: "node${major}"`));
  });

  test("every Node image names that major: the Dockerfiles' and the pinned Lambda base", () => {
    const sources = [
      "service/Dockerfile",
      "service/infra/placeholder-image/Dockerfile",
      "service/base-image.pin",
    ];
    let seen = 0;
    for (const source of sources) {
      for (const [, found] of read(source).matchAll(/(?:lambda\/nodejs|library\/node):(\d+)/g)) {
        expect(Number(found), source).toBe(major);
        seen += 1;
      }
    }
    expect(seen).toBeGreaterThanOrEqual(sources.length);
  });

  // setup-node reads a version file with node-version-file; node-version would override it.
  // (actions/setup-node docs/advanced-usage.md "Node version file")
  test("every setup-node step reads .node-version and names no version of its own", () => {
    const setups = allSteps().filter(({ step }) => step.uses?.startsWith("actions/setup-node@"));
    expect(setups.length).toBeGreaterThan(0);
    for (const { where, step } of setups) {
      expect(step.with?.["node-version-file"], where).toBe(".node-version");
      expect(step.with, where).not.toHaveProperty("node-version");
    }
  });
});

describe("npm installs no dependency install scripts, on npm 10 and 11, without warnings", () => {
  // onnxruntime-node's postinstall (script/install.js) downloads CUDA libraries on linux/x64 unless
  // ONNXRUNTIME_NODE_INSTALL or npm_config_onnxruntime_node_install is "skip"; npm 11 warns that an
  // unknown project config key such as `onnxruntime-node-install` "will stop working in the next
  // major version". `ignore-scripts` is a documented npm config on both majors
  // (https://docs.npmjs.com/cli/v10/using-npm/config#ignore-scripts; with it npm 11 also lists no
  // script to approve: https://github.com/npm/cli/issues/9450), and npm 11's allowScripts
  // denials (`npm help install-scripts`) keep `npm install-scripts ls` clean.
  const npmrc = read(".npmrc")
    .split("\n")
    .filter((line) => line.trim() && !line.startsWith("#"))
    .map((line) => line.split("=")[0]!.trim());

  test(".npmrc holds only keys npm knows, and ignore-scripts=true", () => {
    expect(read(".npmrc")).toMatch(/^ignore-scripts=true$/m);
    for (const key of npmrc) expect(["fund", "audit", "ignore-scripts"]).toContain(key);
  });

  test("package.json denies every dependency install script npm 11 would ask about", () => {
    const lock = JSON.parse(read("package-lock.json")) as {
      packages: Record<string, { hasInstallScript?: boolean }>;
    };
    const withScripts = Object.entries(lock.packages)
      .filter(([path, entry]) => path && entry.hasInstallScript)
      .map(([path]) => path.replace(/^.*node_modules\//, ""))
      .sort();
    expect(withScripts).toContain("onnxruntime-node");
    expect(packageJson.allowScripts).toEqual(Object.fromEntries(withScripts.map((name) => [name, false])));
  });

  test("the image's npm ci runs no install scripts either", () => {
    expect(read("service/Dockerfile")).toMatch(/npm ci --omit=dev --ignore-scripts/);
  });
});
