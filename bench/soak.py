#!/usr/bin/env python3
"""Scale-out soak (bench/soak.sh): two `microanpr serve` processes on one PostgreSQL and one S3-compatible store
(moto), under uploads (images answered at once, image and video jobs), SSE clients and a webhook receiver, while a
chaos loop kills one process with SIGKILL every 20-60 s and restarts it. At the end, after the queue and the outbox
drain: every accepted upload's reads are present once, every job is done with the reads its file gives, every
stored event reached an SSE client and the webhook receiver. Prints a JSON report; exits 1 when anything was lost
or duplicated.

Environment: MICROANPR_TEST_POSTGRES_URL, MICROANPR_TEST_S3_ENDPOINT (set by scripts/test-services.sh),
SOAK_SECONDS (600), SOAK_BINARY (.build/release/microanpr), SOAK_SEED (1), SOAK_JOB_INTERVAL (3: seconds between
upload jobs, one in ten a video). One plate.detected event is stored per
recognised image (not per read).
"""
import http.client, http.server, json, os, random, shutil, signal, socket, subprocess, sys, tempfile, threading, time, urllib.parse, uuid

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.environ.get("SOAK_BINARY", os.path.join(ROOT, ".build/release/microanpr"))
SECONDS = float(os.environ.get("SOAK_SECONDS", "600"))
DATA = os.environ.get("MICROANPR_DATASETS", os.path.join(os.path.dirname(ROOT), "shared/datasets"))
IMAGES = [os.path.join(DATA, "micrometre_carpark1/images", f) for f in ["pd_test_data_2.jpg", "lp_sample_images_1.jpg", "lp_sample_images_2.jpg"]]
VIDEO = os.path.join(DATA, "micrometre_carpark1/video/alprVideo.mp4")
random.seed(int(os.environ.get("SOAK_SEED", "1")))
lock = threading.Lock()
stop = threading.Event()


def free_port():
    s = socket.socket(); s.bind(("127.0.0.1", 0)); p = s.getsockname()[1]; s.close(); return p


def call(port, method, path, key, body=None, ctype=None, timeout=120):
    c = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    h = {"Authorization": "Bearer " + key}
    if ctype: h["Content-Type"] = ctype
    c.request(method, path, body, h)
    r = c.getresponse(); data = r.read(); c.close()
    return r.status, (json.loads(data) if data[:1] in (b"{", b"[") else data)


class Server:
    def __init__(self, name, env, port, workdir):
        self.name, self.env, self.port, self.log = name, env, port, open(os.path.join(workdir, name + ".log"), "ab")
        self.proc = None

    def start(self):
        self.proc = subprocess.Popen([BIN, "serve", "--port", str(self.port), "--workers", "1"], env=self.env,
                                     stdout=self.log, stderr=self.log)
        deadline = time.time() + 60
        while time.time() < deadline:
            try:
                if call(self.port, "GET", "/readyz", "", timeout=2)[0] == 200: return
            except OSError: pass
            time.sleep(0.2)
        raise SystemExit(f"soak: {self.name} did not start")

    def kill(self):
        self.proc.send_signal(signal.SIGKILL); self.proc.wait()

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.terminate()
            try: self.proc.wait(30)
            except subprocess.TimeoutExpired: self.proc.kill()


