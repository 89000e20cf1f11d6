/**
 * The check that an onnxruntime session has the contract's input and outputs. It takes the session
 * structurally (the names onnxruntime-node's InferenceSession exposes), so this package needs no
 * onnxruntime: trainer, service and actions pass their own session.
 */
import { ModelContractError, ONNX_INPUT, ONNX_OUTPUTS } from "./contract.js";

/** The part of an onnxruntime `InferenceSession` the contract constrains. */
export interface SessionSignature {
  readonly inputNames: readonly string[];
  readonly outputNames: readonly string[];
}

const CONTRACT_OUTPUTS: readonly string[] = [ONNX_OUTPUTS.label.name, ONNX_OUTPUTS.probabilities.name];

/**
 * What keeps the session from serving the contract, one phrase per problem; empty when it follows it.
 * The one input must be the contract's (any other input would be required by every run); extra
 * outputs are allowed and ignored.
 */
function sessionMismatches(session: SessionSignature): string[] {
  const problems: string[] = [];
  if (!session.inputNames.includes(ONNX_INPUT.name)) problems.push(`missing input "${ONNX_INPUT.name}"`);
  for (const name of session.inputNames.filter((input) => input !== ONNX_INPUT.name)) {
    problems.push(`unexpected input "${name}"`);
  }
  for (const name of CONTRACT_OUTPUTS.filter((output) => !session.outputNames.includes(output))) {
    problems.push(`missing output "${name}"`);
  }
  return problems;
}

/** Throws a ModelContractError naming what is off and what the session has instead. */
export function checkSession(session: SessionSignature): void {
  const problems = sessionMismatches(session);
  if (problems.length === 0) return;
  throw new ModelContractError(
    `the model does not follow the ONNX contract: ${problems.join(", ")} ` +
      `(inputs: [${session.inputNames.join(", ")}]; outputs: [${session.outputNames.join(", ")}]; ` +
      `the contract wants input [${ONNX_INPUT.name}], outputs [${CONTRACT_OUTPUTS.join(", ")}])`,
  );
}
