/**
 * Stryker 10 asks for Node >=22.0.0, and the Babel 8 packages its instrumenter parses with for
 * "^22.18.0 || >=24.11.0" (their package.json engines fields): the narrower range is the one that holds.
 */
export function strykerSupportsNode(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, "").split(".").map(Number);
  return (major === 22 && minor >= 18) || (major === 24 && minor >= 11) || major > 24;
}
