#!/usr/bin/env bash
# The embedding benchmark: Baseten's performance client (Rust, through its Node binding, pinned in
# node/package.json), ours (BasetenInferenceClient.EmbedBatchesAsync, NativeAOT) and a hand-written
# floor (FloorApp), against one loopback stand-in (StandIn), interleaved round by round. Each run is
# one process under /usr/bin/time: wall seconds, user+system CPU seconds, peak RSS.
#
#   benchmarks/embeddings/run.sh [rounds] [inputs list] [concurrency list] [encodings] [delay-ms] [clients]
#   benchmarks/embeddings/run.sh 3 "100000" "32 128" "float base64" 0 "rust ours floor"
#   benchmarks/embeddings/run.sh 1 "1000000" "32" "float base64" 0 "ours floor"
#
# Not a test and not run in CI (it takes minutes and needs the machine to itself); CI only builds the three apps.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
rounds="${1:-3}"
inputs_list="${2:-100000}"
concurrency_list="${3:-32 128}"
encodings="${4:-float base64}"
delay="${5:-0}"
clients="${6:-rust ours floor}"
out="${BENCH_OUT:-/tmp/baseten-embeddings-bench}"
port="${BENCH_PORT:-18555}"
mkdir -p "$out"

if [[ "${BENCH_SKIP_BUILD:-0}" != 1 ]]; then
  dotnet publish "$here/OursApp/OursApp.csproj" -c Release -o "$out/ours" -nologo -v q
  dotnet publish "$here/FloorApp/FloorApp.csproj" -c Release -o "$out/floor" -nologo -v q
  dotnet build "$here/StandIn/StandIn.csproj" -c Release -o "$out/standin" -nologo -v q
  (cd "$here/node" && npm ci --no-audit --no-fund --silent)
fi

"$out/standin/StandIn" "$port" "$delay" > "$out/standin.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true' EXIT
for _ in $(seq 600); do
  grep -q listening "$out/standin.log" 2>/dev/null && (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null && break
  sleep 0.1
done

url="http://127.0.0.1:$port/"
results="${BENCH_RESULTS:-$out/results.csv}"
echo "client,inputs,concurrency,encoding,round,wall_s,user_s,sys_s,max_rss_kb,line" > "$results"
echo "load before: $(cat /proc/loadavg)" | tee "$out/load.txt"
for inputs in $inputs_list; do
  for concurrency in $concurrency_list; do
    for encoding in $encodings; do
      for round in $(seq "$rounds"); do
        # Interleaved, and the order turns each round so no client always goes first.
        order=($clients)
        shift_by=$(( (round - 1) % ${#order[@]} ))
        order=("${order[@]:$shift_by}" "${order[@]:0:$shift_by}")
        for client in "${order[@]}"; do
          case "$client" in
            rust) command=(node "$here/node/rust-client.js" "$url" "$inputs" "$concurrency" "$encoding") ;;
            ours) command=("$out/ours/OursApp" "$url" "$inputs" "$concurrency" "$encoding" stream) ;;
            ours-all) command=("$out/ours/OursApp" "$url" "$inputs" "$concurrency" "$encoding" all) ;;
            floor) command=("$out/floor/FloorApp" "$url" "$inputs" "$concurrency" "$encoding") ;;
          esac
          line=$(/usr/bin/time -f "TIME %e %U %S %M" -o "$out/time.txt" "${command[@]}" 2>&1 | tail -1 || true)
          read -r _ wall user sys rss < <(grep '^TIME' "$out/time.txt")
          echo "$client,$inputs,$concurrency,$encoding,$round,$wall,$user,$sys,$rss,\"$line\"" | tee -a "$results"
        done
      done
    done
  done
done
echo "load after: $(cat /proc/loadavg)" | tee -a "$out/load.txt"
python3 "$here/summarize.py" "$results"
