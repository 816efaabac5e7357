#!/usr/bin/env bash
# Cold start of the Lambda sample (samples/Baseten.Aot.Lambda): starts bootstrap RUNS times against a
# local stand-in for Lambda's runtime API and for Baseten (one loopback HTTP server, Python's standard
# library), hands each process one invocation, and measures from just before the process is spawned
# to its first GET /runtime/invocation/next (init) and to its first POST .../response (first
# response: init, reading the event, one predict over loopback, posting the output). Prints every
# run and the median, min and max. No network beyond 127.0.0.1; the key is a dummy.
#
#   dotnet publish samples/Baseten.Aot.Lambda -c Release -r linux-x64 -o artifacts/lambda
#   benchmarks/lambda-cold-start.sh [BOOTSTRAP] [RUNS]
#
# BOOTSTRAP defaults to artifacts/lambda/bootstrap; a path ending in .dll runs under `dotnet`
# (the JIT build, for comparison). RUNS defaults to 20.
set -euo pipefail
cd "$(dirname "$0")/.."
bootstrap=${1:-artifacts/lambda/bootstrap}
runs=${2:-20}
if [ ! -f "$bootstrap" ]; then
  echo "no $bootstrap: publish it first (dotnet publish samples/Baseten.Aot.Lambda -c Release -r linux-x64 -o artifacts/lambda)" >&2
  exit 2
fi

exec python3 - "$bootstrap" "$runs" <<'PY'
import http.server, json, os, statistics, subprocess, sys, threading, time

bootstrap, runs = os.path.abspath(sys.argv[1]), int(sys.argv[2])
command = ["dotnet", bootstrap] if bootstrap.endswith(".dll") else [bootstrap]
OUTPUT = b'{"output": "Hello from the stand-in model"}'


class Run:
    def __init__(self, number):
        self.request_id = "cold-start-%d" % number
        self.first_next = None
        self.response = None
        self.failure = None
        self.done = threading.Event()
        self.over = threading.Event()


class StandIn(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def answer(self, status, body=b"", headers=()):
        self.send_response(status)
        for name, value in headers:
            self.send_header(name, value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def do_GET(self):
        run = self.server.run
        if self.path != "/2018-06-01/runtime/invocation/next":
            return self.answer(404)
        if run.first_next is not None:
            # The one invocation of this run is served: wait, as Lambda does, until the process is ended.
            run.over.wait(60)
            return
        run.first_next = time.perf_counter()
        deadline = int(time.time() * 1000) + 60_000
        self.answer(200, json.dumps({"prompt": "Say hello", "max_tokens": 16}).encode(), [
            ("Lambda-Runtime-Aws-Request-Id", run.request_id),
            ("Lambda-Runtime-Deadline-Ms", str(deadline)),
            ("Lambda-Runtime-Trace-Id", "Root=1-00000000-000000000000000000000000;Sampled=0"),
        ])

    def do_POST(self):
        run = self.server.run
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path == "/production/predict":
            return self.answer(200, OUTPUT)
        if self.path == "/2018-06-01/runtime/invocation/%s/response" % run.request_id:
            run.response = time.perf_counter()
        else:
            run.failure = "%s %s" % (self.path, body.decode(errors="replace"))
        self.answer(202)
        run.done.set()


class Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        # A process ended mid-connection (each run's is killed): expected, not worth a traceback.
        if not isinstance(sys.exc_info()[1], ConnectionError):
            super().handle_error(request, client_address)


def stand_in(run):
    # A server of its own for each run, so that a request still on its way from the previous
    # (killed) process can never be taken for this run's.
    server = Server(("127.0.0.1", 0), StandIn)
    server.run = run
    threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
    address = "127.0.0.1:%d" % server.server_address[1]
    environment = dict(os.environ, AWS_LAMBDA_RUNTIME_API=address, BASETEN_API_KEY="cold-start-dummy-key",
                       BASETEN_MODEL_ID="cold-start", BASETEN_BASE_URL="http://%s/" % address)
    for name in ("BASETEN_ENVIRONMENT", "_X_AMZN_TRACE_ID"):
        environment.pop(name, None)
    return server, environment


inits, firsts = [], []
print("%s, %d runs" % (" ".join(command), runs))
for number in range(1, runs + 1):
    run = Run(number)
    server, environment = stand_in(run)
    start = time.perf_counter()
    process = subprocess.Popen(command, env=environment, stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    finished = run.done.wait(30)
    process.kill()
    _, stderr = process.communicate(timeout=30)
    run.over.set()
    server.shutdown()
    server.server_close()
    if not finished or run.failure or run.response is None:
        sys.exit("run %d failed: %s %s" % (number, run.failure or "no response within 30 s", stderr.decode(errors="replace")))
    inits.append((run.first_next - start) * 1000)
    firsts.append((run.response - start) * 1000)
    print("run %2d: init %7.1f ms, first response %7.1f ms" % (number, inits[-1], firsts[-1]))

print("init (spawn to first /next):          median %.1f ms, min %.1f, max %.1f" % (statistics.median(inits), min(inits), max(inits)))
print("first response (spawn to /response):  median %.1f ms, min %.1f, max %.1f" % (statistics.median(firsts), min(firsts), max(firsts)))
PY
