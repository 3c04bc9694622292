"""Take the README screenshots from a running server (called by ``scripts/screenshots``).

Drives headless Chromium through the DevTools protocol (``websocket-client``): logs in
with JSON-RPC, sets the session cookie, opens each key screen at desktop and phone size,
waits until the web client is idle and saves ``docs/screenshots/<name>-<size>.png``; the
plan performance PDF's first page is rendered with ``pdftoppm``.

    python3 scripts/screenshots.py --url http://127.0.0.1:PORT --db DB --out docs/screenshots
"""

import argparse
import base64
import http.cookiejar
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request

import websocket

SIZES = {
    "desktop": {"width": 1440, "height": 900, "mobile": False},
    "phone": {"width": 390, "height": 844, "mobile": True},
}
PHONE_UA = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/126.0 Mobile Safari/537.36"
)
# The web client is idle: a view (or client action) is rendered, nothing is loading.
READY_JS = """
((selector) => {
    if (document.querySelector('.oe_login_form, .o_database_list')) return 'login';
    if (window.__smPreviousPage) return 'wait';
    if (document.querySelector('.o_error_dialog')) return 'error';
    const ready = document.readyState === 'complete'
        && document.querySelector(selector)
        && !document.querySelector('.o_loading_indicator, .o_blockUI, .fa-spin');
    return ready ? 'ready' : 'wait';
})(%s)
"""


# Open a form's notebook page by its title.
TAB_JS = """
[...document.querySelectorAll('.o_notebook .nav-link')]
    .find((a) => a.textContent.trim() === %s)?.click();
"""
# Bring an element to the top of the screen (phone: past the form's header fields).
SCROLL_JS = """
document.querySelector(%s)?.scrollIntoView({block: 'start'});
"""


def log(msg):
    print(f"[screenshots] {msg}", file=sys.stderr, flush=True)


class Odoo:
    """JSON-RPC client holding a session cookie."""

    def __init__(self, url, db):
        self.url, self.db = url.rstrip("/"), db
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar))

    def _post(self, path, params):
        body = json.dumps({"jsonrpc": "2.0", "method": "call", "params": params}).encode()
        req = urllib.request.Request(
            self.url + path, data=body, headers={"Content-Type": "application/json"},
        )
        with self.opener.open(req, timeout=120) as resp:
            answer = json.loads(resp.read())
        if answer.get("error"):
            raise RuntimeError(f"{path}: {answer['error'].get('data', {}).get('message')}")
        return answer["result"]

    def login(self, login, password):
        self.jar.clear()
        self._post("/web/session/authenticate",
                   {"db": self.db, "login": login, "password": password})
        return self.session_id()

    def session_id(self):
        return next(c.value for c in self.jar if c.name == "session_id")

    def call(self, model, method, *args, **kwargs):
        return self._post("/web/dataset/call_kw", {
            "model": model, "method": method, "args": list(args), "kwargs": kwargs,
        })

    def search_one(self, model, domain, order="id"):
        ids = self.call(model, "search", domain, limit=1, order=order)
        if not ids:
            raise RuntimeError(f"no {model} matches {domain}: is this a demo database?")
        return ids[0]

    def get(self, path):
        with self.opener.open(self.url + path, timeout=300) as resp:
            return resp.read(), resp.headers.get("Content-Type", "")


