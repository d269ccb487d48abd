"""What the end-to-end check scripts share: named checks that are all reported before the run
fails, and free loopback ports for the servers they start."""
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request

failures = []


def check(condition, what):
    """Prints the check as ok or FAIL and remembers a failure; returns the condition."""
    print(("  ok    " if condition else "  FAIL  ") + what, flush=True)
    if not condition:
        failures.append(what)
    return condition


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def request(base, method, path, token, body=None, yaml=False, accept=None, timeout=10):
    """One API call with a bearer token: (status, body), the body parsed when it is JSON.
    A dict or list body is sent as JSON; a string as YAML when `yaml`, else as JSON text."""
    if body is None:
        data = None
    elif isinstance(body, str):
        data = body.encode()
    else:
        data = json.dumps(body).encode()
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/yaml" if yaml else "application/json")
    if accept:
        req.add_header("Accept", accept)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as response:
            status, text = response.status, response.read().decode()
    except urllib.error.HTTPError as error:
        status, text = error.code, error.read().decode()
    return status, (json.loads(text) if text.startswith(("{", "[")) else text)


def wait_until_up(base, seconds=10):
    """Waits for the server's /healthz to answer; False if it never does."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=1):
                return True
        except OSError:
            time.sleep(0.05)
    return False


def start_server(binary, data, name, extra=(), password=None):
    """Creates a site admin in the data folder (with `password` for signing in, when given) and
    starts `clearance serve` on a free port with its log in data/server.log, and any `extra`
    arguments: (base URL, the admin's token, the server process). Exits the script, naming it,
    if the server does not come up."""
    create = [binary, "admin", "create", "root@example.com", "--data-dir", data]
    if password is not None:
        create.append("--password-stdin")
    admin = subprocess.run(create, input=None if password is None else password + "\n",
                           check=True, capture_output=True, text=True).stdout.strip()
    base = f"http://127.0.0.1:{free_port()}"
    log = open(os.path.join(data, "server.log"), "ab")
    server = subprocess.Popen([binary, "serve", "--data-dir", data, "--port", base.rsplit(":", 1)[1],
                               "--log-level", "warning", *extra], stdout=log, stderr=log)
    if not wait_until_up(base):
        server.terminate()
        sys.exit(f"{name}: the server did not start; see {data}/server.log")
    return base, admin, server
