#!/usr/bin/env bash
# make kind-here-down: deletes the kind cluster of the kind environment, removes the images
# scripts/kind-here/images.sh built (tracegate.local/*), and stops the Docker engine
# scripts/kind-here/engine.sh started. An engine it did not start is left running.
set -euo pipefail
cd "$(dirname "$0")/../.."
if timeout 10 docker info >/dev/null 2>&1; then
  # The kind environment's cluster, by the name ginkgo.yaml gives it (make kind-down's way).
  E2E_ENV=kind go run ./cmd/cluster down
  images=$(docker images --format '{{.Repository}}:{{.Tag}}' | grep '^tracegate\.local/' || true)
  if [[ -n $images ]]; then
    echo "kind-here: removing images: $(echo $images)" >&2
    # shellcheck disable=SC2086 # one argument per image
    docker rmi $images >/dev/null
  fi
fi
bash scripts/kind-here/engine.sh down
