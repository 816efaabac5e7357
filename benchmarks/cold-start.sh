#!/usr/bin/env bash
# Cold start, start to answer (issue 7): the CLI published NativeAOT (samples/Baseten.Aot.Cli), the
# hand-written HttpClient + System.Text.Json client published NativeAOT (benchmarks/HandWrittenCli),
# and the same CLI framework-dependent (JIT), each making the seed call (POST
# /v1/chains/{chain_id}/environments with the seed request from a file) against a loopback stand-in
# for Baseten (Python's standard library, 127.0.0.1 only, a dummy key). The runs are interleaved
# (one of each in turn) so that other load on the machine falls on all three alike. Each run is
# timed from just before the spawn to the first byte of the answer on stdout, and to the exit.
# Prints the median, min, max and interquartile range of each.
#
#   benchmarks/cold-start.sh [RUNS] [--no-publish]
#
# RUNS defaults to 30. Publishes into artifacts/cold-start/ first unless --no-publish is given.
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-30}
out=artifacts/cold-start
if [ "${2:-}" != "--no-publish" ]; then
  dotnet publish samples/Baseten.Aot.Cli -c Release -r linux-x64 -o "$out/native" > /dev/null
  dotnet publish benchmarks/HandWrittenCli -c Release -r linux-x64 -o "$out/handwritten" > /dev/null
  dotnet publish samples/Baseten.Aot.Cli -c Release -r linux-x64 --self-contained false -p:PublishAot=false -o "$out/jit" > /dev/null
fi

exec python3 - "$out" "$runs" <<'PY'
import json, os, statistics, subprocess, sys, tempfile, time

sys.path.insert(0, "benchmarks")
import standin

out, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
REQUEST = {"promotion_settings": {"ramp_up_duration_seconds": 600, "ramp_up_while_promoting": True},
           "chainlet_settings": [{"chainlet_name": "HelloWorld", "instance_type_id": "2x8",
                                  "autoscaling_settings": {"min_replica": 2, "max_replica": 3}}]}


class StandIn(standin.Handler):
    def do_POST(self):
        body = self.body()
        self.answer(self.path == standin.PATH and json.loads(body).get("name") == "staging", "unexpected request")


base = standin.serve(StandIn)
body = os.path.join(tempfile.mkdtemp(), "request.json")
with open(body, "w") as f:
    json.dump(REQUEST, f)

candidates = [
    ("baseten, NativeAOT", [os.path.join(out, "native", "baseten"), "chains", "create-environment", "abc123", "--name", "staging", "--body", body, "--base-url", base]),
    ("handwritten, NativeAOT", [os.path.join(out, "handwritten", "handwritten"), "abc123", "staging", body, base]),
    ("baseten, JIT (dotnet baseten.dll)", ["dotnet", os.path.join(out, "jit", "baseten.dll"), "chains", "create-environment", "abc123", "--name", "staging", "--body", body, "--base-url", base]),
]
environment = dict(os.environ, BASETEN_API_KEY="cold-start-dummy-key", DOTNET_CLI_TELEMETRY_OPTOUT="1")
times = {name: ([], []) for name, _ in candidates}
for number in range(runs + 1):
    for name, command in candidates:
        start = time.perf_counter()
        process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE, stderr=subprocess.PIPE, bufsize=0)
        first = process.stdout.read(1)
        answered = time.perf_counter()
        rest, stderr = process.communicate(timeout=60)
        exited = time.perf_counter()
        if process.returncode != 0 or b"staging" not in first + rest:
            sys.exit("%s failed (exit %d): %s %s" % (name, process.returncode, (first + rest)[:300], stderr.decode(errors="replace")))
        if number > 0:  # the first round only warms the disk cache
            times[name][0].append((answered - start) * 1000)
            times[name][1].append((exited - start) * 1000)


def describe(values):
    q = statistics.quantiles(values, n=4)
    return "median %7.1f ms  min %7.1f  max %7.1f  IQR %5.1f-%5.1f" % (statistics.median(values), min(values), max(values), q[0], q[2])


print("%d runs each, interleaved, load average %s" % (runs, " ".join("%.2f" % x for x in os.getloadavg())))
for name, command in candidates:
    print("%-34s to answer: %s" % (name, describe(times[name][0])))
    print("%-34s to exit:   %s" % ("", describe(times[name][1])))
native, handwritten = (statistics.median(times[n][0]) for n in ("baseten, NativeAOT", "handwritten, NativeAOT"))
print("native CLI / hand-written native, median to answer: %.2fx (target 1.10x)" % (native / handwritten))
PY
