#!/usr/bin/env python3
"""Two server processes on one PostgreSQL database, as behind a load balancer.

1. The verdict race across processes: in each round two approvers of the same area send their
   verdict at the same moment, one to each instance; exactly one must win and the other get 409.
2. The audit chain under load from both instances at once stays one unbroken chain
   (`clearance audit verify` and each instance's /api/v1/audit/verify).
3. The webhook outbox, drained by both instances' dispatchers, delivers every event exactly once.
4. The password throttle is shared: five wrong passwords through instance A make instance B
   answer 429, even to the right password.

Run it under scripts/with-postgres, which sets CLEARANCE_TEST_DATABASE_URL.

usage: scripts/two-instances.py PATH/TO/clearance
"""
import base64
import http.server
import os
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.request
from harness import check, failures, free_port, request, wait_until_up







class Receiver(http.server.BaseHTTPRequestHandler):
    lock = threading.Lock()
    received = []

    def do_POST(self):
        self.rfile.read(int(self.headers.get("Content-Length", 0)))
        with Receiver.lock:
            Receiver.received.append(self.headers.get("X-Clearance-Delivery"))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def call(base, method, path, token, body=None, yaml=False):
    return request(base, method, path, token, body, yaml=yaml, timeout=30)


def basic_token(base, email, password):
    """POST /api/v1/tokens with HTTP Basic; the status."""
    req = urllib.request.Request(base + "/api/v1/tokens", method="POST")
    req.add_header("Authorization", "Basic " + base64.b64encode(f"{email}:{password}".encode()).decode())
    try:
        with urllib.request.urlopen(req, timeout=30) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


def must(result, status, what):
    if result[0] != status:
        sys.exit(f"two-instances: {what}: expected {status}, got {result[0]}: {result[1]}")
    return result[1]


REQUEST = """title: Crowd extension {n}
description: Background crowd for the station, round {n}.
media: [video]
steps:
  - tool: unknown-gen
    inputs: [prompt]
"""


