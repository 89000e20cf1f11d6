import { EXIT_USAGE, parseCommandLine, UsageError } from "@textcat/kit/args";
import { errorMessage } from "@textcat/kit/errors";
import { startLocalAws } from "../server.js";

const USAGE =
  "usage: npm run local-aws -- [--port 4566] [--registry http://127.0.0.1:5000] [--region us-east-1] [--quiet]";

async function main(): Promise<void> {
  const values = parseCommandLine(
    process.argv.slice(2),
    {
      port: { type: "string", default: "4566" },
      registry: { type: "string", default: "http://127.0.0.1:5000" },
      region: { type: "string", default: process.env.AWS_REGION ?? "us-east-1" },
      quiet: { type: "boolean", default: false },
      help: { type: "boolean", default: false },
    },
    USAGE,
  );
  if (values.help) {
    console.log(USAGE);
    return;
  }
  const port = Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new UsageError(`--port must be 0-65535, got ${values.port}`);
  const registryHost = URL.canParse(values.registry) ? new URL(values.registry).hostname : "";
  if (registryHost !== "127.0.0.1" && registryHost !== "localhost")
    throw new UsageError(`--registry must be an http URL on loopback, got ${values.registry}`);
  const aws = await startLocalAws({
    port,
    registryUrl: values.registry,
    region: values.region,
    verbose: !values.quiet,
  });
  console.log(`local-aws: ECR + Lambda on ${aws.endpoint} (registry ${aws.registryUrl})`);
  console.log(
    `  export AWS_ENDPOINT_URL=${aws.endpoint} AWS_REGION=${values.region} AWS_ACCESS_KEY_ID=local AWS_SECRET_ACCESS_KEY=local`,
  );
  const stop = (): void => {
    console.log("local-aws: stopping containers and server");
    aws.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.once("SIGINT", stop);
  process.once("SIGTERM", stop);
}

main().catch((error: unknown) => {
  console.error(`local-aws: ${errorMessage(error)}`);
  process.exit(error instanceof UsageError ? EXIT_USAGE : 1);
});
