#!/usr/bin/python3
"""The web console in headless Chromium against a running soukd (docs/console.md).

Generates a small shop, indexes it, trains a ranker on its sessions, serves it with the console
on and logs 100 simulated shoppers' sessions into it, then, in the browser: the snapshot line
and the A/B table (with those sessions' searches) render; typing offers suggestions;
a product's title finds it with the same ranking `souk query` gets over gRPC; its explanation
opens with the ranker's per-feature contributions; a user's recommendations and a product's
similar items fill their panels; the page logged no error. Saves a screenshot of the page with
the explanation open and prints its path.

Usage: console_browser_test.py SOUK SOUKD SCREENSHOT.png
Needs Debian's chromium, chromium-driver and python3-selenium (scripts/install-deps.sh).
"""
import collections
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time

try:
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys
    from selenium.webdriver.support.ui import WebDriverWait
except ImportError as error:
    sys.exit(f"FAIL: {error}: install python3-selenium (scripts/install-deps.sh)")

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
WAIT_S = 30  # every wait in the browser is bounded by this


def run(*args, **kwargs):
    return subprocess.run(args, check=True, capture_output=True, text=True, timeout=300, **kwargs)


def make_shop(souk, tmp):
    """A 300-product shop, its index, a ranker and the users' interactions."""
    run(souk, "gen", "--out", f"{tmp}/shop", "--seed", "11", "--products", "300", "--users", "40",
        "--sessions", "300")
    run(souk, "index", "--catalog", f"{tmp}/shop/catalog.jsonl", "--out", f"{tmp}/index")
    run(souk, "train", "ranker", "--index", f"{tmp}/index", "--sessions",
        f"{tmp}/shop/events.jsonl", "--out", f"{tmp}/ranker.json", "--rounds", "20",
        "--threads", "1")
    run(f"{ROOT}/scripts/demo-interactions.sh", f"{tmp}/shop/events.jsonl",
        f"{tmp}/interactions.txt")
    with open(f"{tmp}/souk.yaml", "w") as f:
        f.write(f"""server:
  address: '127.0.0.1:0'
  metrics_address: '127.0.0.1:0'
  console: {{enabled: true, static_dir: '{ROOT}/web/console'}}
index: {{dir: '{tmp}/index'}}
ranker: {{model: '{tmp}/ranker.json'}}
recommend: {{interactions: '{tmp}/interactions.txt'}}
feedback: {{event_log: '{tmp}/events'}}
logging: {{level: info}}
""")


