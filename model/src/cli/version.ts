/** The trainer's version: the repository's package.json version. */
import { readFileSync } from "node:fs";

export function trainerVersion(): string {
  const packageJson = new URL("../../../package.json", import.meta.url);
  return (JSON.parse(readFileSync(packageJson, "utf8")) as { version: string }).version;
}
