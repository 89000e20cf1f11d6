import { AwsError } from "../aws-error.js";

export const invalidValue = (message: string): AwsError =>
  new AwsError("InvalidParameterValueException", message, 400);

export const notFound = (message: string): AwsError =>
  new AwsError("ResourceNotFoundException", message, 404);

export const conflict = (message: string): AwsError =>
  new AwsError("ResourceConflictException", message, 409);

export const preconditionFailed = (what: "GetFunction" | "GetAlias"): AwsError =>
  new AwsError(
    "PreconditionFailedException",
    `The Revision Id provided does not match the latest Revision Id. Call the ${what} API to retrieve the latest Revision Id`,
    412,
  );
