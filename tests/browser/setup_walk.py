#!/usr/bin/env python3
"""A studio and a production set up from nothing, in the browser only: no API call, no curl.

Starts `clearance serve` on an empty data directory and reads the one-time set-up link it prints,
then works every page a new site needs, as each person would: the first site admin, a studio, a
production with territories, invitations for a coordinator, a requester and approvers for two
areas (each sets a password from their link), a registered tool, a recorded consent, a request
that names both, the approvers' verdicts, a policy draft whose impact preview lists that request,
publishing it, an API token that runs `clearance scan --production ... --upload`, and revoking the
consent to see the request it uncovers.

The walk runs twice: with JavaScript, and with JavaScript turned off in the browser. Every page is
checked with axe-core (with JavaScript) and must fit 375 px; a screenshot of each goes to
$CLEARANCE_SCREENSHOTS/setup (and setup-no-js).

usage: tests/browser/setup_walk.py PATH/TO/clearance
"""
import os
import re
import subprocess
import sys
import tempfile
import struct
import time
import zlib

from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import Select

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
sys.path.insert(0, os.path.join(HERE, "..", "..", "scripts"))
from harness import check, failures, free_port, wait_until_up  # noqa: E402
from web_suite import Browser  # noqa: E402

ROOT_PASSWORD = "a quiet studio at dawn"
PASSWORDS = {
    "cora@example.com": "coordinates every shot",
    "rey@example.com": "files the mood boards",
    "lena@example.com": "reads every contract",
    "tam@example.com": "guards the performers",
}


def tiny_png():
    """A 1x1 grey PNG with no provenance markers."""
    def chunk(kind, data):
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
    header = struct.pack(">IIBBBBB", 1, 1, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\x00\x80")) + chunk(b"IEND", b"")


class EmptySite:
    """`clearance serve` on an empty data directory, and the set-up link it printed."""

    def __init__(self, binary):
        self.binary = binary
        self.data = tempfile.mkdtemp(prefix="clearance-setup-")
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.log_path = os.path.join(self.data, "server.log")
        log = open(self.log_path, "ab")
        self.server = subprocess.Popen([binary, "serve", "--data-dir", self.data, "--port", str(self.port)],
                                       stdout=log, stderr=log)
        if not wait_until_up(self.base):
            sys.exit("setup walk: the server did not start")

    def setup_link(self):
        for _ in range(50):
            found = re.search(r"(http://\S+/setup/clr_[A-Za-z0-9_-]+)", open(self.log_path, encoding="utf-8").read())
            if found:
                return found.group(1)
            time.sleep(0.1)
        return None

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=10)


