/** A model that loads in onnxruntime but breaks the contract's names stops the cold start, named. */
import { expect, test } from "vitest";
import { ModelContractError } from "@textcat/contract";
import { buildTinyModelWithRenamedOutput } from "@textcat/model/testing/tiny-model";
import { createService } from "../../src/service.js";
import "../support/stdout.js";
import { writeTinyModel } from "../support/tiny-model.js";

test("a session without the contract's outputs is a ModelLoadError naming the file and the output", async () => {
  const files = await writeTinyModel(buildTinyModelWithRenamedOutput("label", "predicted"));
  const starting = createService({ MODEL_PATH: files.modelPath });
  await expect(starting).rejects.toThrow(
    expect.objectContaining({
      name: "ModelLoadError",
      message: expect.stringContaining(
        `${files.modelPath}: the model does not follow the ONNX contract: missing output "label"`,
      ),
      cause: expect.any(ModelContractError),
    }),
  );
});
