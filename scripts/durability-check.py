#!/usr/bin/env python3
"""Kill the server with SIGKILL in the middle of a load run, restart it, and check that every
request it answered 201 is still there and that the audit chain still verifies.

usage: scripts/durability-check.py PATH/TO/clearance [--seconds N] [--workers N]
"""
import argparse
import http.client
import json
import os
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from harness import free_port, request, wait_until_up

REQUEST = """title: Costume boards {n}
description: Mood boards for the costume department from text prompts only.
media: [image]
steps:
  - tool: mystery-gen
    inputs: [prompt]
"""




def call(base, method, path, token, body=None, content_type="application/json"):
    return request(base, method, path, token, body, yaml=content_type == "application/yaml")


def start(binary, data_dir, port, log):
    process = subprocess.Popen([binary, "serve", "--data-dir", data_dir, "--port", str(port), "--log-level", "warning"],
                               stdout=log, stderr=log)
    if wait_until_up(f"http://127.0.0.1:{port}"):
        return process
    process.kill()
    sys.exit("durability: the server did not start")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("--seconds", type=float, default=3.0, help="load time before the kill")
    parser.add_argument("--workers", type=int, default=8)
    args = parser.parse_args()

    data_dir = tempfile.mkdtemp(prefix="clearance-durability-")
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    log = open(os.path.join(data_dir, "server.log"), "ab")
    admin = subprocess.run([args.binary, "admin", "create", "root@example.com", "--data-dir", data_dir],
                           check=True, capture_output=True, text=True).stdout.strip()
    server = start(args.binary, data_dir, port, log)

    assert call(base, "POST", "/api/v1/studios", admin,
                json.dumps({"id": "acme", "name": "Acme", "admin": "root@example.com"}))[0] == 201
    status, user = call(base, "POST", "/api/v1/users", admin, json.dumps({"email": "crew@example.com", "name": "Crew"}))
    assert status == 201, user
    crew = user["token"]
    assert call(base, "POST", "/api/v1/studios/acme/productions", admin, json.dumps({"id": "p1", "title": "P1"}))[0] == 201
    assert call(base, "POST", "/api/v1/productions/p1/members", admin,
                json.dumps({"email": "crew@example.com", "role": "requester"}))[0] == 201

    # Metrics: request counts and latencies from Hummingbird, decisions by outcome from the service.
    assert call(base, "POST", "/api/v1/triage", crew, REQUEST.format(n=0), "application/yaml")[0] == 200
    with urllib.request.urlopen(base + "/metrics", timeout=5) as resp:
        metrics = resp.read().decode()
    for needle in ['clearance_decisions_total{outcome="escalate"} 1', "hb_requests{", "http_server_request_duration_bucket{"]:
        if needle not in metrics:
            sys.exit(f"durability: /metrics lacks {needle}")
    print("durability: /metrics reports request counts, latencies and decisions by outcome")

    answered = []
    lock = threading.Lock()
    stop = threading.Event()

    def worker(index):
        n = 0
        while not stop.is_set():
            n += 1
            try:
                status, body = call(base, "POST", "/api/v1/productions/p1/requests", crew,
                                    REQUEST.format(n=f"{index}-{n}"), "application/yaml")
            except (OSError, http.client.HTTPException):
                return  # the server is gone, perhaps halfway through an answer, which then does not count
            if status == 201:
                with lock:
                    answered.append(body["id"])

    threads = [threading.Thread(target=worker, args=(i,)) for i in range(args.workers)]
    for thread in threads:
        thread.start()
    time.sleep(args.seconds)
    server.send_signal(signal.SIGKILL)
    server.wait()
    killed_at = len(answered)
    stop.set()
    for thread in threads:
        thread.join()
    print(f"durability: SIGKILL after {args.seconds:.1f} s of load with {args.workers} clients; "
          f"{killed_at} requests had been answered 201")

    server = start(args.binary, data_dir, port, log)
    lost = [rid for rid in answered if call(base, "GET", f"/api/v1/requests/{rid}", crew)[0] != 200]
    verify = subprocess.run([args.binary, "audit", "verify", "--data-dir", data_dir], capture_output=True, text=True)
    status, api_verify = call(base, "GET", "/api/v1/audit/verify", admin)
    server.send_signal(signal.SIGTERM)
    stopped = server.wait(timeout=20)
    print(f"durability: after restart {len(answered) - len(lost)} of {len(answered)} are readable; "
          f"audit verify: {verify.stdout.strip()} (exit {verify.returncode}); API verify: {api_verify}; "
          f"SIGTERM exit {stopped}")
    failed = bool(lost) or verify.returncode != 0 or not api_verify.get("intact") or not answered
    if lost:
        print("durability: LOST " + ", ".join(lost[:20]))
    if not answered:
        print("durability: no request was answered before the kill; the run proves nothing")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
