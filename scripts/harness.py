"""What the end-to-end check scripts share: named checks that are all reported before the run
fails, and free loopback ports for the servers they start."""
import json
import socket
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
