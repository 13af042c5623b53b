#!/usr/bin/env bash
# The real Temporal server on PostgreSQL, as production runs it.
#
#   tools/temporal-server.sh build          build bin/temporal-server and
#                                           bin/temporal-sql-tool (v1.29.1,
#                                           from the Go module proxy; ~2.5 min)
#   tools/temporal-server.sh setup-schema   create both databases and bring
#                                           their schema to v1.29.1's with
#                                           Temporal's own SQL tool
#   tools/temporal-server.sh start          run the server in the foreground
#                                           on deploy/temporal/config
#
# setup-schema and start read the database from TEMPORAL_DB_HOST (127.0.0.1),
# TEMPORAL_DB_PORT (5432), TEMPORAL_DB_USER and TEMPORAL_DB_PASSWORD
# (temporal), TEMPORAL_DB_NAME (temporal), TEMPORAL_VISIBILITY_DB_NAME
# (temporal_visibility); start also reads the addresses and ports listed in
# deploy/temporal/config/shopflow.yaml. TEMPORAL_BIN (bin/) and
# TEMPORAL_SCHEMA_DIR (the module's schema/postgresql/v12) let an image
# without Go run the same script. internal/temporalserver (the chaos
# test's cluster) and docker-compose.yml both go through this script.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
version=${TEMPORAL_SERVER_VERSION:-v1.29.1}
bin=${TEMPORAL_BIN:-$root/bin}

build() {
	[ -x "$bin/temporal-server" ] && [ -x "$bin/temporal-sql-tool" ] && return 0
	local tmp
	tmp=$(mktemp -d)
	trap 'rm -rf "$tmp"' RETURN
	echo "building the Temporal server $version and its SQL tool from the Go module proxy" >&2
	(cd "$tmp" && GOFLAGS=-buildvcs=false GOBIN="$tmp" go install \
		"go.temporal.io/server/cmd/server@$version" "go.temporal.io/server/cmd/tools/sql@$version")
	mkdir -p "$bin"
	mv "$tmp/server" "$bin/temporal-server"
	mv "$tmp/sql" "$bin/temporal-sql-tool"
}

# schema_dir prints the server module's PostgreSQL schema folder:
# TEMPORAL_SCHEMA_DIR (an image without Go copies it there), or the module's
# in the Go module cache.
schema_dir() {
	local dir
	if [ -n "${TEMPORAL_SCHEMA_DIR:-}" ]; then
		echo "$TEMPORAL_SCHEMA_DIR"
		return
	fi
	dir=$(cd / && go mod download -json "go.temporal.io/server@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
	echo "$dir/schema/postgresql/v12"
}

sql_tool() {
	"$bin/temporal-sql-tool" --plugin postgres12 \
		--ep "${TEMPORAL_DB_HOST:-127.0.0.1}" -p "${TEMPORAL_DB_PORT:-5432}" \
		-u "${TEMPORAL_DB_USER:-temporal}" --pw "${TEMPORAL_DB_PASSWORD:-temporal}" "$@"
}

setup_schema() {
	local schema db
	schema=$(schema_dir)
	for pair in "${TEMPORAL_DB_NAME:-temporal}:temporal" "${TEMPORAL_VISIBILITY_DB_NAME:-temporal_visibility}:visibility"; do
		db=${pair%%:*}
		# Idempotent: a database that exists is kept, and update-schema
		# applies only the versions it lacks.
		sql_tool --db "$db" create-database 2>/dev/null || echo "database $db exists" >&2
		sql_tool --db "$db" setup-schema -v 0.0
		sql_tool --db "$db" update-schema -d "$schema/${pair##*:}/versioned"
	done
}

start() {
	# Bound to every interface (a container), the server must announce an
	# address its peers reach: the host's.
	if [ "${TEMPORAL_BIND_IP:-}" = 0.0.0.0 ] && [ -z "${TEMPORAL_BROADCAST_IP:-}" ]; then
		TEMPORAL_BROADCAST_IP=$(hostname -i | cut -d' ' -f1)
		export TEMPORAL_BROADCAST_IP
	fi
	export TEMPORAL_DYNAMIC_CONFIG=${TEMPORAL_DYNAMIC_CONFIG:-$root/deploy/temporal/dynamicconfig/shopflow.yaml}
	exec "$bin/temporal-server" --root / --config "$root/deploy/temporal/config" --env shopflow --allow-no-auth start
}

case ${1:-} in
build) build ;;
setup-schema) build && setup_schema ;;
start) build && start ;;
*)
	echo "usage: $0 build|setup-schema|start" >&2
	exit 2
	;;
esac
