#!/usr/bin/env bash
# Builds the PostgreSQL image the tests use where no image registry is reachable:
#   1. a Debian base image from `mmdebstrap --variant=minbase`, using this machine's own apt
#      sources (nothing here names a mirror), imported with `docker import`;
#   2. a PostgreSQL image FROM it (Debian's postgresql package, see Dockerfile) that honours
#      POSTGRES_USER/POSTGRES_PASSWORD/POSTGRES_DB like the official image.
# Images already present are kept (the PostgreSQL one unless its sources changed); pass --rebuild
# to build them again.
# Usage: docker/postgres/build-images.sh [--rebuild]     (root, Debian host, Docker running)
# The tests use poolguard-ci/postgres in place of the official postgres image when it is present
# (io.github.poolguard.test.LocalPostgresImage), e.g. ./mvnw -B verify -Dpoolguard.test.postgres=testcontainers
set -euo pipefail
cd "$(dirname "$0")"

suite=$(. /etc/os-release && echo "${VERSION_CODENAME:?no VERSION_CODENAME in /etc/os-release}")
base_image="poolguard-ci/debian:${suite}"
postgres_image="poolguard-ci/postgres"
rebuild=false
[ "${1:-}" = --rebuild ] && rebuild=true

present() {
	docker image inspect "$1" >/dev/null 2>&1
}

if $rebuild || ! present "$base_image"; then
	# The host's apt sources, deb822 (.sources) and one-line (.list) alike.
	sources=()
	[ -s /etc/apt/sources.list ] && sources+=(/etc/apt/sources.list)
	for file in /etc/apt/sources.list.d/*.sources /etc/apt/sources.list.d/*.list; do
		[ -s "$file" ] && sources+=("$file")
	done
	[ ${#sources[@]} -gt 0 ] || { echo "no apt sources on this machine" >&2; exit 1; }
	start=$SECONDS
	mmdebstrap --quiet --variant=minbase "$suite" - "${sources[@]}" | docker import - "$base_image" >/dev/null
	echo "built $base_image in $((SECONDS - start)) s"
else
	echo "$base_image is present"
fi

# The image carries a hash of the files it is built from: a changed Dockerfile or entrypoint
# rebuilds it.
source_hash=$(cat Dockerfile docker-entrypoint.sh | sha256sum | cut -c1-16)
built_hash=$(docker image inspect --format '{{ index .Config.Labels "poolguard.source-hash" }}' "$postgres_image" \
	2>/dev/null || true)
if $rebuild || [ "$built_hash" != "$source_hash" ]; then
	start=$SECONDS
	docker build --quiet --build-arg "BASE_IMAGE=$base_image" --label "poolguard.source-hash=$source_hash" \
		--tag "$postgres_image" . >/dev/null
	echo "built $postgres_image in $((SECONDS - start)) s"
else
	echo "$postgres_image is present and up to date"
fi
