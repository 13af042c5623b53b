#!/usr/bin/env bash
# Static checks CI runs before the tests (`make lint`, from .ci/run):
#   staticcheck, at a version that supports Go 1.26;
#   govulncheck, against the Go vulnerability database taken from the Go
#   module proxy: the module golang.org/x/vulndb carries every OSV entry in
#   data/osv, a flat directory govulncheck reads with -db file://.
# Both come from the Go module proxy; nothing else is downloaded.
set -euo pipefail
cd "$(dirname "$0")/.."
STATICCHECK_VERSION=${STATICCHECK_VERSION:-v0.8.2}
GOVULNCHECK_VERSION=${GOVULNCHECK_VERSION:-v1.9.0}
# latest: the newest snapshot of the database the proxy has.
VULNDB_VERSION=${VULNDB_VERSION:-latest}

echo "staticcheck $STATICCHECK_VERSION ($(go env GOVERSION))"
# Both checks run, so that one report shows every finding.
status=0
go run "honnef.co/go/tools/cmd/staticcheck@$STATICCHECK_VERSION" ./... || status=1

vulndb=$(go mod download -json "golang.org/x/vulndb@$VULNDB_VERSION" |
	sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
[ -d "$vulndb/data/osv" ] || { echo "no vulnerability database at $vulndb/data/osv" >&2; exit 1; }
echo "govulncheck $GOVULNCHECK_VERSION ($(go env GOVERSION)), database $(basename "$vulndb"), $(ls "$vulndb/data/osv" | wc -l) entries"
go run "golang.org/x/vuln/cmd/govulncheck@$GOVULNCHECK_VERSION" -db "file://$vulndb/data/osv" ./... || status=1
exit $status