def main():
    pg, s3 = os.environ["MICROANPR_TEST_POSTGRES_URL"], os.environ["MICROANPR_TEST_S3_ENDPOINT"]
    work = tempfile.mkdtemp(prefix="microanpr-soak-")
    # A copy of the binary: a rebuild during the soak must not change what is restarted.
    global BIN
    shutil.copy2(BIN, os.path.join(work, "microanpr")); BIN = os.path.join(work, "microanpr")
    db = "soak_" + uuid.uuid4().hex[:8]
    subprocess.run(["psql", pg, "-q", "-c", f"CREATE DATABASE {db}"], check=True)
    u = urllib.parse.urlparse(pg); url = u._replace(path="/" + db).geturl()
    env = dict(os.environ, MICROANPR_DATABASE_URL=url, MICROANPR_DATA_DIR=work, MICROANPR_S3_ENDPOINT=s3,
               MICROANPR_S3_BUCKET="soak-" + db[5:], MICROANPR_S3_ACCESS_KEY="soak", MICROANPR_S3_SECRET_KEY="soak",
               MICROANPR_ALLOW_PRIVATE_WEBHOOKS="1", MICROANPR_NO_AUTO_MIGRATE="1", MICROANPR_RUN_CAMERAS="0",
               MICROANPR_JOB_STALE_SECONDS="10", MICROANPR_WEBHOOK_RETRY_BASE_SECONDS="1", MICROANPR_SIGNING_SECRET="soak-secret")
    env.setdefault("MICROANPR_MODELS", os.path.join(ROOT, ".deps/models/manifest.json"))
    subprocess.run([BIN, "migrate"], env=env, check=True, stdout=subprocess.DEVNULL)
    key = json.loads(subprocess.run([BIN, "tenant", "create", "soak", "--plan", "enterprise"], env=env, check=True,
                                    capture_output=True).stdout)["api_key"]
    servers = [Server(f"serve-{i}", env, free_port(), work) for i in range(2)]
    for s in servers: s.start()

    # The webhook receiver: every event id it is sent (duplicates allowed: at least once).
    hooked = set()
    class Hook(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            self.rfile.read(int(self.headers.get("Content-Length", 0)))
            with lock: hooked.add(int(self.headers["X-MicroANPR-Event-Id"]))
            self.send_response(200); self.send_header("Content-Length", "0"); self.end_headers()
        def log_message(self, *a): pass
    hook = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Hook)
    threading.Thread(target=hook.serve_forever, daemon=True).start()
    st, _ = call(servers[0].port, "POST", "/v1/webhooks", key,
                 json.dumps({"url": f"http://127.0.0.1:{hook.server_port}/hook", "events": ["plate.detected"]}), "application/json")
    assert st == 201, st

    # What each file gives, once, before the chaos: the reference for "present once".
    expected = {}
    for f in IMAGES:
        st, r = call(servers[0].port, "POST", "/v1/recognise?store=false", key, open(f, "rb").read(), "image/jpeg")
        expected[f] = len(r["reads"])

    alive = [True, True]
    def port():
        with lock: ports = [s.port for s, a in zip(servers, alive) if a]
        return random.choice(ports or [servers[0].port])

    accepted_reads, jobs, latency, kills, failures = [], [], [], [], {"requests": 0, "refused": 0}
    next_job = [0.0]
    def uploader():
        while not stop.is_set():
            f = random.choice(IMAGES); t0 = time.time()
            # Jobs at a rate the two job workers sustain (one every SOAK_JOB_INTERVAL s): the soak checks that
            # nothing is lost, not how long a queue can grow.
            with lock:
                job = t0 >= next_job[0]
                if job: next_job[0] = t0 + float(os.environ.get("SOAK_JOB_INTERVAL", "3"))
            try:
                if not job:
                    st, r = call(port(), "POST", "/v1/recognise", key, open(f, "rb").read(), "image/jpeg")
                    with lock:
                        failures["requests"] += 1
                        if st == 200:
                            accepted_reads.extend(x["id"] for x in r["reads"]); latency.append((t0, time.time() - t0))
                else:
                    video = random.random() < 0.1
                    path = VIDEO if video else f
                    st, r = call(port(), "POST", "/v1/upload?filename=" + os.path.basename(path), key, open(path, "rb").read(),
                                 "video/mp4" if video else "image/jpeg")
                    with lock:
                        failures["requests"] += 1
                        if st == 202: jobs.append((r["job_id"], path))
            except (OSError, http.client.HTTPException):
                with lock: failures["refused"] += 1     # the process was killed: not accepted, tried again
                time.sleep(0.2)

    sse_ids = set()
    def sse_client():
        last = 0
        while not stop.is_set() or last < final_event[0]:
            try:
                c = socket.create_connection(("127.0.0.1", port()), timeout=15)
                c.sendall((f"GET /v1/stream?types=plate.detected HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {key}\r\n"
                           f"Last-Event-ID: {last}\r\n\r\n").encode())
                buf = b""
                while True:
                    chunk = c.recv(65536)
                    if not chunk: break
                    buf += chunk
                    while b"\n" in buf:
                        line, buf = buf.split(b"\n", 1)
                        if line.startswith(b"id: "):
                            i = int(line[4:]); last = max(last, i)
                            with lock: sse_ids.add(i)
                    if stop.is_set() and last >= final_event[0]: break
                c.close()
            except (OSError, ValueError):
                time.sleep(0.3)

    final_event = [1 << 62]
    threads = [threading.Thread(target=uploader, daemon=True) for _ in range(3)] + [threading.Thread(target=sse_client, daemon=True) for _ in range(2)]
    for t in threads: t.start()
    start = time.time(); next_kill = start + random.uniform(20, 60)
    while time.time() - start < SECONDS:
        time.sleep(0.5)
        if time.time() >= next_kill:
            i = random.randrange(2)
            with lock: alive[i] = False
            t = time.time(); servers[i].kill(); time.sleep(2); servers[i].start()
            with lock: alive[i] = True
            kills.append((t, time.time() - t))
            print(f"soak: {time.time() - start:5.0f} s killed {servers[i].name}, back in {time.time() - t:.1f} s", file=sys.stderr)
            next_kill = time.time() + random.uniform(20, 60)
    stop.set()
    for t in threads[:3]: t.join(150)

    # Drain: every job finished, the outbox empty, the SSE clients caught up.
    def job_states():
        out = {}
        for jid, _ in jobs:
            st, r = call(servers[0].port, "GET", f"/v1/jobs/{jid}", key)
            out[jid] = r.get("status") if st == 200 else f"http {st}"
        return out
    deadline = time.time() + 900
    while time.time() < deadline and any(s not in ("done", "failed") for s in job_states().values()): time.sleep(2)
    states = job_states()
    q = lambda sql: subprocess.run(["psql", url, "-tA", "-c", sql], capture_output=True, text=True, check=True).stdout.split()
    deadline = time.time() + 300
    while time.time() < deadline and int(q("SELECT COUNT(*) FROM webhook_deliveries WHERE status = 'pending'")[0]) > 0: time.sleep(1)
    events = set(int(x) for x in q("SELECT id FROM events WHERE type = 'plate.detected'"))
    final_event[0] = max(events or {0})
    deadline = time.time() + 60
    while time.time() < deadline and not events <= sse_ids: time.sleep(0.5)

    missing_reads = [r for r in set(accepted_reads) if call(servers[0].port, "GET", f"/v1/reads/{r}", key)[0] != 200]
    job_reads, wrong_jobs = 0, []
    video_reads = None
    for jid, path in jobs:
        st, r = call(servers[0].port, "GET", f"/v1/reads?job_id={jid}&limit=500", key)
        n = len(r.get("reads", [])); job_reads += n
        if path == VIDEO:
            video_reads = video_reads if video_reads is not None else n
            if n != video_reads: wrong_jobs.append((jid, n, video_reads))
        elif n != expected[path]: wrong_jobs.append((jid, n, expected[path]))
    total_reads = int(q("SELECT COUNT(*) FROM reads")[0])
    dup_reads = len(accepted_reads) - len(set(accepted_reads))
    lat = sorted(d for _, d in latency)
    during = sorted(d for t0, d in latency if any(k <= t0 <= k + d2 + 10 for k, d2 in kills))
    pct = lambda xs, p: round(1000 * xs[min(len(xs) - 1, int(p * len(xs)))], 1) if xs else None
    report = {
        "seconds": round(time.time() - start), "kills": len(kills), "requests": failures["requests"],
        "requests_refused_while_down": failures["refused"], "reads_accepted": len(accepted_reads), "jobs": len(jobs),
        "jobs_done": sum(1 for s in states.values() if s == "done"), "jobs_not_done": {j: s for j, s in states.items() if s != "done"},
        "reads_in_jobs": job_reads, "reads_stored": total_reads, "events": len(events),
        "events_to_sse": len(events & sse_ids), "events_to_webhook": len(events & hooked),
        "lost": {"reads": len(missing_reads), "jobs_with_wrong_read_count": wrong_jobs, "sse": len(events - sse_ids),
                 "webhook": len(events - hooked)},
        "duplicated_reads": dup_reads + sum(max(0, n - e) for _, n, e in wrong_jobs),
        "unaccounted_reads": total_reads - len(set(accepted_reads)) - job_reads,
        "recognise_ms": {"p50": pct(lat, 0.5), "p99": pct(lat, 0.99), "max": round(1000 * lat[-1], 1) if lat else None,
                         "p99_within_10s_of_a_kill": pct(during, 0.99)},
    }
    print(json.dumps(report, indent=2))
    for s in servers: s.stop()
    hook.shutdown()
    ok = (not missing_reads and not wrong_jobs and report["jobs_not_done"] == {} and events <= sse_ids and events <= hooked
          and report["duplicated_reads"] == 0 and report["unaccounted_reads"] == 0)
    print("soak: " + ("0 lost, 0 duplicated" if ok else "FAILED: something was lost or duplicated"), file=sys.stderr)
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
