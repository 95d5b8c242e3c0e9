#!/usr/bin/env bash
# A tool-heavy agent session (PROMPTS prompts, 4 unless set; each reading a fresh ~20 KB server log with two ERROR lines
# among INFO lines, near the end where Codex's own output cap keeps them; Claude Code resumes with --continue, Codex with exec resume --last), against the
# cache-emulating provider, either direct or through the gateway, with the gateway reaching the provider
# through a Host-routing nginx TLS edge (self-signed certificate for localhost, default server answering
# 421). Prints the session's cost in base-input-token units (input + 1.25 x cache writes + 0.1 x cache
# reads) and whether every invoice id reached the provider.
#
# usage: [PROMPTS=N] bench/clients/client-session.sh claude|codex CLIENT_BIN direct|gateway   (N prompts, default 4)
# e.g.   npm install --prefix /tmp/cc @anthropic-ai/claude-code@2.1.197
#        dotnet build -c Release gateway/Headroom.Gateway
#        bench/clients/client-session.sh claude /tmp/cc/node_modules/.bin/claude gateway
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd); root=$(cd "$here/../.." && pwd)
kind=$1; client=$2; mode=$3; prompts=${PROMPTS:-4}
work=$(mktemp -d /tmp/hr-claude-XXXXXX)
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; }
trap cleanup EXIT

provider=$(free_port)
node "$here/cache-emulating-provider.mjs" "$provider" "$work/provider.jsonl" > "$work/provider.out" 2>&1 & pids+=($!)
base="http://127.0.0.1:$provider"
if [ "$mode" = gateway ]; then
  edge=$(free_port); gw=$(free_port)
  openssl req -x509 -newkey rsa:2048 -nodes -days 2 -subj /CN=localhost -addext subjectAltName=DNS:localhost \
    -keyout "$work/edge.key" -out "$work/edge.crt" 2>/dev/null
  mkdir -p "$work/nginx"
  cat > "$work/nginx/nginx.conf" <<CONF
$( [ "$(id -u)" = 0 ] && echo "user root;" )
worker_processes 1; pid $work/nginx/pid; error_log $work/nginx/error.log warn;
events { worker_connections 128; }
http {
  access_log off; client_body_temp_path $work/nginx/body; proxy_temp_path $work/nginx/proxy;
  fastcgi_temp_path $work/nginx/f; uwsgi_temp_path $work/nginx/u; scgi_temp_path $work/nginx/s;
  client_max_body_size 64m;
  ssl_certificate $work/edge.crt; ssl_certificate_key $work/edge.key;
  server { listen 127.0.0.1:$edge ssl http2 default_server; return 421; }
  server { listen 127.0.0.1:$edge ssl http2; server_name localhost;
    location / { proxy_pass http://127.0.0.1:$provider; proxy_http_version 1.1; proxy_buffering off; proxy_request_buffering off; } }
}
CONF
  nginx -p "$work/nginx" -c "$work/nginx/nginx.conf" -g 'daemon off;' & pids+=($!)
  dotnet "$root/gateway/Headroom.Gateway/bin/Release/net10.0/headroom.dll" proxy --port "$gw" \
    --anthropic-upstream "https://localhost:$edge" --openai-upstream "https://localhost:$edge" --ca-bundle "$work/edge.crt" --data-dir "$work/gateway" > "$work/gateway.out" 2>&1 & pids+=($!)
  for _ in $(seq 100); do curl -sf "http://127.0.0.1:$gw/healthz" >/dev/null && break; sleep 0.2; done
  base="http://127.0.0.1:$gw"
fi
sleep 0.5

export HOME="$work/home" ANTHROPIC_BASE_URL="$base" ANTHROPIC_API_KEY="sk-ant-api03-emulated-0123456789" OPENAI_API_KEY="sk-proj-emulated-0123456789" \
  DISABLE_AUTOUPDATER=1 CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC=1 DISABLE_TELEMETRY=1 DISABLE_ERROR_REPORTING=1
mkdir -p "$HOME" "$work/proj"; cd "$work/proj"
prompt() { # N LOG
  local cont=(); [ "$1" -gt 1 ] && cont=(--continue)
  case $kind in
    claude) "$client" -p "Read $2 with cat and tell me which invoices failed." "${cont[@]}" --allowedTools "Bash(cat:*)" --output-format json ;;
    codex) local resume=(); [ "$1" -gt 1 ] && resume=(resume --last)
           "$client" exec --skip-git-repo-check --dangerously-bypass-approvals-and-sandbox -m gpt-5 \
             -c "model_providers.gw={name=\"gw\",base_url=\"$base/v1\",env_key=\"OPENAI_API_KEY\",wire_api=\"responses\"}" -c model_provider=gw \
             "${resume[@]}" "Read $2 with cat and tell me which invoices failed." ;;
  esac
}
for n in $(seq 1 "$prompts"); do
  log="$work/proj/server-$n.log"
  for i in $(seq 1 250); do
    printf '2026-12-01 10:%02d:%02d INFO [api] GET /v1/orders/%d 200 %dms user=u%d region=eu-west-1 trace=%08x\n' $((i/60)) $((i%60)) $((1000*n+i)) $((i%97+3)) $((i%13)) $((i*2654435761%4294967296))
    [ "$i" = 205 ] && printf '2026-12-01 10:03:25 ERROR [billing] charge failed for invoice inv_%d: card_declined (attempt 3/3)\n' $((4000+n*100+21))
    [ "$i" = 235 ] && printf '2026-12-01 10:03:55 ERROR [billing] charge failed for invoice inv_%d: card_declined (attempt 3/3)\n' $((4000+n*100+87))
  done > "$log"
  prompt "$n" "$log" > "$work/turn-$n.out" 2> "$work/turn-$n.err" || { echo "$kind failed on prompt $n:"; tail -5 "$work/turn-$n.err"; exit 1; }
done

python3 - "$work" "$mode" "$prompts" <<'PY'
import json, sys, glob
work, mode, prompts = sys.argv[1], sys.argv[2], int(sys.argv[3])
rows = [json.loads(l) for l in open(f"{work}/provider.jsonl")]
cost = sum(r["input"] + 1.25 * r["write"] + 0.1 * r["read"] for r in rows)
print(f"mode={mode} requests={len(rows)} input={sum(r['input'] for r in rows)} cache_write={sum(r['write'] for r in rows)} cache_read={sum(r['read'] for r in rows)} cost_units={cost:.0f}")
expected = sorted({f"inv_{4000+n*100+k}" for n in range(1, prompts + 1) for k in (21, 87)})
seen = set().union(*(r["invoices"] for r in rows))
missing = sorted(set(expected) - seen)
print(f"invoice ids that reached the provider: {len(set(expected) & seen)}/{len(expected)}" + (f" missing {missing}" if missing else ""))
# A prefix miss: a request that reads less than the prefix the request before it left cached (Anthropic: its
# reads and writes; Responses: its whole input, in 128-token steps). The client's own misses show in the direct
# run too; a miss only through the gateway is the gateway's.
def cached(r): return (r["read"] + r["input"]) // 128 * 128 if r.get("api") == "responses" else r["read"] + r["write"]
misses = [i + 1 for i in range(1, len(rows)) if rows[i]["read"] < cached(rows[i - 1])]
print(f"prefix misses (read below what the request before left cached): {len(misses)}" + (f" at requests {misses}" if misses else ""))
for r in rows:
    print(f"  tools={r['tools']} retrieve={r['retrieve']} bytes={r['bytes']} input={r['input']} write={r['write']} read={r['read']} markers={r['markers']} reply={r['reply']}")
PY
echo "work dir: $work"
