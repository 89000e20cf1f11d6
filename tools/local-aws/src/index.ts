export { startLocalAws, type LocalAws, type LocalAwsOptions } from "./server.js";
