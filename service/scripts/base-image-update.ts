/**
 * npm run base-image:update -- [--pin <file>]
 * Resolves the pinned tag's current digest in its registry and, when it moved, rewrites the pin file. Prints
 * `unchanged <ref>` or `changed <old> -> <new>`; in GitHub Actions it also sets the outputs changed, digest,
 * previous, branch, title and body for the step that opens the pull request.
 * Exit 2: the pin file is missing or malformed (one line says why). Exit 1: the registry could not answer.
 */
import { readFileSync, writeFileSync } from "node:fs";
import { resolve } from "node:path";
import * as core from "@actions/core";
import { PIN_FILE, PinError, parsePin, pinnedReference, planPinUpdate } from "./base-image-pin.js";
import { EXIT_USAGE, parseOptions, UsageError } from "@textcat/kit/args";
import { type Fetch, resolveTagDigest } from "./registry-digest.js";

export async function updatePin(
  pinPath: string,
  fetchImpl?: Fetch,
): Promise<ReturnType<typeof planPinUpdate>> {
  let text: string;
  try {
    text = readFileSync(pinPath, "utf8");
  } catch (error) {
    throw new PinError(`cannot read the base image pin ${pinPath}`, { cause: error });
  }
  const current = parsePin(text, pinPath);
  const plan = planPinUpdate(text, await resolveTagDigest(current.image, fetchImpl), pinPath);
  if (plan.changed) writeFileSync(pinPath, plan.text);
  return plan;
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2), ["pin"] as const);
  const plan = await updatePin(resolve(options.pin ?? resolve(import.meta.dirname, "../..", PIN_FILE)));
  if (plan.changed) {
    console.log(`changed ${pinnedReference(plan.previous)} -> ${pinnedReference(plan.pin)}`);
  } else {
    console.log(`unchanged ${pinnedReference(plan.pin)}`);
  }
  if (!process.env.GITHUB_OUTPUT) return;
  core.setOutput("changed", String(plan.changed));
  core.setOutput("digest", plan.pin.digest);
  if (plan.changed) {
    core.setOutput("previous", plan.previous.digest);
    core.setOutput("branch", plan.branch);
    core.setOutput("title", plan.title);
    core.setOutput("body", plan.body);
  }
}

if (process.argv[1] === import.meta.filename) {
  main().catch((error: unknown) => {
    const message = error instanceof Error ? error.message : String(error);
    console.error(`base-image: ${message}`);
    process.exitCode = error instanceof PinError || error instanceof UsageError ? EXIT_USAGE : 1;
  });
}
