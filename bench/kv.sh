#!/usr/bin/env bash
# Runs the kv benchmarks (point reads and single-row write transactions,
# each next to the raw Pebble operation in the same run) and prints the
# median ns/op of each and the ratio to its raw baseline. The issue's
# targets: a point read at most 2x a raw Get, a one-row write transaction
# at most 2x a raw synced batch at 1 and at 64 writers.
#
#   bench/kv.sh [count]
set -euo pipefail
cd "$(dirname "$0")/.."
count=${1:-5}
go test ./kv/ -run XXX -bench 'WriteTxn|PointRead' -cpu 2 -count "$count" |
	awk '
	/^Benchmark/ {
		name = $1; sub(/-[0-9]+$/, "", name); sub(/^Benchmark/, "", name)
		n[name]++; v[name, n[name]] = $3
	}
	function median(name,    i, j, t, k, a) {
		k = n[name]
		for (i = 1; i <= k; i++) a[i] = v[name, i]
		for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
		return a[int((k + 1) / 2)]
	}
	function row(name, base) {
		printf "%-45s %12.0f ns/op   %-45s %12.0f ns/op   ratio %.2fx\n", name, median(name), base, median(base), median(name) / median(base)
	}
	END {
		row("PointRead/txn-get", "PointRead/raw-pebble-get")
		row("PointRead/txn-begin-get-commit", "PointRead/raw-pebble-get")
		row("WriteTxn/txn/writers1", "WriteTxn/raw-pebble-synced-batch/writers1")
		row("WriteTxn/txn/writers64", "WriteTxn/raw-pebble-synced-batch/writers64")
	}'
