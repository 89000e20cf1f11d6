/** Inputs naming a Lambda function and alias, shared by promote and rollback. */
import { InputError } from "../errors.js";
import { readString } from "../inputs.js";

const FUNCTION_NAME = /^[A-Za-z0-9_:.-]{1,170}$/;
const ALIAS_NAME = /^(?!\d+$)[A-Za-z0-9_-]{1,128}$/;

export function readFunctionName(): string {
  const value = readString("function-name", { required: true });
  if (!FUNCTION_NAME.test(value))
    throw new InputError(`Input "function-name" is not a Lambda function name: "${value}"`);
  return value;
}

export function readAliasName(): string {
  const value = readString("alias");
  if (!ALIAS_NAME.test(value)) {
    throw new InputError(
      `Input "alias" must be letters, digits, "-" or "_" and not only digits, got "${value}"`,
    );
  }
  return value;
}
