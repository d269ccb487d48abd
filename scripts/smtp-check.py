#!/usr/bin/env python3
"""`clearance mail test` against real SMTP servers on loopback (aiosmtpd from PyPI), each with a
certificate from a throwaway certificate authority:

- STARTTLS with AUTH required (the usual relay on port 587): the message arrives as multipart
  plain text and HTML; a wrong password is refused with the relay's answer and no password shown;
  without --extra-ca-file the private CA is not trusted and nothing is sent;
- TLS from the first byte (smtps, as on port 465), with AUTH;
- no TLS and no AUTH (an internal relay on port 25): sent; but a password is never sent to a
  relay that offers no STARTTLS.

Usage: scripts/smtp-check.py path/to/clearance
"""
import email
import email.policy
import logging
import os
import ssl
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__))))
from harness import check, failures, free_port  # noqa: E402

try:
    from aiosmtpd.controller import Controller
    from aiosmtpd.smtp import AuthResult, LoginPassword
except ImportError:
    if os.environ.get("CI"):
        sys.exit("smtp-check: aiosmtpd (PyPI) is missing; .ci/run installs it")
    print("SKIPPED: the SMTP check needs aiosmtpd (pip install aiosmtpd)")
    sys.exit(0)


def certificates(folder):
    """A throwaway CA and a certificate for localhost and 127.0.0.1 signed by it."""
    def openssl(*args):
        subprocess.run(["openssl", *args], check=True, capture_output=True)
    ca_key, ca_pem = os.path.join(folder, "ca.key"), os.path.join(folder, "ca.pem")
    key, csr, pem = os.path.join(folder, "server.key"), os.path.join(folder, "server.csr"), os.path.join(folder, "server.pem")
    openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", ca_key, "-out", ca_pem, "-days", "2",
            "-subj", "/CN=Clearance test CA")
    openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", csr, "-subj", "/CN=localhost")
    extensions = os.path.join(folder, "san.cnf")
    with open(extensions, "w") as f:
        f.write("subjectAltName=DNS:localhost,IP:127.0.0.1\nextendedKeyUsage=serverAuth\n")
    openssl("x509", "-req", "-in", csr, "-CA", ca_pem, "-CAkey", ca_key, "-CAcreateserial", "-out", pem, "-days", "2",
            "-extfile", extensions)
    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(pem, key)
    return ca_pem, context


class Inbox:
    def __init__(self):
        self.received = []

    async def handle_DATA(self, server, session, envelope):
        self.received.append(envelope)
        return "250 OK: queued"


def authenticator(server, session, envelope, mechanism, auth_data):
    if isinstance(auth_data, LoginPassword) and auth_data.login == b"mailer" and auth_data.password == b"pa ss:w0rd":
        return AuthResult(success=True)
    return AuthResult(success=False, handled=False)


def main(binary):
    # aiosmtpd logs every refused handshake with a traceback; the checks below say what happened.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    folder = tempfile.mkdtemp(prefix="clearance-smtp-")
    ca, context = certificates(folder)
    inbox = Inbox()
    servers = {}
    ports = {name: free_port() for name in ("starttls", "tls", "plain")}
    servers["starttls"] = Controller(inbox, hostname="127.0.0.1", port=ports["starttls"], tls_context=context,
                                     require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    servers["tls"] = Controller(inbox, hostname="127.0.0.1", port=ports["tls"], ssl_context=context,
                                authenticator=authenticator, auth_require_tls=False)
    servers["plain"] = Controller(inbox, hostname="127.0.0.1", port=ports["plain"])
    for server in servers.values():
        server.start()
    try:
        def send(url, *extra, to="ana@example.com"):
            return subprocess.run([binary, "mail", "test", "--smtp-url", url, "--mail-from", "clearance@studio.example",
                                   "--to", to, *extra], capture_output=True, text=True, timeout=60)

        password = "pa%20ss%3Aw0rd"
        print("smtp: STARTTLS and AUTH, with the private CA trusted")
        done = send(f"smtp://mailer:{password}@localhost:{ports['starttls']}", "--extra-ca-file", ca)
        check(done.returncode == 0, f"sent through STARTTLS with AUTH (exit {done.returncode}: {done.stderr.strip()})")
        check(len(inbox.received) == 1, "the relay received one message")
        if inbox.received:
            envelope = inbox.received[-1]
            message = email.message_from_bytes(envelope.original_content, policy=email.policy.default)
            check(envelope.mail_from == "clearance@studio.example" and envelope.rcpt_tos == ["ana@example.com"],
                  "the envelope names the sender and the recipient")
            check(message.get_content_type() == "multipart/alternative" and message["Subject"] == "Clearance: a test message",
                  "the message is multipart/alternative, with its subject")
            parts = {part.get_content_type(): part.get_content() for part in message.iter_parts()}
            check("reaches you" in parts.get("text/plain", "") and "<strong>Clearance</strong>" in parts.get("text/html", ""),
                  "it has a plain text part and an HTML part, both readable")
            check(str(message.get("Message-ID", "")).endswith("@studio.example>"), "it carries a Message-ID")

        wrong = send(f"smtp://mailer:wrong@localhost:{ports['starttls']}", "--extra-ca-file", ca)
        check(wrong.returncode == 1 and "535" in wrong.stderr and "wrong" not in wrong.stderr,
              f"a wrong password is refused with the relay's answer, and the password is not shown ({wrong.stderr.strip()})")
        untrusted = send(f"smtp://mailer:{password}@localhost:{ports['starttls']}")
        check(untrusted.returncode == 1 and len(inbox.received) == 1 and "extra-ca-file" in untrusted.stderr,
              f"without --extra-ca-file the private CA is not trusted and nothing is sent ({untrusted.stderr.strip()[:160]})")

        print("smtp: TLS from the first byte")
        done = send(f"smtps://mailer:{password}@localhost:{ports['tls']}", "--extra-ca-file", ca, to="bo@example.com")
        check(done.returncode == 0 and inbox.received[-1].rcpt_tos == ["bo@example.com"],
              f"sent over smtps with AUTH (exit {done.returncode}: {done.stderr.strip()})")

        print("smtp: an internal relay without TLS or AUTH")
        done = send(f"smtp://127.0.0.1:{ports['plain']}", to="cy@example.com")
        check(done.returncode == 0 and inbox.received[-1].rcpt_tos == ["cy@example.com"],
              f"sent without signing in (exit {done.returncode}: {done.stderr.strip()})")
        count = len(inbox.received)
        refused = send(f"smtp://mailer:{password}@127.0.0.1:{ports['plain']}")
        check(refused.returncode == 1 and "no STARTTLS" in refused.stderr and len(inbox.received) == count,
              "a password is never sent to a relay that offers no STARTTLS")
        bad = send("ftp://localhost:1")
        check(bad.returncode == 2 and "scheme" in bad.stderr, "a URL of another scheme is refused before anything is sent")
    finally:
        for server in servers.values():
            server.stop()
    if failures:
        sys.exit(f"smtp: {len(failures)} check(s) failed")
    print("smtp: every check held")


if __name__ == "__main__":
    main(sys.argv[1])
