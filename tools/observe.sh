#!/usr/bin/env bash
# make observe: Prometheus and Alertmanager from Debian's packages, watching
# the processes of `make dev` (the ingress and the worker) with shopflow's
# alert rules (deploy/prometheus/alerts.yml) and Alertmanager config
# (deploy/alertmanager/alertmanager.yml). Prints their addresses; Ctrl-C
# stops both. Everything they store lives in $OBSERVE_DIR (.data/observe).
#
#   PROMETHEUS_PORT      9090
#   ALERTMANAGER_PORT    9093
#   INGRESS_ADDR         127.0.0.1:8080  (make dev's ingress, /metrics)
#   WORKER_METRICS_ADDR  127.0.0.1:9092  (make dev's worker, /metrics)
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
prom_port=${PROMETHEUS_PORT:-9090}
am_port=${ALERTMANAGER_PORT:-9093}
ingress=${INGRESS_ADDR:-127.0.0.1:8080}
worker=${WORKER_METRICS_ADDR:-127.0.0.1:9092}
dir=${OBSERVE_DIR:-$root/.data/observe}

"$root/tools/ensure-test-tools.sh"
mkdir -p "$dir"
cat >"$dir/prometheus.yml" <<YAML
# Written by tools/observe.sh: make dev's processes, shopflow's rules.
global:
  scrape_interval: 5s
  evaluation_interval: 5s
rule_files:
  - $root/deploy/prometheus/alerts.yml
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["127.0.0.1:$am_port"]
scrape_configs:
  - job_name: shopflow-starter
    static_configs:
      - targets: ["$ingress"]
  - job_name: shopflow-worker
    static_configs:
      - targets: ["$worker"]
YAML

pids=()
stop() {
	trap - INT TERM EXIT
	for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
	wait 2>/dev/null || true
}
trap stop INT TERM EXIT

prometheus-alertmanager --config.file="$root/deploy/alertmanager/alertmanager.yml" \
	--storage.path="$dir/alertmanager" --web.listen-address="127.0.0.1:$am_port" \
	--cluster.listen-address= >"$dir/alertmanager.log" 2>&1 &
pids+=($!)
prometheus --config.file="$dir/prometheus.yml" --storage.tsdb.path="$dir/prometheus" \
	--web.listen-address="127.0.0.1:$prom_port" >"$dir/prometheus.log" 2>&1 &
pids+=($!)

# Listening is ready enough; bash's /dev/tcp needs no curl.
listening() { (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }
for port in "$prom_port" "$am_port"; do
	for _ in $(seq 60); do
		listening "$port" && break
		for pid in "${pids[@]}"; do
			kill -0 "$pid" 2>/dev/null || { echo "observe: a process exited; see $dir/*.log" >&2; exit 1; }
		done
		sleep 0.5
	done
	listening "$port" || { echo "observe: nothing listens on 127.0.0.1:$port; see $dir/*.log" >&2; exit 1; }
done

cat <<TXT
observing make dev (ingress $ingress, worker $worker) with deploy/prometheus/alerts.yml
  Prometheus    http://127.0.0.1:$prom_port   (alerts: http://127.0.0.1:$prom_port/alerts, targets: /targets)
  Alertmanager  http://127.0.0.1:$am_port
  logs and data $dir
Ctrl-C stops both.
TXT
wait -n "${pids[@]}"
