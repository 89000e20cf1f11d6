#!/bin/sh
# Same contract as the AWS base image's /lambda-entrypoint.sh: the handler (image CMD) is the one
# argument; with AWS_LAMBDA_RUNTIME_API set (inside Lambda) the runtime talks to that API, without it
# the emulator serves invocations on :8080.
if [ $# -ne 1 ]; then
  echo "entrypoint requires the handler name to be the first argument" 1>&2
  exit 142
fi
export _HANDLER="$1"

RUNTIME_ENTRYPOINT=/var/runtime/bootstrap
if [ -z "${AWS_LAMBDA_RUNTIME_API}" ]; then
  exec /usr/local/bin/aws-lambda-rie $RUNTIME_ENTRYPOINT
else
  exec $RUNTIME_ENTRYPOINT
fi
