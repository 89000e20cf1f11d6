import { describe, expect, test } from "vitest";
import { checkSession, ModelContractError, ONNX_INPUT, ONNX_OUTPUTS } from "../src/index.js";

const input = ONNX_INPUT.name;
const outputs = [ONNX_OUTPUTS.label.name, ONNX_OUTPUTS.probabilities.name];

describe("checkSession", () => {
  test("a session with the contract's input and outputs passes; extra outputs are ignored", () => {
    expect(() => checkSession({ inputNames: [input], outputNames: outputs })).not.toThrow();
    expect(() => checkSession({ inputNames: [input], outputNames: [...outputs, "logits"] })).not.toThrow();
  });

  test.each([
    [
      "a renamed input",
      { inputNames: ["input"], outputNames: outputs },
      'missing input "text", unexpected input "input" (inputs: [input]; outputs: [label, probabilities]',
    ],
    ["a second input", { inputNames: [input, "lang"], outputNames: outputs }, 'unexpected input "lang"'],
    [
      "a missing output",
      { inputNames: [input], outputNames: ["label"] },
      'missing output "probabilities" (inputs: [text]; outputs: [label]; ' +
        "the contract wants input [text], outputs [label, probabilities])",
    ],
  ])("%s is a ModelContractError naming it", (_case, session, message) => {
    expect(() => checkSession(session)).toThrow(ModelContractError);
    expect(() => checkSession(session)).toThrow(`the model does not follow the ONNX contract: ${message}`);
  });
});