class Chromium:
    """A headless Chromium and one page, driven over the DevTools protocol."""

    def __init__(self):
        binary = next((b for b in ("chromium", "chromium-browser", "google-chrome")
                       if shutil.which(b)), None)
        if not binary:
            raise RuntimeError("Chromium is not installed (Debian: apt-get install chromium)")
        self.profile = tempfile.mkdtemp(prefix="sm-screenshots-")
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", 0))
            port = sock.getsockname()[1]
        self.proc = subprocess.Popen([
            binary, "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic",
            "--no-first-run", "--disable-background-networking", "--disable-component-update",
            "--disable-sync", "--disable-dev-shm-usage", "--hide-scrollbars",
            "--force-device-scale-factor=1", f"--remote-debugging-port={port}",
            f"--user-data-dir={self.profile}", "about:blank",
        ], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.time() + 30
        while True:
            try:
                with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=2) as r:
                    pages = [t for t in json.loads(r.read()) if t["type"] == "page"]
                if pages:
                    break
            except OSError:
                pass
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("Chromium did not start")
            time.sleep(0.2)
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=60, suppress_origin=True,
        )
        self.next_id = 0
        for domain in ("Page", "Network", "Runtime"):
            self.send(f"{domain}.enable")

    def send(self, method, **params):
        self.next_id += 1
        msg_id = self.next_id
        self.ws.send(json.dumps({"id": msg_id, "method": method, "params": params}))
        while True:
            msg = json.loads(self.ws.recv())
            if msg.get("id") == msg_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    def evaluate(self, expression):
        result = self.send("Runtime.evaluate", expression=expression, returnByValue=True)
        return result.get("result", {}).get("value")

    def set_size(self, size):
        spec = SIZES[size]
        self.send("Emulation.setDeviceMetricsOverride", width=spec["width"],
                  height=spec["height"], deviceScaleFactor=1, mobile=spec["mobile"])
        self.send("Emulation.setTouchEmulationEnabled", enabled=spec["mobile"],
                  maxTouchPoints=5 if spec["mobile"] else 1)
        self.send("Network.setUserAgentOverride", userAgent=PHONE_UA if spec["mobile"] else "")

    def set_session(self, url, session_id):
        self.send("Network.clearBrowserCookies")
        self.send("Network.setCookie", name="session_id", value=session_id, url=url,
                  path="/", httpOnly=True)

    def open(self, url, selector, timeout=60):
        """Navigate and wait until the web client is idle (and stays so a moment)."""
        # marks the current document: the one to wait for is a new one
        self.evaluate("window.__smPreviousPage = true")
        self.send("Page.navigate", url=url)
        time.sleep(0.5)
        deadline, steady = time.time() + timeout, 0
        while time.time() < deadline:
            state = self.evaluate(READY_JS % json.dumps(selector))
            if state in ("login", "error"):
                raise RuntimeError(f"{url} shows a {state} page")
            steady = steady + 1 if state == "ready" else 0
            if steady >= 4:
                # fonts, progress bars and charts finish their transitions
                self.evaluate("document.fonts.ready.then(() => true)")
                time.sleep(1.0)
                return
            time.sleep(0.25)
        raise RuntimeError(f"{url} did not finish loading in {timeout}s")

    def run(self, script, selector):
        """Run a JS snippet (a click...), then wait for the client to be idle again."""
        self.evaluate(script)
        time.sleep(0.8)
        deadline, steady = time.time() + 30, 0
        while time.time() < deadline and steady < 3:
            ready = self.evaluate(READY_JS % json.dumps(selector)) == "ready"
            steady = steady + 1 if ready else 0
            time.sleep(0.25)
        time.sleep(0.6)

    def capture(self, path):
        data = self.send("Page.captureScreenshot", format="png")["data"]
        with open(path, "wb") as out:
            out.write(base64.b64decode(data))

    def close(self):
        try:
            self.send("Browser.close")
        except Exception:  # the browser may already be gone
            pass
        try:
            self.ws.close()
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()
        shutil.rmtree(self.profile, ignore_errors=True)


