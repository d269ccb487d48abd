"""What the end-to-end check scripts share: named checks that are all reported before the run
fails, and free loopback ports for the servers they start."""
import socket

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
