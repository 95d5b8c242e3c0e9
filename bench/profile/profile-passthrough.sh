#!/usr/bin/env bash
# Profiles the gateway process alone on plain passthrough: nginx as the upstream and wrk as the client (neither
# is .NET, so the profile holds only the gateway), then prints where its CPU goes (cpu-buckets.py).
# usage: bench/profile/profile-passthrough.sh [PORT_BASE=47600] [SECONDS=12]   (after dotnet build -c Release)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
base=${1:-47600}
seconds=${2:-12}
for tool in nginx wrk perf python3 curl; do
  command -v "$tool" >/dev/null || { echo "profile-passthrough: $tool is missing (apt-get install -y nginx-light wrk linux-perf python3 curl)" >&2; exit 2; }
done
dll=${GATEWAY_DLL:-$root/gateway/Headroom.Gateway/bin/Release/net10.0/headroom.dll}
[ -f "$dll" ] || { echo "profile-passthrough: $dll not found; run dotnet build -c Release Headroom.Gateway.sln" >&2; exit 2; }
work=$(mktemp -d)
upstream=$base
gateway=$((base + 1))
sed "s|@PORT@|$upstream|g; s|@WORK@|$work|g" "$here/nginx.conf" > "$work/nginx.conf"
nginx -c "$work/nginx.conf"
HEADROOM__DATADIRECTORY="$work/data" DOTNET_PerfMapEnabled=1 DOTNET_EnableWriteXorExecute=0 \
  dotnet "$dll" proxy --host 127.0.0.1 --port "$gateway" --anthropic-upstream "http://127.0.0.1:$upstream" > "$work/gateway.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null || true; nginx -c "$work/nginx.conf" -s stop 2>/dev/null || true' EXIT
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$gateway/healthz" >/dev/null && break; sleep 0.2; done
export BODY_FILE="$here/passthrough-body.json"
echo "direct:  $(wrk -t1 -c50 -d5s -s "$here/post.lua" "http://127.0.0.1:$upstream/v1/messages" | grep Requests/sec)"
wrk -t1 -c50 -d10s -s "$here/post.lua" "http://127.0.0.1:$gateway/v1/messages" > /dev/null # warm-up: tier-1 JIT
wrk -t1 -c50 -d$((seconds + 8))s -s "$here/post.lua" "http://127.0.0.1:$gateway/v1/messages" > "$work/wrk.txt" &
load=$!
sleep 4
perf record -F 999 -g -p "$pid" -o "$work/perf.data" -- sleep "$seconds" 2> /dev/null
wait "$load"
echo "gateway: $(grep Requests/sec "$work/wrk.txt")"
perf script -i "$work/perf.data" -F comm,tid,ip,sym 2> /dev/null | python3 "$here/cpu-buckets.py"
echo "perf data: $work/perf.data (perf report -i $work/perf.data --children)"