def screens(odoo):
    """The records to show, and the key screens."""
    company_plan = odoo.search_one("sales.plan", [("name", "=like", "Demo % Company Plan")])
    seller_plan = odoo.search_one("sales.plan", [
        ("name", "=like", "Demo %"), ("scope", "=", "user"),
        ("user_id.login", "=", "sm_alice"),
    ])
    # a recent open opportunity of a salesperson, half-way through its milestones
    recent = time.strftime("%Y-%m-%d", time.localtime(time.time() - 120 * 86400))
    leads = odoo.call("crm.lead", "search_read", [
        ("type", "=", "opportunity"), ("probability", "<", 100),
        ("user_id.login", "=", "sm_alice"), ("milestone_line_ids", "!=", False),
    ], ["milestone_line_ids", "create_date"], order="expected_revenue desc, id")
    lead = max(leads, key=lambda r: (
        r["create_date"] >= recent, len(r["milestone_line_ids"]) == 2,
        len(r["milestone_line_ids"]),
    ))["id"] if leads else odoo.search_one("crm.lead", [("type", "=", "opportunity")])
    # a salesperson's late prospecting push: its first to-do took more hours than planned
    overrun_task = odoo.search_one("sales.task", [
        ("name", "=like", "[Demo] Prospecting push%"), ("user_id.login", "=", "sm_alice"),
        ("todo_ids.is_overrun", "=", True),
    ])
    # the last 1:1 a team leader held (its agenda prepared, actions agreed)
    session = odoo.search_one("sales.coaching.session", [
        ("coach_id.login", "=", "sm_emma"), ("state", "=", "done"),
    ], order="date desc, id desc")
    action = "/odoo/action-sales_management."
    both = ("desktop", "phone")
    form = ".o_form_view .o_form_sheet"
    milestones_tab = TAB_JS % json.dumps("Milestones")
    return company_plan, [
        # name, login, url, sizes, selector shown when loaded, js run before the capture
        ("dashboard", "admin", f"{action}sales_management_dashboard_action", both,
         ".o_sales_management_dashboard .o_sm_value", None),
        ("team-day", "sm_emma", f"{action}sales_team_day_action", both,
         ".o_sales_team_day .o_sm_team_day_person", None),
        ("plans-list", "admin", f"{action}sales_plan_action", ("desktop",),
         ".o_list_view .o_data_row", None),
        ("plans-kanban", "admin", f"{action}sales_plan_action?view_type=kanban", both,
         ".o_kanban_view .o_kanban_record", None),
        ("plan-form", "admin", f"{action}sales_plan_action/{company_plan}", ("desktop",),
         form, None),
        ("plan-salesperson", "sm_alice", f"{action}sales_plan_action_my/{seller_plan}", both,
         form, {"phone": SCROLL_JS % json.dumps(".o_horizontal_separator")}),
        ("task-overrun", "sm_alice", f"{action}sales_task_action_my/{overrun_task}", both,
         form, {"phone": SCROLL_JS % json.dumps(".o_notebook")}),
        ("opportunity-milestones", "sm_alice", f"{action}crm_lead_action_milestone/{lead}",
         both, form, {"desktop": milestones_tab,
                      "phone": milestones_tab + SCROLL_JS % json.dumps(".o_notebook")}),
        ("coaching-session", "sm_emma", f"{action}sales_coaching_session_action/{session}",
         both, form, None),
        ("competency-matrix", "admin", f"{action}sales_competency_rating_action_matrix",
         ("desktop",), ".o_pivot table", None),
    ]


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--url", required=True)
    parser.add_argument("--db", required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--only", help="comma-separated screen names")
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    odoo = Odoo(args.url, args.db)
    odoo.login("admin", "admin")
    company_plan, shots = screens(odoo)
    only = set(args.only.split(",")) if args.only else None
    sessions = {}
    browser = Chromium()
    taken = []
    try:
        for name, login, path, sizes, selector, script in shots:
            if only and name not in only:
                continue
            if login not in sessions:
                sessions[login] = Odoo(args.url, args.db).login(login, login)
            browser.set_session(args.url, sessions[login])
            for size in sizes:
                browser.set_size(size)
                browser.open(args.url + path, selector)
                if script and script.get(size):
                    browser.run(script[size], selector)
                target = os.path.join(args.out, f"{name}-{size}.png")
                browser.capture(target)
                taken.append(target)
                log(f"{target} ({os.path.getsize(target) // 1024} KB)")
    finally:
        browser.close()
    if not only or "plan-report-pdf" in only:
        pdf, kind = odoo.get(
            f"/report/pdf/sales_management.report_plan_performance/{company_plan}"
        )
        if not pdf.startswith(b"%PDF"):
            raise RuntimeError(f"the plan report is not a PDF ({kind})")
        with tempfile.TemporaryDirectory() as tmp:
            source = os.path.join(tmp, "plan.pdf")
            with open(source, "wb") as out:
                out.write(pdf)
            target = os.path.join(args.out, "plan-report-pdf")
            subprocess.run(["pdftoppm", "-png", "-r", "80", "-f", "1", "-l", "1",
                            "-singlefile", source, target], check=True)
        taken.append(target + ".png")
        log(f"{target}.png ({os.path.getsize(target + '.png') // 1024} KB)")
    log(f"{len(taken)} screenshots in {args.out}")


if __name__ == "__main__":
    main()
