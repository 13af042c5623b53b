#!/usr/bin/env bash
# Installs the programs the tests drive, from Debian's packages, when they
# are missing: prometheus (with promtool), prometheus-alertmanager and
# chromium.
set -euo pipefail
need=()
command -v promtool >/dev/null || need+=(prometheus)
# The end-to-end alert test (deploy/prometheus) and make observe run a real
# Alertmanager.
command -v prometheus-alertmanager >/dev/null || need+=(prometheus-alertmanager)
command -v chromium >/dev/null || need+=(chromium)
# The Shopify simulator's client test runs Shopify's Node client.
command -v node >/dev/null || need+=(nodejs)
command -v npm >/dev/null || need+=(npm)
# The chaos test's Temporal server runs on PostgreSQL 15 (internal/temporalserver).
[ -x /usr/lib/postgresql/15/bin/initdb ] || need+=(postgresql-15)
if [ ${#need[@]} -gt 0 ]; then
	sudo=""
	[ "$(id -u)" -ne 0 ] && sudo="sudo"
	echo "installing ${need[*]} from Debian's packages" >&2
	$sudo apt-get update -qq
	DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
# Shopify's official Node client, from the npm registry, pinned, into the
# git-ignored tools/node_modules (simulators/shopifysim/clients_test.go).
cd "$(dirname "$0")/.."
admin_api_client=@shopify/admin-api-client@2.0.0
if [ "$(node -p 'require("./tools/node_modules/@shopify/admin-api-client/package.json").version' 2>/dev/null)" != "${admin_api_client##*@}" ]; then
	echo "installing $admin_api_client from the npm registry into tools/node_modules" >&2
	npm install --prefix tools --no-save --no-package-lock --no-audit --no-fund --loglevel=error "$admin_api_client" >/dev/null
fi
