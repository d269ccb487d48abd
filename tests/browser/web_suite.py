#!/usr/bin/env python3
"""The web pages in a real browser: headless Chromium driven through Selenium.

Starts `clearance serve` on a fresh data directory, sets up a studio through the API, then works
the pages as a requester and as an approver would: sign in, file a request through the guided
form while watching the live preview, approve it, read its history, download the register as
CSV, and check that a forged CSRF token and another production's request are refused. Every page
visited is run through axe-core (bundled offline by the axe-playwright-python wheel) and must
have no serious or critical violations, and the pages must fit a 375 px wide screen.

Screenshots of each page go to $CLEARANCE_SCREENSHOTS (default test-output/browser).

usage: tests/browser/web_suite.py PATH/TO/clearance
"""
import csv
import glob
import importlib.util
import io
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

from selenium import webdriver
from selenium.common.exceptions import TimeoutException, WebDriverException
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.common.keys import Keys
from selenium.webdriver.support import expected_conditions as ready
from selenium.webdriver.support.ui import WebDriverWait

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "scripts"))
from harness import check, failures, free_port, request, wait_until_up  # noqa: E402

PASSWORD = "correct horse battery"






def axe_source():
    """axe-core's script from the axe-playwright-python wheel (installed without its dependencies)."""
    spec = importlib.util.find_spec("axe_playwright_python")
    if spec is None or not spec.submodule_search_locations:
        return None
    path = os.path.join(list(spec.submodule_search_locations)[0], "axe.min.js")
    return open(path, encoding="utf-8").read() if os.path.exists(path) else None


class Site:
    def __init__(self, binary):
        self.binary = binary
        self.data = tempfile.mkdtemp(prefix="clearance-web-")
        self.admin = subprocess.run([binary, "admin", "create", "root@example.com", "--data-dir", self.data],
                                    check=True, capture_output=True, text=True).stdout.strip()
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        log = open(os.path.join(self.data, "server.log"), "ab")
        self.server = subprocess.Popen([binary, "serve", "--data-dir", self.data, "--port", str(self.port),
                                        "--log-level", "warning"], stdout=log, stderr=log)
        if not wait_until_up(self.base):
            sys.exit("web suite: the server did not start")

    def call(self, method, path, body=None, token=None, yaml=False, expect=None):
        status, answer = request(self.base, method, path, token or self.admin, body, yaml=yaml)
        if expect is not None and status != expect:
            sys.exit(f"web suite: {method} {path}: expected {expect}, got {status}: {answer}")
        return answer

    def stop(self):
        self.server.terminate()
        self.server.wait(timeout=10)


def set_up(site):
    """Studio Acme: an approver for every area, productions p1 (Night Train) and p2 (Other Show)."""
    site.call("POST", "/api/v1/studios", {"id": "acme", "name": "Acme Pictures", "admin": "root@example.com"}, expect=201)
    tokens = {}
    for email, name in [("crew@example.com", "Casey Crew"), ("legal@example.com", "Lee Legal"),
                        ("other@example.com", "Olly Other")]:
        tokens[email] = site.call("POST", "/api/v1/users", {"email": email, "name": name, "password": PASSWORD},
                                  expect=201)["token"]
    site.call("POST", "/api/v1/studios/acme/members", {
        "email": "legal@example.com", "role": "approver",
        "areas": ["creative", "legal", "talent", "data", "ethics", "labor"]}, expect=201)
    tokens["boss@example.com"] = site.call("POST", "/api/v1/users", {"email": "boss@example.com", "name": "Bo Boss",
                                                                      "password": PASSWORD}, expect=201)["token"]
    site.call("POST", "/api/v1/studios/acme/members", {"email": "boss@example.com", "role": "admin"}, expect=201)
    site.call("POST", "/api/v1/studios/acme/productions", {"id": "p1", "title": "Night Train"}, expect=201)
    site.call("POST", "/api/v1/studios/acme/productions", {"id": "p2", "title": "Other Show"}, expect=201)
    site.call("POST", "/api/v1/productions/p1/members", {"email": "crew@example.com", "role": "coordinator"}, expect=201)
    site.call("POST", "/api/v1/productions/p2/members", {"email": "other@example.com", "role": "requester"}, expect=201)
    site.call("POST", "/api/v1/studios/acme/tools", {
        "record": {"id": "firefly-ent", "name": "Firefly (enterprise)", "vendor": "Adobe", "enterprise": True,
                   "trains-on-inputs": "no", "retains-inputs": "no", "terms-checked": "2026-09-01"},
        "approved-for": ["ideation", "previz"], "approved-until": "2027-06-30"}, expect=201)
    site.call("POST", "/api/v1/studios/acme/tools", {
        "record": {"id": "free-gen", "name": "FreeGen", "enterprise": False,
                   "trains-on-inputs": "unknown", "retains-inputs": "yes"}}, expect=201)
    site.call("POST", "/api/v1/productions/p1/consents", token=tokens["crew@example.com"], body={
        "id": "c-jane", "performer": "Jane Roe", "kind": "employment-replica", "permitted-use": "de-ageing in the flashback",
        "signed-on": "2026-03-01", "expires-on": "2027-03-01", "signed-separately": True,
        "document-ref": "DMS-1234"}, expect=201)
    # A request in the other production, which p1's coordinator must not be able to open.
    other = site.call("POST", "/api/v1/productions/p2/requests", token=tokens["other@example.com"], yaml=True, body=(
        "title: Other show's secret poster\ndescription: Not for Night Train's crew.\nmedia: [image]\n"
        "steps:\n  - tool: firefly-ent\n    inputs: [prompt]\n"), expect=201)
    # A request whose first verdict goes stale when it is revised, for the history.
    revised = site.call("POST", "/api/v1/productions/p1/requests", token=tokens["crew@example.com"], yaml=True, body=(
        "title: Crowd extension for the station\ndescription: Background crowd.\nmedia: [video]\n"
        "steps:\n  - tool: free-gen\n    inputs: [prompt]\n"), expect=201)
    site.call("POST", f"/api/v1/requests/{revised['id']}/approvals", token=tokens["legal@example.com"],
              body={"area": "data", "verdict": "changes-requested", "note": "Say which shots."}, expect=201)
    site.call("PUT", f"/api/v1/requests/{revised['id']}", token=tokens["crew@example.com"], yaml=True, body=(
        "title: Crowd extension for the station\ndescription: Background crowd, two more shots.\nmedia: [video]\n"
        "steps:\n  - tool: free-gen\n    inputs: [prompt]\n"), expect=200)
    # A second policy version, so the policy page has a diff to show.
    policy = site.call("GET", "/api/v1/studios/acme/policy", expect=200)
    text = policy["text"].replace('version: "2025.2"', 'version: "2025.2-acme"  # Amended by Acme legal, 2026-11', 1)
    published = site.call("PUT", "/api/v1/studios/acme/policy", text, yaml=True, expect=201)
    if published.get("number") != 2:
        sys.exit(f"web suite: the amended policy was not published as version 2: {published}")
    return {"other": other["id"], "revised": revised["id"], "crew": tokens["crew@example.com"], "boss": tokens["boss@example.com"]}


