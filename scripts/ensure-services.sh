#!/usr/bin/env bash
# Starts what the image and pipeline tests need on this machine, if it is not running already:
# the Docker engine (no iptables, no bridge: containers use --network host or none) and an OCI
# registry (Debian's docker-registry) on 127.0.0.1:${REGISTRY_PORT:-5000}. Idempotent.
set -euo pipefail

REGISTRY_PORT="${REGISTRY_PORT:-5000}"
STATE_DIR="${TEXTCAT_STATE_DIR:-/tmp/textcat-services}"
mkdir -p "$STATE_DIR"

need() { command -v "$1" >/dev/null 2>&1 || { echo "ensure-services: '$1' is not installed; run as root: $2" >&2; exit 2; }; }
need docker "apt-get install -y docker.io"

# Each tool is needed only to start what is not running: on GitHub-hosted runners Docker is up and
# ci.yml's `services:` container is the registry.
if ! docker info >/dev/null 2>&1; then
  need dockerd "apt-get install -y docker.io"
  echo "ensure-services: starting dockerd" >&2
  nohup dockerd --iptables=false --ip6tables=false --bridge=none >"$STATE_DIR/dockerd.log" 2>&1 &
  for _ in $(seq 1 60); do docker info >/dev/null 2>&1 && break; sleep 0.5; done
  docker info >/dev/null 2>&1 || { echo "ensure-services: dockerd did not start, see $STATE_DIR/dockerd.log" >&2; exit 1; }
fi

if ! curl -fsS "http://127.0.0.1:${REGISTRY_PORT}/v2/" >/dev/null 2>&1; then
  need docker-registry "apt-get install -y docker-registry"
  echo "ensure-services: starting docker-registry on 127.0.0.1:${REGISTRY_PORT}" >&2
  cat >"$STATE_DIR/registry.yml" <<YAML
version: 0.1
log:
  level: warn
storage:
  filesystem:
    rootdirectory: $STATE_DIR/registry-data
  delete:
    enabled: true
http:
  addr: 127.0.0.1:${REGISTRY_PORT}
YAML
  nohup docker-registry serve "$STATE_DIR/registry.yml" >"$STATE_DIR/registry.log" 2>&1 &
  for _ in $(seq 1 40); do curl -fsS "http://127.0.0.1:${REGISTRY_PORT}/v2/" >/dev/null 2>&1 && break; sleep 0.25; done
  curl -fsS "http://127.0.0.1:${REGISTRY_PORT}/v2/" >/dev/null || { echo "ensure-services: registry did not start, see $STATE_DIR/registry.log" >&2; exit 1; }
fi
echo "ensure-services: docker and registry 127.0.0.1:${REGISTRY_PORT} are up" >&2
