#!/usr/bin/env bash
# Runs every fuzz test of the repository (every Fuzz* function that
# `go test -list` finds) for FUZZTIME each, one after the other: `make fuzz`.
# Their seed corpora (testdata/fuzz) run as ordinary tests under `make test`;
# a finding is written to the package's testdata/fuzz/<Fuzzer>/ and the
# script fails.
set -euo pipefail
cd "$(dirname "$0")/.."
fuzztime=${FUZZTIME:-30s}
pkgs=${FUZZ_PACKAGES:-./...}
failed=()
# go test -list prints a package's matching names, then "ok  <package> ...".
names=()
while read -r first second _; do
	case $first in
	Fuzz*) names+=("$first") ;;
	ok)
		for name in "${names[@]}"; do
			echo "== $name ($second, $fuzztime)"
			if ! go test -run '^$' -fuzz "^${name}\$" -fuzztime "$fuzztime" "$second"; then
				failed+=("$second.$name")
			fi
		done
		names=()
		;;
	FAIL)
		[ -n "$second" ] && failed+=("$second (does not build)")
		names=()
		;;
	esac
done < <(go test -list '^Fuzz' $pkgs)
if [ ${#failed[@]} -gt 0 ]; then
	echo "fuzzing found problems in: ${failed[*]}" >&2
	exit 1
fi
echo "every fuzzer ran $fuzztime without a finding"
