#!/usr/bin/env bash
# Runs pgbench (TPC-B-like and select-only) against Aegis and against a
# scratch PostgreSQL 15 on this machine, in the same run, and prints the
# tps of each and the Aegis/PostgreSQL ratio. The machine is shared and
# noisy: run it a few times and compare medians.
#
#   bench/pgbench.sh [seconds] [clients]
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-10}
clients=${2:-4}
export PATH="/usr/lib/postgresql/15/bin:$PATH"
work=$(mktemp -d)
trap 'kill $aegis_pid 2>/dev/null || true; [ -n "${pg_started:-}" ] && su postgres -c "pg_ctl -D $work/pg -m immediate stop" >/dev/null 2>&1; rm -rf "$work"' EXIT

go build -o "$work/aegis" ./cmd/aegis
"$work/aegis" start --data-dir "$work/aegis-data" --listen 127.0.0.1:55499 --log-level warn &
aegis_pid=$!

chown -R postgres "$work" 2>/dev/null || true
su postgres -c "initdb -D $work/pg >/dev/null 2>&1 && pg_ctl -D $work/pg -o '-p 55498 -k $work -c listen_addresses=' -l $work/pg.log start >/dev/null"
pg_started=1
sleep 1

tps() { pgbench "$@" 2>/dev/null | awk '/^tps/ {print $3}'; }
for target in "aegis:-h 127.0.0.1 -p 55499" "postgres:-h $work -p 55498"; do
	name=${target%%:*}; conn=${target#*:}
	pgbench $conn -U postgres -i -s 1 postgres >/dev/null 2>&1
	declare "tpcb_$name=$(tps $conn -U postgres -c "$clients" -T "$secs" postgres)"
	declare "select_$name=$(tps $conn -U postgres -c "$clients" -T "$secs" -S postgres)"
done
printf '%-12s %12s %12s %8s\n' workload aegis postgres ratio
printf '%-12s %12.0f %12.0f %8.2f\n' tpcb "$tpcb_aegis" "$tpcb_postgres" "$(echo "$tpcb_aegis / $tpcb_postgres" | bc -l)"
printf '%-12s %12.0f %12.0f %8.2f\n' select-only "$select_aegis" "$select_postgres" "$(echo "$select_aegis / $select_postgres" | bc -l)"
