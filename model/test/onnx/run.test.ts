import { ModelContractError } from "@textcat/contract";
import { describe, expect, it } from "vitest";
import { loadOnnxModel } from "../../src/onnx/run.js";
import { buildTinyModel, buildTinyModelWithRenamedOutput } from "../fixtures/tiny-model.js";

describe("loadOnnxModel", () => {
  it("loads a model that follows the contract", async () => {
    const session = await loadOnnxModel(buildTinyModel());
    expect(session.outputNames).toContain("probabilities");
    await session.release();
  });

  it("refuses a model whose session lacks a contract output, naming it", async () => {
    const renamed = buildTinyModelWithRenamedOutput("probabilities", "probs");
    const loading = loadOnnxModel(renamed);
    await expect(loading).rejects.toThrow(ModelContractError);
    await expect(loading).rejects.toThrow(
      'the model does not follow the ONNX contract: missing output "probabilities" (inputs: [text]; outputs: [label, probs];',
    );
  });
});
