/** An error the stand-in answers with the same type name, message and HTTP status as AWS does. */
export class AwsError extends Error {
  constructor(
    readonly type: string,
    message: string,
    readonly status = 400,
    options?: ErrorOptions,
  ) {
    super(message, options);
    this.name = type;
  }
}

export const invalidParameter = (message: string): AwsError =>
  new AwsError("InvalidParameterException", message);
