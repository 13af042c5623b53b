# shopflow: two commands on a machine with only Go.
#   make dev    start everything (Temporal dev server + Web UI, simulators, worker, starter)
#   make test   run every test, unit and integration
SHELL := /bin/bash
TEMPORAL_CLI_VERSION := v1.5.1
export GOFLAGS := -buildvcs=false

.PHONY: dev test bench generate tools fuzz lint chaos observe

dev: bin/temporal
	go build -o bin/dev ./tools/dev
	bin/dev

test: bin/temporal bin/temporal-server tools
	go vet ./...
	go test -count=1 -timeout 60m ./...

bench: bin/temporal
	go test -run '^$$' -bench . -benchtime 1x -timeout 30m ./...

# Every fuzz test for FUZZTIME each (30 s by default); their seed corpora
# also run as ordinary tests under make test.
fuzz:
	./tools/fuzz.sh

# staticcheck and govulncheck (offline, on the Go module proxy's vulndb).
lint:
	./tools/lint.sh

# The chaos run at scale: 10,000 orders on a file-backed dev server, and
# CHAOS_PG_ORDERS on the Temporal server on PostgreSQL (make test runs 500
# and 200).
CHAOS_ORDERS ?= 10000
CHAOS_PG_ORDERS ?= 2000
chaos: bin/temporal bin/temporal-server tools
	go test -count=1 -v -timeout 4h -run 'TestChaos' ./internal/chaos -args -chaos.orders=$(CHAOS_ORDERS) -chaos.pg-orders=$(CHAOS_PG_ORDERS)

# The Temporal server v1.29.1 and its SQL tool (the chaos test's cluster on
# PostgreSQL), built from the Go module proxy.
bin/temporal-server:
	./tools/temporal-server.sh build

generate:
	go generate ./...

# The Temporal CLI, built from the Go module proxy (never downloaded from
# elsewhere) and cached in the git-ignored bin/.
bin/temporal:
	GOBIN=$(CURDIR)/bin go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

# With make dev running: Prometheus and Alertmanager (Debian's) watching
# it with shopflow's alert rules; prints their addresses.
observe:
	./tools/observe.sh

# Tools the tests drive: promtool (alert rule tests) and Chromium (Web UI
# test), from Debian's packages when missing.
tools:
	@./tools/ensure-test-tools.sh
