/** Types of convert-to-ort.mjs (plain JavaScript so the image's build stage runs it with node alone). */
export declare function convertToOrt(
  onnxPath: string,
): Promise<{ ortPath: string; ortSha256: string; onnxSha256: string }>;
