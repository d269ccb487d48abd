#!/usr/bin/env python3
"""`clearance scan --production` end to end, through the real server.

Deliverables hold a generated poster (XMP DigitalSourceType), a shot with Stable Diffusion
parameters, and a clean plate. The scan is checked against the production's approved final-cut
uses: nothing approved gives exit 5 with both files unapproved; an approval whose asset reference
is a path glob covers the shot; a second approval naming the poster's asset id covers the rest
(exit 0); an approval from one area of two covers nothing until the other approves too. The
report is uploaded and read back. A wrong token and an unknown production exit 2.

usage: scripts/scan-scenario.py PATH/TO/clearance
"""
import json
import os
import struct
import subprocess
import sys
import tempfile
import zlib
from harness import check, failures, request, start_server

SIGNAGE = """title: {title}
department: art
purpose: background
description: {description}
media: [image]
steps:
  - tool: studio-gen
    inputs: [prompt, own-work]
output:
  destination: final
  prominence: prominent
"""

DE_AGEING = """title: De-ageing for the flashback
department: vfx
purpose: talent
description: Make the lead look thirty years younger.
media: [image]
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


def png(text_chunks):
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    ihdr = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    body = b"".join(chunk(b"tEXt", key.encode() + b"\0" + value.encode()) for key, value in text_chunks)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + body
            + chunk(b"IDAT", zlib.compress(b"\0\0")) + chunk(b"IEND", b""))


def jpeg_with_xmp(packet):
    payload = b"http://ns.adobe.com/xap/1.0/\0" + packet.encode()
    app1 = b"\xff\xe1" + struct.pack(">H", len(payload) + 2) + payload
    return b"\xff\xd8" + app1 + b"\xff\xda\x00\x02\x11\x22\xff\xd9"


POSTER_XMP = """<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
<rdf:Description rdf:about="" xmlns:Iptc4xmpExt="http://iptc.org/std/Iptc4xmpExt/2008-02-29/"
  xmlns:xmpMM="http://ns.adobe.com/xap/1.0/mm/" xmpMM:DocumentID="xmp.did:keyart-1">
