# shopflow: two commands on a machine with only Go.
#   make dev    start everything (Temporal dev server + Web UI, simulators, worker, starter)
#   make test   run every test, unit and integration
SHELL := /bin/bash
TEMPORAL_CLI_VERSION := v1.5.1
export GOFLAGS := -buildvcs=false

.PHONY: dev test bench generate tools

dev: bin/temporal
	go build -o bin/dev ./tools/dev
	bin/dev

test: bin/temporal tools
	go vet ./...
	go test -count=1 -timeout 60m ./...

bench: bin/temporal
	go test -run '^$$' -bench . -benchtime 1x -timeout 30m ./...

generate:
	go generate ./...

# The Temporal CLI, built from the Go module proxy (never downloaded from
# elsewhere) and cached in the git-ignored bin/.
bin/temporal:
	GOBIN=$(CURDIR)/bin go install github.com/temporalio/cli/cmd/temporal@$(TEMPORAL_CLI_VERSION)

# Tools the tests drive: promtool (alert rule tests) and Chromium (Web UI
# test), from Debian's packages when missing.
tools:
	@./tools/ensure-test-tools.sh