def start_soukd(soukd, tmp):
    """soukd on free ports; returns (process, gRPC port, HTTP port)."""
    log = open(f"{tmp}/soukd.out", "w")
    server = subprocess.Popen([soukd, "--config", f"{tmp}/souk.yaml"], stdout=log,
                              stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        text = open(f"{tmp}/soukd.out").read()
        grpc_port = re.search(r"serving on port (\d+)", text)
        http_port = re.search(r"console at http://127\.0\.0\.1:(\d+)/console/", text)
        if grpc_port and http_port:
            return server, int(grpc_port.group(1)), int(http_port.group(1))
        if server.poll() is not None:
            break
        time.sleep(0.1)
    server.kill()
    sys.exit(f"FAIL: soukd did not start:\n{open(f'{tmp}/soukd.out').read()}")


def start_browser(tmp):
    options = webdriver.ChromeOptions()
    options.binary_location = "/usr/bin/chromium"
    for flag in ("--headless=new", "--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage",
                 "--window-size=1500,1100", "--no-first-run", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", f"--user-data-dir={tmp}/chromium"):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    # Debian 12's Selenium (4.8): the driver's path given, so it never looks for one online.
    service = Service("/usr/bin/chromedriver", log_path=f"{tmp}/chromedriver.log")
    return webdriver.Chrome(service=service, options=options)


def grpc_ranking(souk, port, query):
    """The product ids `souk query` gets for `query` over gRPC, best first."""
    out = run(souk, "query", "--server", f"127.0.0.1:{port}", "--k", "20", query).stdout
    return re.findall(r"\b(p\d{6})\b", out)


def most_active_user(tmp):
    counts = collections.Counter(line.split()[0] for line in open(f"{tmp}/interactions.txt"))
    return counts.most_common(1)[0][0]


def check(condition, message):
    if not condition:
        raise AssertionError(message)


def exercise_console(browser, wait, http_port, grpc_port, souk, tmp):
    browser.get(f"http://127.0.0.1:{http_port}/console/")
    wait.until(lambda b: "300 products" in b.find_element(By.ID, "snapshot").text)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#variants tbody tr"))
    cells = [td.text for td in browser.find_elements(By.CSS_SELECTOR, "#variants tbody td")]
    check(cells[0] == "default" and int(cells[1]) >= 100 and "%" in cells[2],
          f"the A/B table lacks the simulated sessions' searches: {cells}")

    product = json.loads(open(f"{tmp}/shop/catalog.jsonl").readline())
    query = product["title"]
    box = browser.find_element(By.ID, "query")
    box.send_keys(query.split()[0][:3].lower())
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#suggestions option"))
    box.clear()
    box.send_keys(query, Keys.ENTER)
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#results tr.result"))
    rows = browser.find_elements(By.CSS_SELECTOR, "#results tr.result")
    shown = [row.get_attribute("data-product-id") for row in rows]
    check(shown == grpc_ranking(souk, grpc_port, query),
          f"the console's ranking {shown} is not souk query's")
    first = rows[shown.index(product["id"])]
    check(product["title"] in first.text and product["brand"] in first.text,
          f"the row of {product['id']} lacks its title or brand: {first.text}")
    check(re.search(r"\b\d+\.\d\d\b", first.text), f"no price in {first.text}")

    rows[0].find_element(By.CSS_SELECTOR, "button.why").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "tr.explanation"))
    explanation = browser.find_element(By.CSS_SELECTOR, "tr.explanation")
    check("BM25F" in explanation.text and "ranker" in explanation.text,
          f"the explanation lacks its scores: {explanation.text}")
    features = explanation.find_elements(By.CSS_SELECTOR, "table.contributions tr")
    check(len(features) > 5, f"only {len(features) - 1} feature contributions shown")
    check("bias" in explanation.text, "no bias among the contributions")

    rows[0].find_element(By.CSS_SELECTOR, "button.similar").click()
    wait.until(lambda b: b.find_elements(By.CSS_SELECTOR, "#similar li"))
    similar = [li.get_attribute("data-product-id")
               for li in browser.find_elements(By.CSS_SELECTOR, "#similar li")]
    check(shown[0] not in similar, f"{shown[0]} is listed as similar to itself")

    user = browser.find_element(By.ID, "user")
    user.send_keys(most_active_user(tmp), Keys.TAB)
    wait.until(lambda b: "for u" in b.find_element(By.ID, "recommend-for").text)
    wait.until(lambda b: len(b.find_elements(By.CSS_SELECTOR, "#recommendations li")) == 10)
    browser.execute_script("window.scrollTo(0, 0)")


def main():
    souk, soukd, screenshot = sys.argv[1:4]
    for tool in ("/usr/bin/chromium", "/usr/bin/chromedriver"):
        check(os.path.exists(tool), f"{tool} is missing: run scripts/install-deps.sh")
    tmp = tempfile.mkdtemp(prefix="souk-console-")
    server = browser = None
    try:
        make_shop(souk, tmp)
        server, grpc_port, http_port = start_soukd(soukd, tmp)
        # 100 simulated shoppers' sessions, logged as events: the A/B table's figures.
        run(souk, "simulate", "--shop", f"{tmp}/shop", "--server", f"127.0.0.1:{grpc_port}",
            "--sessions", "100")
        browser = start_browser(tmp)
        browser.set_page_load_timeout(WAIT_S)
        try:
            exercise_console(browser, WebDriverWait(browser, WAIT_S), http_port, grpc_port, souk,
                             tmp)
        finally:
            browser.save_screenshot(screenshot)
            print(f"screenshot: {screenshot}")
        errors = [e for e in browser.get_log("browser") if e["level"] == "SEVERE"]
        check(not errors, f"the page logged errors: {errors}")
        print("PASS")
    finally:
        if browser is not None:
            browser.quit()
        if server is not None:
            server.kill()
            server.wait()
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
