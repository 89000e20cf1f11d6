/** Types of scripts/system-packages.mjs (plain JavaScript: it runs before `npm ci`). */
export interface SystemPackage {
  name: string;
  command: string;
  unlessRegistryUp?: boolean;
}
export declare const SYSTEM_PACKAGES: readonly SystemPackage[];
export declare function missingPackages(
  hasCommand: (command: string) => boolean,
  registryUp: boolean,
): string[];
export type InstallPlan =
  | { kind: "ready" }
  | { kind: "ask"; message: string }
  | { kind: "install"; notice: string; steps: string[][]; failure: string };
export declare function planInstall(facts: {
  missing: string[];
  isRoot: boolean;
  hasAptGet: boolean;
  hasSudo: boolean;
}): InstallPlan;
