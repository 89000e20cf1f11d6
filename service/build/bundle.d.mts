/** Types of bundle.mjs (plain JavaScript so the image's build stage runs it with node alone). */
export declare const EXTERNAL_PACKAGES: string[];
export declare function bundle(outDir: string, esbuildModule?: string): Promise<string>;
