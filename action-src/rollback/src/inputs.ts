/** rollback's inputs, read once and named like action.yml. */
import { InputError } from "../../shared/src/errors.js";
import { readString } from "../../shared/src/inputs.js";
import { isPublishedVersion } from "../../shared/src/release/alias-record.js";
import { readAliasName, readFunctionName } from "../../shared/src/release/names.js";

export interface Inputs {
  functionName: string;
  alias: string;
  /** "" = the previous version recorded by promote, else the highest published version below. */
  toVersion: string;
  /** The golden requests file the target version, then the alias, must answer. */
  goldenRequests: string;
  awsRegion: string;
  githubToken: string;
  environment: string;
}

export function readInputs(): Inputs {
  const toVersion = readString("to-version");
  if (toVersion && !isPublishedVersion(toVersion)) {
    throw new InputError(
      `Input "to-version" must be a published version number (1, 2, …), got "${toVersion}"`,
    );
  }
  return {
    functionName: readFunctionName(),
    alias: readAliasName(),
    toVersion,
    goldenRequests: readString("golden-requests", { fallback: "model/golden.json" }),
    awsRegion: readString("aws-region"),
    githubToken: readString("github-token"),
    environment: readString("environment", { fallback: "production" }),
  };
}
