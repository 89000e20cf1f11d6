/**
 * `npm run image:base [-- --tag name:tag]`: builds the stand-in base image (service/base-image/build.ts)
 * unless one with the same inputs exists, and prints its reference.
 */
import { errorMessage } from "@textcat/kit/errors";
import { parseOptions, UsageError } from "@textcat/kit/args";
import { ensureStandinBase } from "../base-image/build.js";

let tag: string | undefined;
try {
  ({ tag } = parseOptions(process.argv.slice(2), ["tag"] as const));
} catch (error) {
  if (!(error instanceof UsageError)) throw error;
  console.error(`base-image: ${error.message}`);
  process.exit(2);
}
ensureStandinBase(tag).then(
  (reference) => console.log(reference),
  (error: unknown) => {
    console.error(`base-image: ${errorMessage(error)}`);
    process.exitCode = 1;
  },
);
