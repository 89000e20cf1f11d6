export * from "./contract.js";
export * from "./golden.js";
export * from "./session.js";
