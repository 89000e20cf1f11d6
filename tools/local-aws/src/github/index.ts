export { startGitHubStandIn } from "./server.js";
export { grantsFor, allows, REQUIRED_PERMISSIONS, GIT_REQUIREMENTS, TOKEN_SCOPES } from "./permissions.js";
export type * from "./types.js";