<Iptc4xmpExt:DigitalSourceType>http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia</Iptc4xmpExt:DigitalSourceType>
</rdf:Description></rdf:RDF></x:xmpmeta>"""


def main():
    binary = sys.argv[1]
    data = tempfile.mkdtemp(prefix="clearance-scan-")
    deliverables = os.path.join(data, "deliverables")
    for folder in ("shots/ep101", "posters", "plates"):
        os.makedirs(os.path.join(deliverables, folder))
    with open(os.path.join(deliverables, "shots/ep101/sh010.png"), "wb") as f:
        f.write(png([("parameters", "market street at dusk\nSteps: 30, Sampler: DPM++ 2M, CFG scale: 6")]))
    with open(os.path.join(deliverables, "posters/key_art.jpg"), "wb") as f:
        f.write(jpeg_with_xmp(POSTER_XMP))
    with open(os.path.join(deliverables, "plates/clean.png"), "wb") as f:
        f.write(png([("Title", "plate 12")]))

    base, admin, server = start_server(binary, data, "scan")
    try:

        def call(method, path, token, body=None, yaml=False, expect=None):
            status, answer = request(base, method, path, token, body, yaml=yaml)
            if expect is not None and status != expect:
                sys.exit(f"scan: {method} {path}: expected {expect}, got {status}: {answer}")
            return answer

        def user(email):
            return call("POST", "/api/v1/users", admin, {"email": email, "name": email.split("@")[0]}, expect=201)["token"]

        def scan(*extra, token=None, production="p1"):
            arguments = [binary, "scan", deliverables, "--format", "json"]
            if production:
                arguments += ["--production", production, "--server", base]
            environment = dict(os.environ, CLEARANCE_TOKEN=token or crew)
            done = subprocess.run(arguments + list(extra), capture_output=True, text=True, env=environment, timeout=60)
            report = json.loads(done.stdout) if done.stdout.startswith("{") else None
            return done.returncode, report, done.stderr

        def unapproved(report):
            return sorted(os.path.relpath(p, deliverables) for p in report["reconciliation"]["unapproved"])

        print("scan: set-up: a studio, approvers for every area, a production and its crew")
        call("POST", "/api/v1/studios", admin, {"id": "acme", "name": "Acme", "admin": "root@example.com"}, expect=201)
        crew = user("crew@example.com")
        approvers = {}
        for area in ("creative", "legal", "talent", "data", "ethics", "labor"):
            approvers[area] = user(f"{area}@example.com")
            call("POST", "/api/v1/studios/acme/members", admin,
                 {"email": f"{area}@example.com", "role": "approver", "areas": [area]}, expect=201)
        call("POST", "/api/v1/studios/acme/productions", admin, {"id": "p1", "title": "Night Train"}, expect=201)
        call("POST", "/api/v1/studios/acme/productions", admin, {"id": "p2", "title": "Other Show"}, expect=201)
        call("POST", "/api/v1/productions/p1/members", admin, {"email": "crew@example.com", "role": "requester"}, expect=201)
        call("POST", "/api/v1/studios/acme/tools", admin, {"record": {"id": "studio-gen", "enterprise": True,
                                                                     "trains-on-inputs": "no", "retains-inputs": "no"}}, expect=201)

        def approve(title, assets):
            filed = call("POST", "/api/v1/productions/p1/requests", crew,
                         SIGNAGE.format(title=title, description="Generated art for the final cut."), yaml=True, expect=201)
            for area in filed["areas"]:
                call("POST", f"/api/v1/requests/{filed['id']}/approvals", approvers[area],
                     {"area": area, "verdict": "approved", "assets": assets}, expect=201)
            state = call("GET", f"/api/v1/requests/{filed['id']}", crew, expect=200)["state"]
            check(state == "approved", f"'{title}' is approved by {', '.join(filed['areas'])}")
            return filed["id"]

        print("scan: 1. without --production, flagged files give exit 3")
        code, report, _ = scan(production=None)
        verdicts = {os.path.relpath(f["path"], deliverables): f["verdict"] for f in report["files"]}
        check(verdicts == {"shots/ep101/sh010.png": "heuristic", "posters/key_art.jpg": "generated",
                           "plates/clean.png": "no-markers"}, f"verdicts: {verdicts}")
        check(code == 3, f"exit 3 for flagged files, got {code}")

        print("scan: 2. nothing approved yet: both flagged files are unapproved GenAI, exit 5")
        code, report, _ = scan()
        check(code == 5, f"exit 5, got {code}")
        check(unapproved(report) == ["posters/key_art.jpg", "shots/ep101/sh010.png"], f"unapproved: {unapproved(report)}")

        print("scan: 3. an approval with a path glob covers the shot")
        bad = call("POST", "/api/v1/productions/p1/requests", crew,
                   SIGNAGE.format(title="Bad reference", description="x"), yaml=True, expect=201)
        status, problem = request(base, "POST", f"/api/v1/requests/{bad['id']}/approvals", approvers[bad["areas"][0]],
                                  {"area": bad["areas"][0], "verdict": "approved", "assets": ["shots/*", "id: "]})
        check(status == 422 and "/assets/1" in json.dumps(problem), f"a blank asset id is refused at /assets/1 ({status})")
        shots = approve("Signage in the market street", ["shots/ep101/*.png"])
        code, report, _ = scan()
        check(code == 5 and unapproved(report) == ["posters/key_art.jpg"], f"only the poster is unapproved: {unapproved(report)}")
        covered = [f for f in report["files"] if f.get("approval")]
        check([f["approval"]["request"] for f in covered] == [shots], "the shot names the approval that covers it")

        print("scan: 4. an approval naming the poster's asset id covers the rest: exit 0, and the upload")
        approve("Key art", ["id:xmp.did:keyart-1"])
        code, report, stderr = scan("--upload")
        check(code == 0 and unapproved(report) == [], f"exit 0 with nothing unapproved, got {code}: {stderr.strip()}")
        scans = call("GET", "/api/v1/productions/p1/scans", crew, expect=200)
        items = scans.get("items", scans.get("scans", []))
        check(len(items) == 1, "the uploaded report is listed on the production")
        check(bool(items) and items[0]["unapproved"] == 0 and items[0]["flagged"] == 2,
              "the server's own check of the upload agrees: 2 flagged, 0 unapproved")
        if items:
            stored = call("GET", f"/api/v1/productions/p1/scans/{items[0]['id']}", crew, expect=200)
            check(json.dumps(stored).count("key_art.jpg") >= 1, "the stored report names the files")

        print("scan: 5. an approval counts only once the whole request is approved")
        os.makedirs(os.path.join(deliverables, "shots/ep102"))
        with open(os.path.join(deliverables, "shots/ep102/sh020.png"), "wb") as f:
            f.write(png([("parameters", "the lead, thirty years younger\nSteps: 40, Sampler: Euler a")]))
        both = call("POST", "/api/v1/productions/p1/requests", crew, DE_AGEING, yaml=True, expect=201)
        check(sorted(both["areas"]) == ["creative", "data", "legal", "talent"],
              f"the de-ageing use needs legal and talent, data for its data finding, and creative for the director: {both['areas']}")
        call("POST", f"/api/v1/requests/{both['id']}/approvals", approvers["legal"],
             {"area": "legal", "verdict": "approved", "assets": ["shots/**/sh020.png"]}, expect=201)
        code, report, _ = scan()
        check(code == 5 and unapproved(report) == ["shots/ep102/sh020.png"],
              f"legal alone does not cover the new shot: {unapproved(report)}")
        call("POST", f"/api/v1/requests/{both['id']}/approvals", approvers["talent"],
             {"area": "talent", "verdict": "approved"}, expect=201)
        code, report, _ = scan()
        check(code == 5 and unapproved(report) == ["shots/ep102/sh020.png"],
              f"legal and talent without data do not cover it either: {unapproved(report)}")
        call("POST", f"/api/v1/requests/{both['id']}/approvals", approvers["data"],
             {"area": "data", "verdict": "approved"}, expect=201)
        code, report, _ = scan()
        check(code == 5 and unapproved(report) == ["shots/ep102/sh020.png"],
              f"nor does every area but creative (the director's consultation): {unapproved(report)}")
        call("POST", f"/api/v1/requests/{both['id']}/approvals", approvers["creative"],
             {"area": "creative", "verdict": "approved"}, expect=201)
        code, report, _ = scan()
        check(code == 0 and unapproved(report) == [], f"once every area approves, it is covered: {unapproved(report)}")

        print("scan: 6. a wrong token, another production and a missing path exit 2 with a reason")
        code, _, stderr = scan(token="not-a-token")
        check(code == 2 and "401" in stderr, f"a wrong token: exit {code}: {stderr.strip()}")
        code, _, stderr = scan(production="p2")
        check(code == 2 and ("404" in stderr or "403" in stderr), f"a production the token cannot see: exit {code}: {stderr.strip()}")
        done = subprocess.run([binary, "scan", os.path.join(data, "missing")], capture_output=True, text=True)
        check(done.returncode == 2 and "no such file" in done.stderr, f"a missing path: exit {done.returncode}")
    finally:
        server.terminate()
        server.wait(timeout=10)
    if failures:
        sys.exit(f"scan: {len(failures)} check(s) failed")
    print("scan: all checks passed")


if __name__ == "__main__":
    main()
