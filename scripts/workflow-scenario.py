#!/usr/bin/env python3
"""The escalation workflow end to end, through the real server and a real webhook receiver.

A requester files a use that escalates to legal, talent and data (every finding at escalate or
above needs its area); legal approves with a condition; the requester revises, which makes that
approval stale; all three approve the new revision; a new
policy version flags the approved request for review; the receiver must see every event exactly
once with a valid signature; the register must list it all; the audit chain must verify.

usage: scripts/workflow-scenario.py PATH/TO/clearance
"""
import hashlib
import hmac
import http.server
import signal
import subprocess
import sys
import tempfile
import threading
import time
from harness import check, failures, request, start_server

DE_AGEING = """title: De-ageing for the 1985 flashback
department: vfx
purpose: talent
description: {description}
media: [video]
steps:
  - tool: studio-gen
    inputs: [talent-likeness, unreleased-footage]
output:
  destination: final
  prominence: prominent
talent:
  - performer: Jane Roe
    use: re-age
"""







class Receiver(http.server.BaseHTTPRequestHandler):
    received = []

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode()
        Receiver.received.append((dict(self.headers), body))
        self.send_response(204)
        self.end_headers()

    def log_message(self, *args):
        pass


def main():
    binary = sys.argv[1]
    data = tempfile.mkdtemp(prefix="clearance-workflow-")
    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook_url = f"http://127.0.0.1:{receiver.server_address[1]}/hook"

    # The receiver is on loopback, an internal address: this site allows loopback, and nothing else.
    base, admin, server = start_server(binary, data, "workflow", extra=["--outbound-allow", "127.0.0.0/8"])
    try:

        def call(method, path, token, body=None, yaml=False, accept=None, expect=None):
            status, answer = request(base, method, path, token, body, yaml=yaml, accept=accept)
            if expect is not None and status != expect:
                sys.exit(f"workflow: {method} {path}: expected {expect}, got {status}: {answer}")
            return answer

        def user(email):
            return call("POST", "/api/v1/users", admin, {"email": email, "name": email.split("@")[0]}, expect=201)["token"]

        print("workflow: set-up: a studio, its approvers, a production and its requester")
        call("POST", "/api/v1/studios", admin, {"id": "acme", "name": "Acme", "admin": "root@example.com"}, expect=201)
        crew, legal, talent = user("crew@example.com"), user("legal@example.com"), user("talent@example.com")
        data_approver = user("data@example.com")
        creative = user("creative@example.com")
        call("POST", "/api/v1/studios/acme/members", admin, {"email": "legal@example.com", "role": "approver", "areas": ["legal"]}, expect=201)
        call("POST", "/api/v1/studios/acme/members", admin, {"email": "talent@example.com", "role": "approver", "areas": ["talent"]}, expect=201)
        call("POST", "/api/v1/studios/acme/members", admin, {"email": "data@example.com", "role": "approver", "areas": ["data"]}, expect=201)
        call("POST", "/api/v1/studios/acme/members", admin, {"email": "creative@example.com", "role": "approver", "areas": ["creative"]}, expect=201)
        call("POST", "/api/v1/studios/acme/productions", admin, {"id": "p1", "title": "Night Train"}, expect=201)
        call("POST", "/api/v1/productions/p1/members", admin, {"email": "crew@example.com", "role": "requester"}, expect=201)
        call("POST", "/api/v1/studios/acme/tools", admin, {"record": {"id": "studio-gen", "enterprise": True,
                                                                     "trains-on-inputs": "no", "retains-inputs": "no"}}, expect=201)
        for internal in ("http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/hook", "http://metadata.google.internal/"):
            refused = call("POST", "/api/v1/studios/acme/webhooks", admin, {"url": internal, "events": ["request.submitted"]},
                           expect=422)
            check(refused["errors"][0]["pointer"] == "/url", f"a webhook to {internal} is refused at registration")
        hook = call("POST", "/api/v1/studios/acme/webhooks", admin,
                    {"url": hook_url, "events": ["request.submitted", "request.decided", "request.approved",
                                                 "request.rejected", "request.acknowledged", "policy.published"]}, expect=201)

        print("workflow: 1. a requester files a use that escalates to four areas")
        filed = call("POST", "/api/v1/productions/p1/requests", crew,
                     DE_AGEING.format(description="Make the lead look thirty years younger."), yaml=True, expect=201)
        rid = filed["id"]
        check(filed["state"] == "escalated" and sorted(filed["areas"]) == ["creative", "data", "legal", "talent"],
              "escalated to legal and talent, to data for the data finding under them, and to creative for the director's"
              f" consultation the DGA overlay asks for (saw {filed['areas']})")
        check("dga-2026/director-consultation" in [o["id"] for o in filed["decision"]["obligations"]],
              "the decision lists the director's consultation as an obligation")

        print("workflow: 2. legal approves with a condition; the requester revises; that approval goes stale")
        call("POST", f"/api/v1/requests/{rid}/approvals", legal,
             {"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit the VFX vendor"]}, expect=201)
        call("PUT", f"/api/v1/requests/{rid}", crew,
             DE_AGEING.format(description="Make the lead look thirty years younger, flashback only."), yaml=True, expect=200)
        history = call("GET", f"/api/v1/requests/{rid}/history", crew, expect=200)
        check([v["stale"] for v in history["verdicts"]] == [True], "the first approval is kept and marked stale")
        check(call("GET", f"/api/v1/requests/{rid}", crew, expect=200)["verdicts"] == [], "no verdict counts for revision 2")

        print("workflow: 3. every approver approves the new revision")
        call("POST", f"/api/v1/requests/{rid}/approvals", legal,
             {"area": "legal", "verdict": "approved-with-conditions", "conditions": ["credit the VFX vendor"]}, expect=201)
        waiting = call("POST", f"/api/v1/requests/{rid}/approvals", talent, {"area": "talent", "verdict": "approved"}, expect=201)
        check(waiting["request"]["state"] == "escalated", "still waiting on data after legal and talent")
        call("POST", f"/api/v1/requests/{rid}/approvals", creative, {"area": "creative", "verdict": "approved"}, expect=201)
        approved = call("POST", f"/api/v1/requests/{rid}/approvals", data_approver, {"area": "data", "verdict": "approved"}, expect=201)
        check(approved["request"]["state"] == "approved", "approved once every area has approved")

        print("workflow: 4. a new policy version flags the approved request for review")
        policy = call("GET", "/api/v1/studios/acme/policy", admin, accept="application/yaml")
        amended = policy.replace("\nversion: ", "\nversion: amended-").replace(
            "  - id: final-deliverable\n    outcome: approval-required\n    area: legal",
            "  - id: final-deliverable\n    outcome: approval-required\n    area: creative")
        published = call("PUT", "/api/v1/studios/acme/policy", admin, amended, yaml=True, expect=201)
        check(published["retriage"]["state"] in ("waiting", "running", "done"), "publishing answers at once; the re-triage runs behind it")
        version = published
        for _ in range(100):  # the server's runner looks for work every second
            version = call("GET", f"/api/v1/studios/acme/policy/versions/{published['number']}", admin, expect=200)
            if version["retriage"]["state"] == "done":
                break
            time.sleep(0.1)
        check(version["retriage"]["state"] == "done" and version["retriage"]["remaining"] == 0, "the background re-triage finishes")
        check(version["retriage"]["flagged-for-review"] == [rid], "the approved request is flagged")
        after = call("GET", f"/api/v1/requests/{rid}", crew, expect=200)
        check(after["state"] == "approved" and after["review"].startswith("review: policy changed"),
              "it stays approved, with the review note")

        print("workflow: 5. the webhook receiver sees every event exactly once, signed")
        expected = sorted(["request.submitted", "request.decided", "request.decided", "request.approved", "policy.published"])
        deadline = time.time() + 20
        while time.time() < deadline and len(Receiver.received) < len(expected):
            time.sleep(0.2)
        time.sleep(1.5)  # a second pass must not send anything again
        events = sorted(headers.get("X-Clearance-Event") for headers, _ in Receiver.received)
        check(events == expected, f"events received: {events}")
        ids = [headers.get("X-Clearance-Delivery") for headers, _ in Receiver.received]
        check(len(ids) == len(set(ids)), "no delivery arrived twice")
        for headers, body in Receiver.received:
            mac = hmac.new(hook["secret"].encode(), f"{headers['X-Clearance-Timestamp']}.{body}".encode(), hashlib.sha256)
            check(hmac.compare_digest("sha256=" + mac.hexdigest(), headers["X-Clearance-Signature"]),
                  f"valid signature on {headers['X-Clearance-Event']} {headers['X-Clearance-Delivery']}")
        deliveries = call("GET", f"/api/v1/studios/acme/webhooks/{hook['id']}/deliveries", admin, expect=200)["items"]
        check(all(d["status"] == "delivered" for d in deliveries) and len(deliveries) == len(expected),
              "the deliveries are listed as delivered")

        print("workflow: 6. the register lists it all")
        register = call("GET", "/api/v1/productions/p1/register", crew, expect=200)
        use = register["uses"][0]
        check(use["id"] == rid and use["final-deliverable"] and use["approval"] == "approved-with-conditions"
              and use["conditions"] == ["credit the VFX vendor"] and use["review"].startswith("review:"),
              "the use, its approval, condition and review flag")
        csv = call("GET", "/api/v1/productions/p1/register", crew, accept="text/csv")
        check(rid in csv and "credit the VFX vendor" in csv, "the CSV register too")
        cli = subprocess.run([binary, "report", "register", "p1", "--data-dir", data], capture_output=True, text=True)
        check(cli.returncode == 0 and rid in cli.stdout, "clearance report register prints it")

        print("workflow: 7. the audit chain verifies")
        check(call("GET", "/api/v1/audit/verify", admin, expect=200)["intact"], "GET /api/v1/audit/verify: intact")
        verify = subprocess.run([binary, "audit", "verify", "--data-dir", data], capture_output=True, text=True)
        check(verify.returncode == 0, "clearance audit verify: " + verify.stdout.strip())
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=20)
        receiver.shutdown()
    if failures:
        sys.exit(f"workflow: {len(failures)} checks failed")
    print("workflow: every check held")


if __name__ == "__main__":
    main()