class Browser:
    def __init__(self, shots, javascript=True):
        options = webdriver.ChromeOptions()
        for flag in ["--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                     "--window-size=1280,1000", "--lang=en-US"]:
            options.add_argument(flag)
        self.downloads = tempfile.mkdtemp(prefix="clearance-downloads-")
        prefs = {"download.default_directory": self.downloads, "download.prompt_for_download": False}
        if not javascript:
            # Pages' own scripts do not run, as for someone who turned JavaScript off.
            prefs["profile.managed_default_content_settings.javascript"] = 2
        options.add_experimental_option("prefs", prefs)
        binary = shutil.which("chromium") or shutil.which("chromium-browser")
        if binary:
            options.binary_location = binary
        driver_path = shutil.which("chromedriver")
        self.driver = webdriver.Chrome(options=options, service=Service(driver_path) if driver_path else None)
        self.driver.execute_cdp_cmd("Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": self.downloads})
        self.shots = shots
        self.axe = axe_source()
        self.audited = set()

    def wait(self, condition, seconds=10):
        return WebDriverWait(self.driver, seconds).until(condition)

    def find(self, css):
        return self.driver.find_element(By.CSS_SELECTOR, css)

    def finds(self, css):
        return self.driver.find_elements(By.CSS_SELECTOR, css)

    def text(self):
        return self.find("main").text

    def shot(self, name):
        path = os.path.join(self.shots, name + ".png")
        height = self.driver.execute_script("return document.documentElement.scrollHeight")
        width = self.driver.get_window_size()["width"]
        self.driver.set_window_size(width, min(max(height + 120, 600), 4000))
        self.driver.save_screenshot(path)
        self.driver.set_window_size(width, 1000)
        return path

    def audit(self, page):
        """axe-core on the current page: no serious or critical violations."""
        if self.axe is None:
            check(False, f"{page}: axe-core is installed (pip install --no-deps axe-playwright-python)")
            return
        self.driver.execute_script(self.axe)
        result = self.driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "axe.run(document, {resultTypes: ['violations']}).then(function (r) { done(r.violations); })"
            ".catch(function (e) { done([{id: 'axe-error', impact: 'critical', help: String(e), nodes: []}]); });")
        serious = [v for v in result if v.get("impact") in ("serious", "critical")]
        details = "; ".join(f"{v['id']}: {v['help']} ({len(v.get('nodes', []))} nodes)" for v in serious)
        check(not serious, f"{page}: axe-core finds no serious or critical issue" + (f" [{details}]" if details else ""))
        self.audited.add(page)

    def fits(self, page, width=375):
        """The page is usable at a phone's width: nothing makes the whole page scroll sideways."""
        size = self.driver.get_window_size()
        self.driver.set_window_size(width, 900)
        time.sleep(0.2)
        overflow = self.driver.execute_script("return document.documentElement.scrollWidth - window.innerWidth")
        # The narrowest table cell shown (column headings, hidden on a phone, aside): no column
        # may be squeezed until its words stand one letter per line.
        narrowest = self.driver.execute_script("""
            const cells = [...document.querySelectorAll('main td, main th')]
                .filter(cell => !cell.closest('thead') && cell.getClientRects().length > 0);
            return cells.length ? Math.min(...cells.map(cell => cell.getBoundingClientRect().width)) : null;""")
        self.driver.save_screenshot(os.path.join(self.shots, f"{page}-{width}px.png"))
        # The narrow layout is a page of its own for accessibility too.
        self.audit(f"{page} at {width} px")
        self.driver.set_window_size(size["width"], size["height"])
        check(overflow <= 1, f"{page}: fits {width} px without sideways scrolling (overflow {overflow} px)")
        check(narrowest is None or narrowest >= 60,
              f"{page}: no table cell narrower than 60 px at {width} px (narrowest {narrowest and round(narrowest)} px)")

    def sign_in(self, base, email, password=PASSWORD):
        self.driver.delete_all_cookies()
        self.driver.get(base + "/")
        self.wait(ready.presence_of_element_located((By.ID, "email")))
        self.find("#email").send_keys(email)
        self.find("#password").send_keys(password)
        self.find("form[action='/signin'] button[type=submit]").click()
        self.wait(ready.url_to_be(base + "/"))

    def submit(self, button):
        """Clicks a submit button and waits until the next page has replaced this one (the URL alone
        may not change, as when a form posts and is redirected back to the same page)."""
        page = self.find("html")
        button.click()

        def replaced(_driver):
            # Selenium's staleness_of only counts a StaleElementReferenceException; while the next
            # document is being committed, Chromium may answer that the node no longer belongs to
            # the document instead, which says the same thing.
            try:
                page.is_enabled()
                return False
            except WebDriverException:
                return True
        self.wait(replaced)
        self.wait(ready.presence_of_element_located((By.CSS_SELECTOR, "main h1")))

    def approve_every_area(self, conditions, assets=None):
        """As an approver on a request page: approve each area's form in turn, with conditions."""
        for _ in range(6):
            forms = self.finds(".verdict-form form")
            if not forms:
                return
            form = forms[0]
            form.find_element(By.CSS_SELECTOR, "input[value=approved-with-conditions]").click()
            form.find_element(By.CSS_SELECTOR, "textarea[name=conditions]").send_keys(conditions)
            if assets:
                form.find_element(By.CSS_SELECTOR, "textarea[name=assets]").send_keys(assets)
            self.submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))

    def preview_outcome(self, previous=None, seconds=10):
        """The outcome the live preview shows, once it differs from `previous`."""
        def shown(driver):
            found = driver.find_elements(By.CSS_SELECTOR, "#preview [data-outcome]")
            value = found[0].get_attribute("data-outcome") if found else None
            return value if value and value != previous else False
        try:
            return self.wait(shown, seconds)
        except TimeoutException:
            return None

    def quit(self):
        self.driver.quit()