class Walk:
    def __init__(self, site, browser, javascript):
        self.site = site
        self.browser = browser
        self.driver = browser.driver
        self.js = javascript
        self.base = site.base
        self.pages = 0

    def look(self, name):
        """A screenshot of the page; with script, axe-core and the 375 px check too."""
        self.pages += 1
        self.browser.shot(f"{self.pages:02d}-{name}")
        if self.js:
            self.browser.audit(name)
            self.browser.fits(name)

    def go(self, path):
        self.driver.get(self.base + path)
        self.browser.wait(ready.presence_of_element_located((By.CSS_SELECTOR, "main h1")))

    def fill(self, css, text):
        field = self.browser.find(css)
        field.clear()
        field.send_keys(text)

    def tick(self, css):
        box = self.browser.find(css)
        if not box.is_selected():
            box.click()

    def press(self, css):
        self.browser.submit(self.browser.find(css))

    def text(self):
        return self.browser.text()

    def sign_in(self, email, password):
        self.driver.delete_all_cookies()
        self.go("/signin")
        self.fill("#email", email)
        self.fill("#password", password)
        self.press("form[action='/signin'] button[type=submit]")
        check("/signin" not in self.driver.current_url, f"{email} signs in")

    @staticmethod
    def day(iso):
        """What to type into a date field: Chromium's en-US picker takes month, day, year."""
        year, month, day = iso.split("-")
        return month + day + year

    def shown_link(self, css):
        return self.browser.find(css).get_attribute("value")

    def run(self):
        driver = self.driver
        print(f"setup ({'with' if self.js else 'without'} JavaScript): the set-up link")
        link = self.site.setup_link()
        check(link is not None, "clearance serve printed a set-up link on an empty database")
        if link is None:
            return
        driver.get(link)
        check("Set up Clearance" in self.text(), "the set-up link opens the first-admin form")
        self.look("setup")
        self.fill("#f-name", "Rosa Root")
        self.fill("#f-email", "rosa@example.com")
        self.fill("#f-password", "short")
        self.fill("#f-confirm", "short")
        self.press("main form button[type=submit]")
        check("at least 12 characters" in self.text() and self.browser.find("#f-email").get_attribute("value") == "rosa@example.com",
              "a weak password is refused at its field, and the email is kept")
        self.look("setup-error")
        self.fill("#f-password", ROOT_PASSWORD)
        self.fill("#f-confirm", ROOT_PASSWORD)
        self.press("main form button[type=submit]")
        check(driver.current_url.endswith("/site") and "You are the site admin" in self.text(),
              "the first site admin lands signed in on site administration")
        driver.get(link)
        check("used or has expired" in self.text(), "the set-up link dies once used")

        print("setup: a studio")
        self.go("/site")
        self.fill("#f-studio-name", "Harbour Films")
        self.fill("#f-studio-id", "harbour")
        self.look("site")
        self.press("form[action='/site/studios'] button[type=submit]")
        check(driver.current_url.endswith("/studios/harbour/people") and "Studio created" in self.text(),
              "the studio is created and its people page opens")
        check("Rosa Root" in self.text() and "Studio admin" in self.text(), "the site admin is the studio's first admin")

        print("setup: a production with territories")
        self.go("/studios/harbour/productions")
        self.look("productions-empty")
        self.go("/studios/harbour/productions/new")
        self.fill("#f-title", "Salt Road")
        self.fill("#f-id", "salt-road")
        Select(self.browser.find("#f-kind")).select_by_value("scripted")
        self.tick("#f-territories-EU")
        self.tick("#f-territories-US-CA")
        self.fill("#f-photography-starts-on", Walk.day("2027-02-01"))
        self.fill("#f-delivery-on", Walk.day("2026-12-01"))
        self.look("production-new")
        self.press("main form button[type=submit]")
        check("comes before principal photography" in self.text(), "a delivery before photography is refused at its field")
        check(self.browser.find("#f-territories-EU").is_selected(), "the territories ticked are kept after an error")
        self.fill("#f-delivery-on", Walk.day("2027-10-15"))
        self.press("main form button[type=submit]")
        check(driver.current_url.endswith("/productions/salt-road/people") and "Production created" in self.text(),
              "the production is created and its people page opens")
        self.go("/studios/harbour/productions")
        check("European Union, California" in self.text() and "2027-10-15" in self.text(),
              "the productions list shows its territories and dates")
        self.look("productions")

        print("setup: inviting people")
        links = {}
        self.go("/productions/salt-road/people")
        for email, role in [("cora@example.com", "coordinator"), ("rey@example.com", "requester")]:
            self.fill("#f-email", email)
            self.browser.find(f"#f-role-{role}").click()
            self.press("form[action='/productions/salt-road/people'] button[type=submit]")
            check(f"Invitation ready for {email}" in self.text(), f"inviting {email} shows a link to send")
            links[email] = self.shown_link("#invitation-link")
        self.look("production-people-invited")
        self.go("/studios/harbour/people")
        for email, area in [("lena@example.com", "legal"), ("tam@example.com", "talent")]:
            self.fill("#f-email", email)
            self.browser.find("#f-role-approver").click()
            self.tick(f"#f-areas-{area}")
            self.press("form[action='/studios/harbour/people'] button[type=submit]")
            check(f"Invitation ready for {email}" in self.text(), f"inviting {email} as a {area} approver shows a link")
            links[email] = self.shown_link("#invitation-link")
        self.look("studio-people-invited")
        check(all(link.startswith(self.base + "/invitations/") for link in links.values()), "every invitation link is a full address")

        print("setup: each sets a password from their link")
        names = {"cora@example.com": "Cora Coordinator", "rey@example.com": "Rey Requester",
                 "lena@example.com": "Lena Legal", "tam@example.com": "Tam Talent"}
        for email, url in links.items():
            driver.delete_all_cookies()
            driver.get(url)
            self.fill("#name", names[email])
            self.fill("#password", PASSWORDS[email])
            self.fill("#confirm", PASSWORDS[email])
            self.press("main form button[type=submit]")
            check(names[email] in driver.page_source and "/signin" not in driver.current_url,
                  f"{email} sets a password and lands signed in")
        self.sign_in("rosa@example.com", ROOT_PASSWORD)
        self.go("/productions/salt-road/people")
        check("GenAI coordinator" in self.text() and "Requester" in self.text(), "the production's members show with their roles")
        self.look("production-people")
        self.go("/studios/harbour/people")
        check("Approver for legal" in self.text() and "Approver for talent" in self.text(), "the approvers show with their areas")
        self.look("studio-people")

        print("setup: registering a tool")
        self.go("/studios/harbour/tools/new")
        self.fill("#f-id", "lumen-ent")
        self.fill("#f-name", "Lumen Studio (enterprise)")
        self.fill("#f-vendor", "Lumen Labs")
        self.tick("#f-enterprise")
        Select(self.browser.find("#f-trains-on-inputs")).select_by_value("no")
        Select(self.browser.find("#f-retains-inputs")).select_by_value("no")
        self.fill("#f-evidence", "https://example.com/lumen-enterprise-terms, read 2026-11-01")
        self.look("tool-new")
        self.press("main form button[type=submit]")
        check("Registered lumen-ent" in self.text() and "Lumen Studio (enterprise)" in self.text(), "the tool is registered")
        self.look("tools")

        print("setup: recording a consent")
        self.sign_in("cora@example.com", PASSWORDS["cora@example.com"])
        self.go("/productions/salt-road/consents")
        self.go("/productions/salt-road/consents/new")
        self.fill("#f-performer", "Ines Ortega")
        Select(self.browser.find("#f-kind")).select_by_value("employment-replica")
        self.fill("#f-permitted-use", "A digital double for the storm sequence wide shots in episode two")
        self.fill("#f-signed-on", Walk.day("2026-10-01"))
        self.tick("#f-signed-separately")
        self.fill("#f-document-ref", "DMS-77")
        self.fill("#f-id", "c-ines")
        self.look("consent-new")
        self.press("main form button[type=submit]")
        check(driver.current_url.endswith("/consents/c-ines") and "Consent recorded" in self.text(), "the consent is recorded")
        self.go("/consents/c-ines/edit")
        self.fill("#f-document-ref", "DMS-77, signed copy")
        self.look("consent-correct")
        self.press("main form button[type=submit]")
        check("Correction saved" in self.text() and "DMS-77, signed copy" in self.text(), "the coordinator corrects the record")

        print("setup: the requester files a request naming both")
        self.sign_in("rey@example.com", PASSWORDS["rey@example.com"])
        self.go("/productions/salt-road/requests/new")
        self.fill("#f-title", "Storm sequence digital double")
        self.fill("#f-description", "A digital double of Ines Ortega for the wide shots of the storm.")
        self.tick("#f-media-video")
        Select(self.browser.find("#f-steps-0-tool")).select_by_value("lumen-ent")
        self.tick("#f-steps-0-inputs-prompt")
        self.fill("#f-talent-0-performer", "Ines Ortega")
        Select(self.browser.find("#f-talent-0-use")).select_by_value("replica")
        Select(self.browser.find("#f-talent-0-consent")).select_by_value("c-ines")
        self.look("request-new")
        self.press("button[value=file]")
        check("/requests/r-" in driver.current_url, "the request is filed")
        request_path = driver.current_url[len(self.base):]
        check("Ines Ortega" in self.text(), "the request page names the performer")
        self.look("request-filed")

        print("setup: the approvers decide")
        for email in ["lena@example.com", "tam@example.com"]:
            self.sign_in(email, PASSWORDS[email])
            self.go(request_path)
            forms = self.browser.finds(".verdict-form form")
            for form in forms:
                form.find_element(By.CSS_SELECTOR, "input[value=approved]").click()
                self.browser.submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
                break
        self.go(request_path)
        check("approved" in self.browser.find("p.meta").text, "with both areas' approvals the request is approved")
        self.look("request-approved")

        print("setup: a policy draft and its impact preview")
        self.sign_in("rosa@example.com", ROOT_PASSWORD)
        self.go("/studios/harbour/policy")
        self.browser.submit(self.browser.find("a[href='/studios/harbour/policy/draft']"))
        editor = self.browser.find("#policy-text")
        check("principles:" in editor.get_attribute("value"), "the draft starts from the current policy's YAML")
        # Typed as a person would: a broken line at the end first.
        editor.click()
        editor.send_keys(Keys.CONTROL, Keys.END)
        editor.send_keys("\nnot: [valid")
        self.look("policy-draft")
        self.press("form.policy-editor button[type=submit]")
        check("Line" in self.text() and "does not load" in self.text(), "a broken draft shows its errors at their line")
        self.look("policy-draft-error")
        # A fresh draft, with the version on line 6 renamed.
        self.go("/studios/harbour/policy/draft")
        editor = self.browser.find("#policy-text")
        editor.click()
        editor.send_keys(Keys.CONTROL, Keys.HOME)
        editor.send_keys(*([Keys.DOWN] * 5), Keys.END, Keys.BACKSPACE, '-harbour"')
        self.press("form.policy-editor button[type=submit]")
        check("tests pass" in self.text(), "the draft's own tests are run")
        check("Storm sequence digital double" in self.text(), "the impact preview lists the approved request")
        self.look("policy-preview")
        self.press("form[action='/studios/harbour/policy/publish'] button[type=submit]")
        check("New version published" in self.text() and "2025.2-harbour" in self.text(), "the draft is published from the preview")
        self.look("policy-published")

        print("setup: an API token runs clearance scan")
        self.sign_in("cora@example.com", PASSWORDS["cora@example.com"])
        self.go("/account")
        self.look("account")
        self.fill("#f-label", "Edit suite delivery check")
        Select(self.browser.find("#f-production")).select_by_value("salt-road")
        self.press("form[action='/account/tokens'] button[type=submit]")
        token = self.shown_link("#new-token")
        self.token = token
        command = self.browser.find("#scan-command").get_attribute("value")
        check(token.startswith("clr_") and "--production salt-road --upload" in command, "the token is shown once with a scan command")
        self.look("account-token")
        folder = tempfile.mkdtemp(prefix="clearance-deliverables-")
        with open(os.path.join(folder, "storm-wide-010.png"), "wb") as out:
            out.write(tiny_png())
        with open(os.path.join(folder, "notes.txt"), "w") as out:
            out.write("delivery notes\n")
        environment = dict(os.environ, CLEARANCE_TOKEN=token)
        scan = subprocess.run([self.site.binary, "scan", "--server", self.base, "--production", "salt-road", "--upload", folder],
                              capture_output=True, text=True, env=environment, timeout=60)
        check(scan.returncode in (0, 6) and "uploaded the report" in scan.stderr,
              f"clearance scan with the token uploads its report (exit {scan.returncode})")
        self.go("/productions/salt-road/scans")
        check("No scans" not in self.text(), "the scan shows on the production's scans page")
        self.look("scans")

        print("setup: revoking the consent")
        self.go("/consents/c-ines")
        check("Revoking it leaves these uses without consent" in self.text() and "Storm sequence digital double" in self.text(),
              "before revoking, the page lists the request the revocation would uncover")
        self.look("consent")
        self.fill("#reason", "The performer withdrew consent in writing on 2026-11-20")
        self.press("form[action='/consents/c-ines/revoke'] button[type=submit]")
        check("These uses are no longer covered" in self.text() and "Storm sequence digital double" in self.text(),
              "after revoking, the page names the request it uncovered")
        check("Revoked" in self.text(), "the consent shows as revoked")
        self.look("consent-revoked")
        self.extras()

    def extras(self):
        """The other jobs of each role, after the walk the issue asks for."""
        driver = self.driver
        print("setup: account: a password change and signing out elsewhere")
        self.go("/account")
        self.fill("#f-current", PASSWORDS["cora@example.com"])
        self.fill("#f-password", "a new line for the call sheet")
        self.fill("#f-confirm", "a new line for the call sheet")
        self.press("form[action='/account/password'] button[type=submit]")
        check("Password changed" in self.text(), "the coordinator changes her password")
        self.press("form[action='/account/sessions'] button[type=submit]")
        check("not signed in anywhere else" in self.text() or "signed out" in self.text(), "signing out everywhere else says what it did")
        self.press("form[action$='/revoke'] button[type=submit]")
        check("Token revoked" in self.text() and "Revoked" in self.text(), "the token is revoked from the account page")
        environment = dict(os.environ, CLEARANCE_TOKEN=self.token)
        again = subprocess.run([self.site.binary, "scan", "--server", self.base, "--production", "salt-road", "--upload",
                                tempfile.mkdtemp(prefix="clearance-empty-")], capture_output=True, text=True, env=environment, timeout=60)
        check(again.returncode != 0 and "uploaded the report" not in again.stderr, "a revoked token no longer uploads")

        print("setup: site administration: rename, accounts, a reset link, deactivation, the audit trail")
        self.sign_in("rosa@example.com", ROOT_PASSWORD)
        self.go("/site/audit")
        check("Every link of the audit trail checks out" in self.text(), "the site admin sees the audit trail verified")
        self.look("site-audit")
        self.go("/site")
        self.fill("#rename-harbour", "Harbour Films International")
        self.press("form[action='/site/studios/harbour/name'] button[type=submit]")
        check("Studio renamed" in self.text() and "Harbour Films International" in self.text(), "the studio is renamed")
        self.fill("#f-name", "Ola Ops")
        self.fill("#f-email", "ola@example.com")
        self.press("form[action='/site/users'] button[type=submit]")
        check("Account created for Ola Ops" in self.text(), "the site admin creates an account and gets its password link")
        first_link = self.shown_link("#one-time-link")
        self.look("site-account-created")
        rows = [row for row in self.browser.finds("tbody tr") if "ola@example.com" in row.text]
        check(len(rows) == 1 and "no password yet" in rows[0].text, "the new account waits for its password")
        self.browser.submit(rows[0].find_element(By.CSS_SELECTOR, "form[action$='/reset'] button"))
        reset_link = self.shown_link("#one-time-link")
        check("/reset/" in reset_link and reset_link != first_link, "a fresh password link can be issued")
        self.driver.delete_all_cookies()
        driver.get(reset_link)
        self.fill("#f-password", "operations run at night")
        self.fill("#f-confirm", "operations run at night")
        self.look("reset-link")
        self.press("main form button[type=submit]")
        check("Your new password is set" in self.text(), "the reset link sets the password and signs the person in")
        self.sign_in("rosa@example.com", ROOT_PASSWORD)
        self.go("/site")
        row = [row for row in self.browser.finds("tbody tr") if "ola@example.com" in row.text][0]
        self.browser.submit(row.find_element(By.CSS_SELECTOR, "form[action$='/active'] button"))
        check("Account deactivated" in self.text(), "the site admin deactivates an account")
        row = [row for row in self.browser.finds("tbody tr") if "ola@example.com" in row.text][0]
        self.browser.submit(row.find_element(By.CSS_SELECTOR, "form[action$='/active'] button"))
        check("Account reactivated" in self.text(), "and reactivates it")

        print("setup: studio admin: roles, productions, tools, webhooks")
        self.go("/studios/harbour/people")
        tam = [row for row in self.browser.finds("tbody tr") if "tam@example.com" in row.text][0]
        self.browser.submit(tam.find_element(By.CSS_SELECTOR, "a"))
        check("Save the role" in self.text() and "Remove Tam Talent" in self.text(), "a member's page changes the role or removes them")
        self.look("member")
        self.tick("#f-areas-ethics")
        self.press("main form button[type=submit]")
        check("Role changed" in self.text() and "talent, ethics" in self.text(), "the approver's areas change")
        self.go("/productions/salt-road/people")
        rey = [row for row in self.browser.finds("tbody tr") if "rey@example.com" in row.text][0]
        self.browser.submit(rey.find_element(By.CSS_SELECTOR, "a"))
        self.press("form[action$='/remove'] button[type=submit]")
        check("Removed" in self.text() and "rey@example.com" not in self.text(), "someone is removed from the production")
        self.go("/productions/salt-road/settings")
        self.fill("#f-title", "Salt Road (series)")
        self.press("main form button[type=submit]")
        check("Production details saved" in self.text(), "the production's details are changed")
        self.look("production-settings")
        self.press("form[action='/productions/salt-road/archive'] button[type=submit]")
        check("Production archived" in self.text(), "the production is archived")
        self.press("form[action='/productions/salt-road/archive'] button[type=submit]")
        check("Production restored" in self.text(), "and restored")
        self.go("/studios/harbour/tools/lumen-ent/edit")
        check("No open request uses it" in self.text(), "the tool's page says which open requests use it (none: the one request is approved)")
        self.tick("#f-on-premises")
        self.look("tool-edit")
        self.press("main form button[type=submit]")
        check("Tool saved" in self.text(), "the tool's record is changed")
        self.go("/studios/harbour/webhooks")
        self.fill("#f-url", "https://hooks.example.com/harbour")
        self.press("main form button[type=submit]")
        check("Its signing secret is shown only now" in self.text() and self.shown_link("#webhook-secret").startswith("whsec_"),
              "a webhook is added and its secret shown once")
        self.look("webhooks")
        self.browser.submit(self.browser.find("a[href^='/studios/harbour/webhooks/wh-']"))
        self.press("form[action$='/test'] button[type=submit]")
        check("Test event queued" in self.text(), "a test event is sent")
        for _ in range(30):
            if "Test" in self.browser.find("main").text and "Nothing has been sent" not in self.text():
                break
            time.sleep(0.2)
            self.go(driver.current_url[len(self.base):])
        check("Nothing has been sent" not in self.text(), "its delivery and attempts are listed")
        self.look("webhook")
        self.press("form[action$='/remove'] button[type=submit]")
        check("Webhook removed" in self.text(), "the webhook is removed")
        self.go("/studios/harbour/tools/lumen-ent/edit")
        self.press("form[action$='/retire'] button[type=submit]")
        check("Tool retired" in self.text() and "Lumen Studio" not in self.text(), "a tool is retired from the registry")


def main():
    binary = sys.argv[1]
    root = os.environ.get("CLEARANCE_SCREENSHOTS", os.path.join("test-output", "browser"))
    for javascript in (True, False):
        shots = os.path.join(root, "setup" if javascript else "setup-no-js")
        os.makedirs(shots, exist_ok=True)
        site = EmptySite(binary)
        browser = None
        try:
            browser = Browser(shots, javascript=javascript)
            walk = Walk(site, browser, javascript)
            walk.run()
            print(f"setup: {walk.pages} pages, screenshots in {shots}")
        finally:
            if browser:
                browser.quit()
            site.stop()
    if failures:
        print(f"setup: {len(failures)} check(s) failed")
        sys.exit(1)
    print("setup: every check held")


if __name__ == "__main__":
    main()