def main():
    binary = sys.argv[1]
    url = os.environ.get("CLEARANCE_TEST_DATABASE_URL")
    if not url:
        sys.exit("two-instances: run me under scripts/with-postgres (CLEARANCE_TEST_DATABASE_URL is not set)")
    work = tempfile.mkdtemp(prefix="clearance-two-")
    # The webhook receiver is on loopback, an internal address: the site allows it (the environment
    # form of --outbound-allow).
    env = dict(os.environ, CLEARANCE_DATABASE_URL=url, CLEARANCE_OUTBOUND_ALLOW="127.0.0.0/8,::1/128")
    admin = subprocess.run([binary, "admin", "create", "root@example.com"], env=env, check=True,
                           capture_output=True, text=True).stdout.strip()
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()

    servers, bases = [], []
    for name in ("a", "b"):
        port = free_port()
        log = open(os.path.join(work, f"server-{name}.log"), "ab")
        servers.append(subprocess.Popen([binary, "serve", "--port", str(port), "--log-level", "warning"],
                                        env=env, stdout=log, stderr=log))
        bases.append(f"http://127.0.0.1:{port}")
    try:
        for base in bases:
            if not wait_until_up(base, seconds=15):
                sys.exit(f"two-instances: the server at {base} did not start")
        a, b = bases
        print(f"two-instances: A on {a}, B on {b}, one database")
        must(call(a, "POST", "/api/v1/studios", admin, {"id": "acme", "name": "Acme", "admin": "root@example.com"}), 201, "studio")
        tokens = {}
        for email in ("crew@example.com", "data1@example.com", "data2@example.com"):
            tokens[email] = must(call(b, "POST", "/api/v1/users", admin, {"email": email, "name": email.split("@")[0]}),
                                 201, "user")["token"]
        for email in ("data1@example.com", "data2@example.com"):
            must(call(a, "POST", "/api/v1/studios/acme/members", admin,
                      {"email": email, "role": "approver", "areas": ["data"]}), 201, "approver")
        must(call(b, "POST", "/api/v1/studios/acme/productions", admin, {"id": "p1", "title": "P1"}), 201, "production")
        must(call(a, "POST", "/api/v1/productions/p1/members", admin, {"email": "crew@example.com", "role": "requester"}),
             201, "member")
        hook = must(call(b, "POST", "/api/v1/studios/acme/webhooks", admin, {
            "url": f"http://127.0.0.1:{receiver.server_address[1]}/hook",
            "events": ["request.submitted", "request.decided", "request.approved"]}), 201, "webhook")
        crew = tokens["crew@example.com"]

        print("two-instances: 1. the verdict race, one approver per instance")
        rounds, one_winner = 25, 0
        for n in range(rounds):
            filed = must(call(a if n % 2 else b, "POST", "/api/v1/productions/p1/requests", crew,
                              REQUEST.format(n=n), yaml=True), 201, "request")
            results = [None, None]
            gate = threading.Barrier(2)

            def verdict(i, base, token):
                gate.wait()
                results[i] = call(base, "POST", f"/api/v1/requests/{filed['id']}/approvals", token,
                                  {"area": "data", "verdict": "approved"})[0]
            threads = [threading.Thread(target=verdict, args=(0, a, tokens["data1@example.com"])),
                       threading.Thread(target=verdict, args=(1, b, tokens["data2@example.com"]))]
            for thread in threads:
                thread.start()
            for thread in threads:
                thread.join()
            if sorted(results) == [201, 409]:
                one_winner += 1
            else:
                print(f"        round {n}: {results}")
        check(one_winner == rounds, f"every round had exactly one winner and one 409 ({one_winner} of {rounds})")

        print("two-instances: 2. both instances write at once")
        filed_ids, errors = [], []
        lock = threading.Lock()

        def load(base, worker):
            for n in range(40):
                status, body = call(base, "POST", "/api/v1/productions/p1/requests", crew,
                                    REQUEST.format(n=f"{worker}-{n}"), yaml=True)
                with lock:
                    (filed_ids if status == 201 else errors).append(body["id"] if status == 201 else (status, body))
        workers = [threading.Thread(target=load, args=(bases[i % 2], i)) for i in range(8)]
        started = time.monotonic()
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.monotonic() - started
        check(not errors and len(filed_ids) == 320, f"320 requests filed through both instances in {elapsed:.1f} s ({len(errors)} errors)")
        verify = subprocess.run([binary, "audit", "verify"], env=env, capture_output=True, text=True)
        check(verify.returncode == 0, f"clearance audit verify: {verify.stdout.strip() or verify.stderr.strip()}")
        for name, base in zip("AB", bases):
            status, body = call(base, "GET", "/api/v1/audit/verify", admin)
            check(status == 200 and body.get("intact") is True, f"instance {name} sees the chain intact ({body.get('events')} events)")

        print("two-instances: 3. the outbox, drained by both dispatchers")
        expected = 0
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            status, body = call(a, "GET", f"/api/v1/studios/acme/webhooks/{hook['id']}/deliveries?limit=1000", admin)
            deliveries = body.get("items", []) if status == 200 else []
            expected = len(deliveries)
            if deliveries and all(d.get("status") == "delivered" for d in deliveries):
                break
            time.sleep(0.5)
        with Receiver.lock:
            received = list(Receiver.received)
        check(expected >= 2 * (rounds + 320), f"the outbox holds a delivery per event ({expected})")
        check(len(received) == expected, f"the receiver got {len(received)} of {expected} deliveries")
        check(len(set(received)) == len(received), "no delivery arrived twice")

        print("two-instances: 4. the password throttle, shared through the database")
        must(call(a, "POST", "/api/v1/users", admin, {"email": "guessed@example.com", "name": "Guessed",
                                                      "password": "correct horse battery"}), 201, "user with a password")
        wrong = [basic_token(a, "guessed@example.com", "wrong password") for _ in range(5)]
        check(wrong == [401] * 5, f"five wrong passwords through A answer 401 ({wrong})")
        on_b = basic_token(b, "guessed@example.com", "correct horse battery")
        check(on_b == 429, f"then B answers 429 even to the right password ({on_b})")
    finally:
        for server in servers:
            server.terminate()
        for server in servers:
            try:
                server.wait(timeout=10)
            except subprocess.TimeoutExpired:
                server.kill()
    if failures:
        print(f"two-instances: {len(failures)} check(s) failed; logs in {work}")
        sys.exit(1)
    print("two-instances: every check held")


if __name__ == "__main__":
    main()
