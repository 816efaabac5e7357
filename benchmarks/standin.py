"""A loopback stand-in for Baseten's create-environment call, shared by the benchmark scripts.

cold-start.sh and peers/compare.sh both time or check apps that POST the seed request to
/v1/chains/{chain_id}/environments and expect a full ChainEnvironmentV1 back. This module holds
what they have in common: that response, a request handler that reads a body whether it comes
with a Content-Length or chunked, and a server on 127.0.0.1. Python's standard library only.
"""
import http.server
import json
import threading

# A full ChainEnvironmentV1, as the seed document describes it (values from its examples).
RESPONSE = json.dumps({
    "name": "staging", "created_at": "2026-08-22T10:15:30.123+00:00", "chain_id": "abc123",
    "promotion_settings": {"redeploy_on_promotion": True, "rolling_deploy": False, "promotion_cleanup_strategy": "SCALE_TO_ZERO",
                           "rolling_deploy_config": None, "ramp_up_while_promoting": True, "ramp_up_duration_seconds": 600},
    "chainlet_settings": [{"chainlet_name": "HelloWorld",
                           "autoscaling_settings": {"min_replica": 2, "max_replica": 3, "autoscaling_window": 800, "scale_down_delay": 63,
                                                    "concurrency_target": 4, "target_utilization_percentage": None, "target_in_flight_tokens": None},
                           "instance_type": {"id": "2x8", "name": "2x8", "memory_limit_mib": 8192, "millicpu_limit": 2000, "gpu_count": 0,
                                             "gpu_type": None, "gpu_memory_limit_mib": None}}],
    "current_deployment": {"id": "dep1", "created_at": "2026-08-22T10:00:00+00:00", "chain_id": "abc123", "environment": "staging",
                           "chainlets": [{"id": "cl1", "name": "HelloWorld", "autoscaling_settings": None, "instance_type_name": "2x8",
                                          "active_replica_count": 2, "status": "ACTIVE"}], "status": "ACTIVE"},
    "candidate_deployment": None}).encode()

# The path every app posts to.
PATH = "/v1/chains/abc123/environments"


class Handler(http.server.BaseHTTPRequestHandler):
    """HTTP/1.1 with keep-alive, no request log; subclasses implement do_POST."""

    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def body(self):
        """The request body, read by its Content-Length or, as JsonContent sends it, chunked."""
        if self.headers.get("Transfer-Encoding", "").lower() != "chunked":
            return self.rfile.read(int(self.headers.get("Content-Length") or 0))
        chunks = []
        while True:
            size = int(self.rfile.readline().split(b";")[0], 16)
            chunks.append(self.rfile.read(size))
            self.rfile.readline()
            if size == 0:
                return b"".join(chunks)

    def answer(self, ok, error):
        """The environment with 200, or {"error": error} with 400."""
        payload = RESPONSE if ok else json.dumps({"error": error}).encode()
        self.send_response(200 if ok else 400)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(payload)))
        self.end_headers()
        self.wfile.write(payload)


def serve(handler):
    """Starts a server for the handler class on a free port of 127.0.0.1; returns its base URL."""
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return "http://127.0.0.1:%d" % server.server_address[1]
