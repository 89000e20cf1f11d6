/** rollback's inputs, read once and named like action.yml. */
import { InputError } from "@textcat/action-shared/errors";
import { readString } from "@textcat/action-shared/inputs";
import { isPublishedVersion } from "@textcat/action-shared/release/alias-record";
import { readAliasName, readFunctionName } from "@textcat/action-shared/release/names";

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
    goldenRequests: readString("golden-requests"),
    awsRegion: readString("aws-region"),
    githubToken: readString("github-token"),
    environment: readString("environment"),
  };
}
