#!/usr/bin/env bash
# Builds the suite's echo upstream (cmd/echo) into an image for your registry, for a cluster the
# suite loads no image into (E2E_ENV=existing, conformance.WithEchoImage / E2E_ECHO_IMAGE):
#
#   IMAGE=registry.example.com/tracegate/echo:dev [PUSH=1] [GOARCH=arm64] scripts/echo-image.sh
#
# Needs Go and the docker CLI with an engine (docker build; FROM scratch, so nothing is pulled;
# PUSH=1 pushes with your docker login). Without Docker, ko packages the same program from Go
# alone: KO_DOCKER_REPO=registry.example.com/tracegate ko build --bare ./cmd/echo
set -euo pipefail
cd "$(dirname "$0")/.."

die() { echo "echo-image: $*" >&2; exit 1; }

[[ -n ${IMAGE:-} ]] || die "IMAGE is required: the name your cluster pulls the echo upstream by, such as registry.example.com/tracegate/echo:dev"
command -v docker >/dev/null ||
	die "needs the docker CLI and a Docker engine (docker build). Without Docker: KO_DOCKER_REPO=<your registry> ko build --bare ./cmd/echo (ko needs only Go and your registry's credentials)"

tmp=$(mktemp -d "${TMPDIR:-/tmp}/echo-image.XXXXXX")
trap 'rm -rf "$tmp"' EXIT
# Static (no C library in the image), for the cluster's architecture (GOARCH, default this one).
CGO_ENABLED=0 GOOS=linux GOARCH=${GOARCH:-$(go env GOARCH)} go build -trimpath -ldflags='-s -w' -o "$tmp/echo" ./cmd/echo
printf 'FROM scratch\nCOPY echo /echo\nUSER 65532\nENTRYPOINT ["/echo"]\n' >"$tmp/Dockerfile"
DOCKER_BUILDKIT=0 docker build -q -t "$IMAGE" "$tmp" >/dev/null
echo "echo-image: built $IMAGE (cmd/echo, listening on :3000)"
if [[ ${PUSH:-} == 1 ]]; then
	docker push "$IMAGE"
	echo "echo-image: pushed $IMAGE; run with E2E_ECHO_IMAGE=$IMAGE (or conformance.WithEchoImage)"
else
	echo "echo-image: push it (PUSH=1, or docker push $IMAGE) where your cluster pulls from, then run with E2E_ECHO_IMAGE=$IMAGE"
fi
