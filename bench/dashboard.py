"""Measures the dashboard in headless Chromium against a running release server (see bench/dashboard.sh)."""
import json, os, statistics, sys, time
sys.path.insert(0, os.path.join(os.path.dirname(__file__), "..", "Tests", "Browser"))
os.environ.setdefault("MICROANPR_TEST_SCREENSHOTS", "/tmp")
import dashboard_test as t
from selenium.webdriver.common.by import By

d = t.browser()
try:
    t0 = time.time()
    t.sign_in_with_keyboard(d, "owner@example.com", t.PASSWORD)
    t.heading(d, "Overview")
    signin_ms = (time.time() - t0) * 1000
    # Overview first paint: from navigation start to the figures on screen (the page marks it), 20 cold loads.
    overview_ms, overview_wall_ms = [], []
    for _ in range(20):
        d.get("about:blank")
        t0 = time.time()
        d.get(f"{t.BASE}/#/overview")
        t.wait(d, lambda d: d.execute_script("return performance.getEntriesByName('overview-painted').length") > 0)
        overview_wall_ms.append((time.time() - t0) * 1000)
        overview_ms.append(d.execute_script("return performance.getEntriesByName('overview-painted')[0].startTime"))
    t.go(d, "feed", "Live feed")
    t.wait(d, t.EC.text_to_be_present_in_element((By.CSS_SELECTOR, "main .status"), "live"))
    d.execute_script("""window.__added = []; new MutationObserver((ms) => { for (const m of ms) for (const n of m.addedNodes)
        if (n.dataset && n.dataset.plate) window.__added.push(Date.now()); }).observe(document.querySelector('.feed'), { childList: true });""")
    images = sorted(f for f in os.listdir(t.IMAGES) if f.endswith(".jpg"))
    latencies, from_upload = [], []
    for image in images[:40]:
        before = len(d.execute_script("return window.__added"))
        sent = time.time() * 1000
        reads = t.recognise(image)
        answered = time.time() * 1000
        if not reads:
            continue
        t.wait(d, lambda d: len(d.execute_script("return window.__added")) >= before + len(reads), 10)
        first = d.execute_script("return window.__added")[before]
        latencies.append(first - answered)
        from_upload.append(first - sent)
    server_ms, page_ms = [], []
    for _ in range(20):
        t0 = time.time()
        d.get(f"{t.BASE}/#/search?limit=100")
        t.wait(d, lambda d: len(d.find_elements(By.CSS_SELECTOR, "main tbody tr")) == 100)
        page_ms.append((time.time() - t0) * 1000)
        timing = d.execute_script("""return performance.getEntriesByType('resource').filter(e => e.name.includes('/v1/reads'))
            .map(e => (e.serverTiming.find(s => s.name === 'app') || {}).duration)""")
        server_ms.append(timing[-1])
        d.get("about:blank")
    q = lambda xs, p: sorted(xs)[min(len(xs) - 1, int(p * len(xs)))]
    print(json.dumps({
        "feed_reads": len(latencies),
        "feed_ms_after_answer_p50": round(statistics.median(latencies)), "feed_ms_after_answer_max": round(max(latencies)),
        "feed_ms_from_upload_start_p50": round(statistics.median(from_upload)), "feed_ms_from_upload_start_max": round(max(from_upload)),
        "reads100_server_ms_p50": statistics.median(server_ms), "reads100_server_ms_max": max(server_ms),
        "search_page_ms_p50": round(statistics.median(page_ms)), "search_page_ms_max": round(max(page_ms)),
        "signin_ms": round(signin_ms),
        "overview_first_paint_ms_p50": round(statistics.median(overview_ms)), "overview_first_paint_ms_max": round(max(overview_ms)),
        "overview_first_paint_ms_all": [round(x) for x in overview_ms],
        "overview_wall_ms_p50": round(statistics.median(overview_wall_ms)), "overview_wall_ms_max": round(max(overview_wall_ms))}, indent=1))
finally:
    d.quit()