def main():
    binary = sys.argv[1]
    shots = os.environ.get("CLEARANCE_SCREENSHOTS", os.path.join("test-output", "browser"))
    os.makedirs(shots, exist_ok=True)
    site = Site(binary)
    browser = None
    try:
        ids = set_up(site)
        browser = Browser(shots)
        base = site.base
        driver = browser.driver

        print("web: signing in")
        driver.get(base + "/productions/p1")
        check("/signin" in driver.current_url, "an anonymous visitor is sent to the sign-in page")
        browser.shot("01-sign-in")
        browser.audit("sign-in")
        browser.fits("sign-in")
        browser.find("#email").send_keys("crew@example.com")
        browser.find("#password").send_keys("not the password")
        browser.find("form[action='/signin'] button[type=submit]").click()
        browser.wait(ready.presence_of_element_located((By.ID, "signin-error")))
        check("do not match" in browser.text(), "a wrong password is refused with a message")
        check(browser.find("#email").get_attribute("value") == "crew@example.com", "the email is kept after a failed sign-in")
        cookie_before = driver.get_cookie("clearance_session")
        check(cookie_before is None, "no session cookie after a failed sign-in")
        browser.find("#password").send_keys(PASSWORD)
        browser.find("form[action='/signin'] button[type=submit]").click()
        browser.wait(ready.url_contains("/productions/p1"))
        session = driver.get_cookie("clearance_session") or {}
        check(session.get("httpOnly") is True and session.get("sameSite") == "Lax",
              "the session cookie is HttpOnly and SameSite=Lax")
        check("Night Train" in browser.text(), "sign-in returns to the page asked for")

        print("web: keyboard")
        driver.get(base + "/")
        browser.find("body").send_keys(Keys.TAB)
        active = driver.switch_to.active_element
        check("skip-link" in (active.get_attribute("class") or ""), "the first Tab reaches the skip link")
        outline = driver.execute_script("return getComputedStyle(arguments[0]).outlineStyle", active)
        check(outline not in ("none", ""), f"focus is visible on the skip link (outline {outline})")
        browser.shot("02-home-requester")
        browser.audit("home")
        browser.fits("home")

        print("web: filing a request through the form")
        driver.get(base + "/productions/p1/requests/new")
        browser.find("#f-title").send_keys("Moodboards for the desert city")
        browser.find("#f-description").send_keys("Mood images for the art department, made from our own prompts.")
        browser.find("#f-media-image").click()
        from selenium.webdriver.support.ui import Select
        Select(browser.find("#f-steps-0-tool")).select_by_value("firefly-ent")
        browser.find("#f-steps-0-inputs-prompt").click()
        browser.find("#f-steps-0-prompt").send_keys("brutalist desert city at dusk")
        first = browser.preview_outcome()
        check(first == "socialize", f"the preview shows socialize for an internal use in an enterprise tool (saw {first})")
        before = browser.find("#preview").text
        browser.find("#f-output-destination-final").click()
        second = browser.preview_outcome(previous=first)
        check(second == "approval-required", f"ticking 'final cut' changes the preview to approval-required (saw {second})")
        check(browser.find("#preview").text != before and "final" in browser.find("#preview").text.lower(),
              "the preview's reasons change with it and mention the final deliverables")
        minor = browser.find("#f-talent-0-minor")
        check(not minor.is_displayed(), "the questions about a performer wait until a performer is named")
        browser.find("#f-talent-0-performer").send_keys("Jane Roe")
        check(browser.find("#f-talent-0-minor").is_displayed() and browser.find("#f-talent-0-scan").is_displayed(),
              "naming a performer shows whether they are under 18 and whether a scan is part of the use")
        browser.find("#f-talent-0-performer").clear()
        browser.find("#f-title").click()
        browser.shot("03-new-request")
        browser.audit("new-request")
        browser.fits("new-request")

        print("web: a field error keeps the input")
        browser.find("#f-title").clear()
        browser.find("button[value=file]").click()
        browser.wait(ready.presence_of_element_located((By.ID, "error-summary")))
        title_error = browser.finds("#f-title-error")
        check(bool(title_error) and "title" in title_error[0].text, "the missing title is reported next to the title field")
        check("our own prompts" in browser.find("#f-description").get_attribute("value"), "the description survives the error")
        check(browser.find("#f-output-destination-final").is_selected(), "the 'final cut' answer survives the error")
        check(Select(browser.find("#f-steps-0-tool")).first_selected_option.get_attribute("value") == "firefly-ent",
              "the chosen tool survives the error")
        browser.shot("04-new-request-error")
        browser.audit("new-request-error")
        browser.fits("new-request-error")

        print("web: adding a pipeline step")
        browser.find("button[value=add-step]").click()
        browser.wait(ready.presence_of_element_located((By.ID, "f-steps-1-tool")))
        check(len(browser.finds("select[name$='/tool']")) == 2, "'Add another step' adds a second step and keeps the first")
        browser.find("#f-title").send_keys("Moodboards for the desert city")
        browser.find("button[value=file]").click()
        browser.wait(ready.url_contains("/requests/r-"))
        request_url = driver.current_url
        request_id = request_url.rsplit("/", 1)[1]
        check("Written approval needed" in browser.text(), "the filed request shows its outcome")
        check("guidance" in browser.text(), "the findings cite the guidance")
        check(len(browser.finds("section[aria-labelledby=principles-heading] tbody tr")) == 5, "all five principles are shown")
        check(not browser.finds(".verdict-form"), "the requester gets no verdict form")

        print("web: a forged CSRF token is refused")
        driver.get(base + "/productions/p1/requests/new")
        browser.find("#f-title").send_keys("Forged")
        driver.execute_script("document.querySelector('#intake-form input[name=csrf]').value = 'forged-token'")
        browser.submit(browser.find("button[value=file]"))
        check("Forbidden" in browser.find("main h1").text and "security token" in browser.text(),
              "a form with a wrong CSRF token is refused with 403")
        listed = site.call("GET", "/api/v1/productions/p1/requests", token=None)
        check(not any(item["title"] == "Forged" for item in listed["items"]), "the forged form filed nothing")
        browser.shot("05-csrf-refused")

        print("web: tenancy")
        driver.get(base + f"/requests/{ids['other']}")
        check("does not exist" in browser.text(), "the requester cannot open another production's request (404)")
        check("secret poster" not in driver.page_source, "nothing of the other request shows")
        browser.shot("06-other-production-refused")

        print("web: approving as an approver")
        browser.sign_in(base, "legal@example.com")
        check(request_id in driver.page_source, "the approver's home lists the request in their queue")
        browser.shot("07-home-approver")
        driver.get(request_url)
        forms = browser.finds(".verdict-form form")
        check(len(forms) >= 1, f"the approver sees a verdict form for each of their areas ({len(forms)})")
        browser.audit("request-approver")
        browser.fits("request-approver")
        browser.approve_every_area("Credit the art department\nLegal review before lock", assets="art/final/*.png\nid:ART-0042")
        check("approved" in browser.find("p.meta").text, "after every area approves, the request is approved")
        check("Legal review before lock" in browser.text(), "the conditions are shown")

        print("web: history")
        history = [item.text for item in browser.finds(".history li")]
        check(any("Revision 1" in item for item in history) and any("approved with conditions" in item for item in history),
              "the history lists the revision and the verdicts")
        browser.shot("08-request-approved")
        browser.audit("request")
        browser.fits("request")
        driver.get(base + f"/requests/{ids['revised']}")
        stale = browser.finds(".history li.stale")
        check(len(stale) == 1 and "stale" in stale[0].text, "a verdict on an earlier revision is marked stale in the history")
        browser.shot("09-request-stale-history")

        print("web: registers")
        driver.get(base + "/productions/p1/register")
        check(request_id in driver.page_source, "the register lists the request")
        browser.shot("10-register")
        browser.audit("register")
        browser.fits("register")
        for old in glob.glob(os.path.join(browser.downloads, "*")):
            os.remove(old)
        browser.find("a[href$='format=csv']").click()
        path = os.path.join(browser.downloads, "p1-genai-register.csv")
        for _ in range(100):
            if os.path.exists(path) and os.path.getsize(path) > 0:
                break
            time.sleep(0.1)
        rows = list(csv.DictReader(io.StringIO(open(path, encoding="utf-8").read()))) if os.path.exists(path) else []
        mine = [row for row in rows if row.get("id") == request_id]
        check(len(mine) == 1 and mine[0]["approval"] == "approved-with-conditions" and mine[0]["final-deliverable"] == "yes",
              f"the CSV download has the request, approved with conditions, as a final deliverable ({len(rows)} rows)")
        driver.get(base + "/studios/acme/tools")
        check("Firefly (enterprise)" in browser.text() and "Ideation, Previsualisation" in browser.text(),
              "the tool registry shows terms and approval scope")
        browser.shot("11-tools")
        browser.audit("tools")
        browser.fits("tools")
        driver.get(base + "/productions/p1/consents")
        check("Jane Roe" in browser.text() and "In force until 2027-03-01" in browser.text(),
              "the consent register shows expiry")
        browser.shot("12-consents")
        browser.audit("consents")
        browser.fits("consents")

        print("web: deliverable scans")
        def scanned(path, verdict, approval=None):
            entry = {"path": path, "relative-path": path.split("/", 1)[1], "format": "png", "verdict": verdict,
                     "size": 4096, "bytes-read": 512,
                     "markers": [{"source": "c2pa", "verdict": verdict, "offset": 33, "location": "PNG caBX",
                                  "evidence": "c2pa.actions: created, digitalSourceType trainedAlgorithmicMedia",
                                  "scope": "active manifest"}],
                     "manifests": [], "identifiers": []}
            if approval:
                entry["approval"] = approval
            return entry
        report = {"scanner": "clearance-scan (browser suite)", "roots": ["deliverables"],
                  "files": [scanned("deliverables/art/final/poster.png", "generated",
                                    {"request": request_id, "reference": "art/final/*.png"}),
                            scanned("deliverables/vfx/sh010.png", "ai-edited")],
                  "summary": {"total": 2, "flagged": 2, "by-verdict": {}, "bytes-read": 1024, "bytes-in-files": 8192},
                  "reconciliation": {"production": "p1", "approvals-considered": 1, "covered": 1,
                                     "unapproved": ["deliverables/vfx/sh010.png"]}}
        approvals = site.call("GET", "/api/v1/productions/p1/final-approvals", token=ids["crew"], expect=200)["approvals"]
        check(any(item["request"] == request_id and "id:ART-0042" in item["assets"] for item in approvals),
              "the approved final use lists the assets its approvers named")
        scan = site.call("POST", "/api/v1/productions/p1/scans", report, token=ids["crew"], expect=201)
        driver.get(base + "/productions/p1/scans")
        check(scan["id"] in driver.page_source and "1 unapproved" in browser.text(), "the scans page lists the upload")
        browser.shot("15-scans")
        browser.audit("scans")
        browser.fits("scans")
        driver.get(base + f"/productions/p1/scans/{scan['id']}")
        unapproved = browser.finds("tr.unapproved")
        check(bool(unapproved) and "sh010.png" in unapproved[0].text, "the unapproved file is listed first and marked")
        check("No longer a current final approval" not in browser.text(), "the covering approval still stands")
        browser.shot("16-scan")
        browser.audit("scan")
        browser.fits("scan")

        print("web: extending an approval's coverage from the scan")
        browser.sign_in(base, "crew@example.com")
        driver.get(base + f"/productions/p1/scans/{scan['id']}")
        from selenium.webdriver.support.ui import Select
        Select(browser.find("#extend-file")).select_by_value("vfx/sh010.png")
        Select(browser.find("#extend-use")).select_by_value(request_id)
        browser.submit(browser.find("form[action$='/extend'] button[type=submit]"))
        check("You asked the approver" in browser.text() and "vfx/sh010.png" in browser.text(),
              "asking lands on the request, which shows the file waiting for its approver")
        browser.sign_in(base, "legal@example.com")
        driver.get(request_url)
        browser.shot("26-coverage-asked")
        browser.audit("coverage-asked")
        browser.fits("coverage-asked")
        browser.submit(browser.find("form[action*='/coverage/'] button[value=confirm]"))
        check("Confirmed: the approval now covers the file" in browser.text(), "the approver confirms, and the page says so")
        approvals = site.call("GET", "/api/v1/productions/p1/final-approvals", token=ids["crew"], expect=200)["approvals"]
        check(any(item["request"] == request_id and "vfx/sh010.png" in item["assets"] and "id:ART-0042" in item["assets"]
                  for item in approvals), "the final approval now covers the file, and still everything it did")
        check("you may go ahead" in browser.find(".outcome-banner").text, "the approval stands as it was")

        print("web: dashboards")
        driver.get(base + "/productions/p1/dashboard")
        charts = browser.finds("svg.chart")
        check(len(charts) == 4, f"the production dashboard draws four SVG charts ({len(charts)})")
        check("written approval: 1" in driver.page_source, "the outcome chart counts the use that needs written approval, in words")
        browser.shot("13-dashboard")
        browser.audit("dashboard")
        browser.fits("dashboard")
        driver.get(base + "/studios/acme/dashboard")
        check(len(browser.finds("svg.chart")) == 4, "the studio dashboard draws its charts")

        print("web: policy")
        driver.get(base + "/studios/acme/policy")
        check("P1" in browser.text() and "guidance" in browser.text(), "the policy page lists principles and citations")
        added = [line.text for line in browser.finds("pre.diff .line-added")]
        check(any("2025.2-acme" in line for line in added), "the diff between versions shows the added line")
        browser.shot("14-policy")
        browser.audit("policy")
        browser.fits("policy")

        print("web: revising after changes are asked, then withdrawing")
        signage = site.call("POST", "/api/v1/productions/p1/requests", token=ids["crew"], yaml=True, body=(
            "title: Station signage\ndescription: Generated signs for the station set.\nmedia: [image]\n"
            "steps:\n  - tool: firefly-ent\n    inputs: [prompt]\n    prompt: art deco station signs\n"
            "output:\n  destination: final\n  prominence: incidental\n"), expect=201)
        signage_url = base + f"/requests/{signage['id']}"
        driver.get(signage_url)
        form = browser.find(".verdict-form form")
        form.find_element(By.CSS_SELECTOR, "input[value=changes-requested]").click()
        form.find_element(By.CSS_SELECTOR, "textarea[name=note]").send_keys("Show the sign frames to legal before lock.")
        browser.submit(form.find_element(By.CSS_SELECTOR, "button[type=submit]"))
        check("Your verdict is recorded" in browser.text(), "after a verdict the page says it is recorded")
        browser.sign_in(base, "crew@example.com")
        driver.get(signage_url)
        check("Changes asked for" in browser.find(".outcome-banner").text
              and "Show the sign frames" in browser.find(".outcome-banner").text,
              "the banner says changes are asked for, with the approver's note")
        browser.submit(browser.find("a[href$='/revise']"))
        check(browser.find("#f-title").get_attribute("value") == "Station signage", "the revise form is filled from the current revision")
        check("Show the sign frames to legal before lock." in browser.text(), "the approver's note is at the top of the form")
        check("Legal: asked for changes by Lee Legal" in browser.text(), "the verdict that will go stale is named")
        browser.shot("20-revise")
        browser.audit("revise")
        browser.fits("revise")
        browser.find("#f-description").send_keys(" Frames attached for legal.")
        browser.submit(browser.find("button[value=file]"))
        check("Your revision is filed" in browser.text() and "revision 2" in browser.find("p.meta").text,
              "filing the revision lands on the request, which says so")
        stale = browser.finds(".history li.stale")
        check(len(stale) == 1 and "Lee Legal" in stale[0].text, "the set-aside verdict is marked in the history")
        asked = browser.find("dl.facts").find_element(By.XPATH, "..").text
        check("Firefly (enterprise)" in asked and "Adobe" in asked and "enterprise agreement" in asked,
              "the request page shows the use itself: each step's tool with its vendor and registry facts")
        browser.submit(browser.find("a[href$='/compare']"))
        added = [item.text for item in browser.finds(".compare-added li")]
        check(any("Frames attached for legal." in line for line in added), f"compare revisions shows what changed: {added}")
        browser.shot("23-compare")
        browser.audit("compare")
        browser.fits("compare")
        driver.get(signage_url)

        print("web: the comment thread, then the approval")
        browser.find("#comment-body").send_keys("Frames are in the shared folder, shots 12 to 18.")
        browser.submit(browser.find("form[action$='/comments'] button[type=submit]"))
        check("Your comment is posted" in browser.text() and "shots 12 to 18" in browser.find("ol.comments").text,
              "the requester's comment is in the thread")
        browser.sign_in(base, "legal@example.com")
        driver.get(signage_url)
        check("shots 12 to 18" in browser.find("ol.comments").text, "the approver reads the thread")
        browser.find("#comment-body").send_keys("Seen them; approving with a credit.")
        browser.submit(browser.find("form[action$='/comments'] button[type=submit]"))
        check(len(browser.finds("ol.comments li")) == 2, "the approver's reply follows it")
        browser.approve_every_area("Credit the sign painters")
        browser.sign_in(base, "crew@example.com")
        driver.get(signage_url)
        banner = browser.find(".outcome-banner").text
        check("you may go ahead, with these conditions" in banner and "Credit the sign painters" in banner,
              f"the banner says go ahead, with the conditions: {banner!r}")
        check(not browser.finds("form[action$='/withdraw']") and not browser.finds("a[href$='/revise']"),
              "an approved request offers no revise or withdraw")
        browser.shot("21-approved-with-thread")
        browser.audit("approved-with-thread")
        browser.fits("approved-with-thread")

        print("web: withdrawing a request")
        spare = site.call("POST", "/api/v1/productions/p1/requests", token=ids["crew"], yaml=True, body=(
            "title: Station signage, second set\ndescription: More signs.\nmedia: [image]\n"
            "steps:\n  - tool: firefly-ent\n    inputs: [prompt]\n"
            "output:\n  destination: final\n  prominence: incidental\n"), expect=201)
        driver.get(base + f"/requests/{spare['id']}")
        browser.find("#withdraw-note").send_keys("The signs were built practically instead.")
        browser.submit(browser.find("form[action$='/withdraw'] button[type=submit]"))
        check("Withdrawn" in browser.find(".outcome-banner").text and "You withdrew the request" in browser.text(),
              "withdrawing ends on a page that says so")
        check(not browser.finds("a[href$='/revise']") and not browser.finds("form[action$='/withdraw']"),
              "a withdrawn request offers no revise or withdraw")
        browser.shot("21-withdrawn")
        browser.audit("withdrawn")
        browser.fits("withdrawn")

        print("web: a tool that is not listed, described, filed, then registered by an admin")
        from selenium.webdriver.support.ui import Select
        driver.get(base + "/productions/p1/requests/new")
        browser.find("#f-title").send_keys("Storyboard sketches")
        browser.find("#f-description").send_keys("Rough boards for the chase, from our own prompts.")
        browser.find("#f-media-image").click()
        Select(browser.find("#f-steps-0-tool")).select_by_value("unlisted")
        browser.find("details.unlisted summary").click()
        browser.find("#f-steps-0-unlisted-name").send_keys("Sketchify Pro")
        browser.find("#f-steps-0-unlisted-vendor").send_keys("Sketchify Ltd")
        browser.find("#f-steps-0-inputs-prompt").click()
        check(browser.preview_outcome() is not None, "the preview triages the described tool")
        browser.submit(browser.find("button[value=file]"))
        asked = browser.find("dl.facts").find_element(By.XPATH, "..").text
        check("Sketchify Pro (described in the request)" in asked and "Sketchify Ltd" in asked,
              "the request is filed with the tool as described")
        browser.sign_in(base, "boss@example.com")
        driver.get(base + "/studios/acme/tools")
        prompt = browser.find("#to-register-heading").find_element(By.XPATH, "..").text
        check("Sketchify Pro" in prompt and "Storyboard sketches" in prompt, "the admin sees the tool to register, and where it is used")
        browser.shot("24-tools-to-register")
        browser.audit("tools-to-register")
        browser.fits("tools-to-register")
        browser.submit(browser.find("a[href*='tools/new?from=']"))
        check(browser.find("#f-name").get_attribute("value") == "Sketchify Pro"
              and browser.find("#f-vendor").get_attribute("value") == "Sketchify Ltd", "the registration form is filled from the request")
        browser.shot("25-register-tool")
        browser.audit("register-tool")
        browser.fits("register-tool")
        browser.find("#f-terms-checked").send_keys("11202026")  # a date field: month, day, year
        browser.submit(browser.find("main form button[type=submit]"))
        check("Registered sketchify-pro" in browser.text(), "registering ends on the registry, which says so")
        check(not browser.finds("#to-register-heading"), "nothing is left to register")
        browser.sign_in(base, "crew@example.com")
        driver.get(base + "/productions/p1/requests/new")
        site.call("POST", "/api/v1/studios/acme/tools", {"record": {"id": "late-gen", "name": "Late Gen", "enterprise": True,
                  "trains-on-inputs": "no", "retains-inputs": "no"}}, token=ids["boss"], expect=201)
        browser.find("#f-steps-0-tool").click()
        try:
            browser.wait(lambda d: d.find_elements(By.CSS_SELECTOR, "#f-steps-0-tool option[value='late-gen']"), 10)
            appeared = True
        except TimeoutException:
            appeared = False
        check(appeared, "a tool registered while the form is open joins its tool list")
        browser.find("#f-title").click()

        print("web: union agreements and laws, obligations and the disclosure plan")
        site.call("PATCH", "/api/v1/productions/p1", {"territories": ["EU"]}, token=ids["boss"], expect=200)
        fake = site.call("POST", "/api/v1/productions/p1/requests", token=ids["crew"], yaml=True, body=(
            "title: Burning street for the riot scene\ndescription: A generated street on fire behind the actors.\n"
            "media: [video]\nsteps:\n  - tool: firefly-ent\n    inputs: [prompt]\n"
            "output:\n  destination: final\n  prominence: incidental\n  realistic: true\n"), expect=201)

        def eu_applies():
            decision = site.call("GET", f"/api/v1/requests/{fake['id']}", token=ids["crew"], expect=200)["decision"]
            return next((r["applied"] for r in decision.get("rulebooks", []) if r["id"] == "eu-ai-act-art50"), None)

        def settles(wanted, seconds=20):
            deadline = time.time() + seconds
            while time.time() < deadline:
                if eu_applies() == wanted:
                    return True
                time.sleep(0.3)
            return False

        check(eu_applies() is True, "a deep fake in a production released in the EU falls under the EU AI Act")
        browser.sign_in(base, "boss@example.com")
        driver.get(base + "/productions/p1/overlays")
        check("European Union" in browser.text() and "Switch off" in browser.text(),
              "the production's page of agreements and laws names its territories and each rulebook's setting")
        browser.shot("24-overlays")
        browser.audit("overlays")
        browser.fits("overlays")
        browser.submit(browser.find("form[action='/productions/p1/overlays/eu-ai-act-art50'] button"))
        check("checked again" in browser.text() and "Off for this production" in browser.text(),
              "switching the EU rules off for the production says its open requests are triaged again")
        check(settles(False), "the open request is re-triaged in the background without the EU rules")
        driver.get(base + f"/requests/{fake['id']}")
        check("No longer owed" in browser.text() and "Tell the audience" in browser.text(),
              "its page keeps the EU obligation in its history, as no longer owed")
        driver.get(base + "/productions/p1/overlays")
        browser.submit(browser.find("form[action='/productions/p1/overlays/eu-ai-act-art50'] button"))
        check(settles(True), "switched on again, the request is re-triaged with the EU rules")

        browser.sign_in(base, "crew@example.com")
        driver.get(base + f"/requests/{fake['id']}")
        check("Tell the audience" in browser.text() and "To do" in browser.text(),
              "the request page lists the disclosure the EU asks for, still to do")
        browser.find(".obligations details summary").click()
        browser.find(".obligation-form textarea[name=note]").send_keys("An AI credit in the end titles of episode 3.")
        browser.find(".obligation-form input[name=link]").send_keys("https://docs.example.com/credits/ep3")
        browser.submit(browser.find(".obligation-form button[type=submit]"))
        check("recorded as met" in browser.text() and "Done on" in browser.text() and "AI credit" in browser.text(),
              "the coordinator records the obligation as met, with the evidence shown")
        browser.shot("25-obligation-met")
        driver.get(base + "/productions/p1/disclosure")
        check("Disclosure plan" in browser.text() and "Burning street" in browser.text() and "Done" in browser.text(),
              "the disclosure plan lists the use's obligation as done")
        browser.shot("26-disclosure")
        browser.audit("disclosure")
        browser.fits("disclosure")
        link = browser.find("a[href='/productions/p1/disclosure.csv']")
        plan = driver.execute_async_script(
            "var done = arguments[arguments.length - 1];"
            "fetch(arguments[0]).then(function (r) { return r.text(); }).then(done, function () { done(''); });",
            link.get_attribute("href"))
        rows = list(csv.reader(io.StringIO(plan)))
        check(rows and rows[0][:4] == ["request", "title", "final-deliverable", "obligation"]
              and any(r[3] == "eu-ai-act-art50/disclose" and r[9] == "met" for r in rows[1:]),
              "the disclosure plan downloads as CSV, with the obligation met")
        site.call("PATCH", "/api/v1/productions/p1", {"territories": []}, token=ids["boss"], expect=200)

        print("web: crew pages speak plainly")
        policy_text = site.call("GET", "/api/v1/studios/acme/policy", expect=200)["text"]
        rule_ids = {rule for rule in re.findall(r"^  - id: ([a-z0-9-]+)\s*$", policy_text, re.M) if "-" in rule}
        check(len(rule_ids) > 10, f"the policy's rule ids are known to the check ({len(rule_ids)})")
        for name, path in [("home", "/"), ("intake", "/productions/p1/requests/new"), ("request", request_url[len(base):]),
                           ("register", "/productions/p1/register"), ("dashboard", "/productions/p1/dashboard"),
                           ("disclosure plan", "/productions/p1/disclosure"), ("agreements and laws", "/productions/p1/overlays")]:
            driver.get(base + path)
            shown = browser.find("main").text
            placeholders = re.findall(r"\{[a-z][a-z0-9.-]*\}", shown)
            digests = re.findall(r"sha256:[0-9a-f]{8}", shown)
            slugs = rule_ids | {"approval-required", "approved-with-conditions", "changes-requested", "talent-likeness",
                                "unreleased-footage", "production-material", "personal-data", "own-work"}
            rules = sorted(rule for rule in slugs if re.search(r"(?<![\w-])" + re.escape(rule) + r"(?![\w-])", shown))
            check(not placeholders and not digests and not rules,
                  f"{name}: no placeholder, digest, rule id or value slug as visible text ({placeholders[:3]}, {digests[:2]}, {rules[:5]})")

        print("web: an unknown address in the browser")
        driver.get(base + "/productions/p1/nothing-here")
        check("Page not found" in browser.text() and "home page" in browser.text(), "an unknown address answers a page, not JSON")
        browser.shot("22-not-found")
        browser.audit("not-found")
        browser.fits("not-found")

        print("web: signing out")
        browser.find("form[action='/signout'] button").click()
        browser.wait(ready.url_contains("/signin"))
        driver.get(request_url)
        check("/signin" in driver.current_url, "after signing out, pages ask for sign-in again")

        print("web: joining by invitation")
        invited = site.call("POST", "/api/v1/productions/p1/members", {"email": "nina@example.com", "role": "requester"}, expect=202)
        check("user" not in invited and invited["link"].startswith("/invitations/"), "an invitation answers with a link, not an account")
        driver.delete_all_cookies()
        driver.get(base + invited["link"])
        check("Night Train, a production of Acme Pictures" in browser.text() and "nina@example.com" in browser.text(),
              "the invitation says where, to whom and as what")
        browser.shot("17-invitation")
        browser.audit("invitation")
        browser.fits("invitation")
        browser.find("#name").send_keys("Nina Novak")
        browser.find("#password").send_keys("too short")
        browser.find("#confirm").send_keys("too short")
        browser.submit(browser.find("form button[type=submit]"))
        check("at least 12 characters" in browser.text(), "a short password is refused next to its field")
        check(browser.find("#name").get_attribute("value") == "Nina Novak", "the name is kept after an error")
        browser.shot("18-invitation-error")
        browser.audit("invitation-error")
        browser.fits("invitation-error")
        browser.find("#password").send_keys("paper lanterns over the station")
        browser.find("#confirm").send_keys("paper lanterns over the station")
        browser.submit(browser.find("form button[type=submit]"))
        check(driver.current_url.endswith("/productions/p1") and "New use request" in browser.text(),
              "the new member lands signed in on the production, able to file")
        site.call("POST", "/api/v1/studios/acme/members", {"email": "other@example.com", "role": "viewer"}, expect=201)
        second = site.call("POST", "/api/v1/productions/p1/members", {"email": "other@example.com", "role": "viewer"},
                           token=ids["crew"], expect=202)
        browser.sign_in(base, "other@example.com")
        check("You are invited to Night Train" in browser.text(), "the home page shows an invitation waiting")
        browser.shot("19-home-invitation")
        browser.audit("home-invitation")
        browser.fits("home-invitation")
        driver.get(base + second["link"])
        browser.submit(browser.find("form[action^='/invitations/'] button[type=submit]"))
        check(driver.current_url.endswith("/productions/p1"), "accepting through the link, signed in, opens the production")
    finally:
        if browser:
            browser.quit()
        site.stop()

    print(f"web: screenshots in {shots}")
    if failures:
        print(f"web: {len(failures)} check(s) failed")
        sys.exit(1)
    print("web: every check held")


if __name__ == "__main__":
    main()
