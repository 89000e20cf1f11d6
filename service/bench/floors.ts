/**
 * What onnxruntime costs before our model does anything, so a missed goal can be read against its floor:
 * a fresh process importing onnxruntime-node and building a session from the 6 KB test model (the
 * library, its environment and a first session), and the model's string front end alone (lower-casing,
 * the regex Tokenizer and the token lookup) over the same batches the handler is timed on.
 */
import { writeFileSync } from "node:fs";
import * as ort from "onnxruntime-node";
import { ONNX_INPUT } from "@textcat/contract";
import { nodesWithSubgraphs, onnx } from "@textcat/model/onnx-proto";
import { exec } from "@textcat/kit/process";
import { median } from "./stats.js";

/** The token ids of all rows in model/src/onnx/sparse-graph.ts; the front end ends there. */
const FRONT_END_OUTPUT = "flat_ids";

export async function onnxruntimeFloorMs(tinyModelPath: string): Promise<number> {
  const script = `const t0 = performance.now(); const ort = await import("onnxruntime-node");
    await ort.InferenceSession.create(${JSON.stringify(tinyModelPath)}, { intraOpNumThreads: 1, interOpNumThreads: 1 });
    process.stderr.write("FLOOR " + (performance.now() - t0) + "\\n");`;
  const child = await exec(process.execPath, ["--input-type=module", "-e", script], { quiet: true });
  const line = child.stderr.split("\n").find((l) => l.startsWith("FLOOR "));
  if (child.code !== 0 || line === undefined)
    throw new Error(`floor run failed: ${child.stderr.slice(-300)}`);
  return Number(line.slice(6));
}

/** The model cut after its token lookup, answering only the shape of the token ids. */
function frontEndModel(modelBytes: Uint8Array): Uint8Array {
  const model = onnx.ModelProto.decode(modelBytes);
  const graph = model.graph;
  const last = graph?.node?.findIndex((node) => node.output?.includes(FRONT_END_OUTPUT)) ?? -1;
  if (!graph?.node || last < 0) throw new Error(`the model has no ${FRONT_END_OUTPUT} node`);
  graph.node = [
    ...graph.node.slice(0, last + 1),
    { opType: "Shape", input: [FRONT_END_OUTPUT], output: ["front_end_shape"], name: "front_end_shape" },
  ];
  const used = new Set(nodesWithSubgraphs(graph.node).flatMap((node) => node.input ?? []));
  graph.initializer = (graph.initializer ?? []).filter((tensor) => used.has(tensor.name ?? ""));
  graph.output = [
    { name: "front_end_shape", type: { tensorType: { elemType: onnx.TensorProto.DataType.INT64 } } },
  ];
  return onnx.ModelProto.encode(model).finish();
}

/** Median milliseconds of the front end over `batches` (each timed `rounds` times after one warm-up). */
export async function frontEndBatchMs(
  modelBytes: Uint8Array,
  batches: string[][],
  rounds: number,
  scratchPath: string,
): Promise<number> {
  writeFileSync(scratchPath, frontEndModel(modelBytes));
  const session = await ort.InferenceSession.create(scratchPath, {
    intraOpNumThreads: 1,
    interOpNumThreads: 1,
  });
  const runBatch = (texts: string[]) =>
    session.run({ [ONNX_INPUT.name]: new ort.Tensor("string", texts, [texts.length]) });
  await runBatch(batches[0] ?? []);
  const samples: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    for (const texts of batches) {
      const started = performance.now();
      await runBatch(texts);
      samples.push(performance.now() - started);
    }
  }
  await session.release();
  return median(samples);
}
