#!/usr/bin/env python3
"""Event benchmarks against a running `microanpr serve` (see bench/events.sh).

sse:      N SSE clients on /v1/stream; K passes ingested one after another (POST /v1/passes); for every client and
          event, the time from the start of the POST that stored it to the event's arrival. p50/p99/max, lost.
webhooks: a local receiver failing a share of requests (half answer 500, half read the request, record it and
          drop the connection: a lost response); E events; all must arrive, duplicates only after lost responses.
"""
import asyncio, json, random, sys, time, uuid, http.client, hmac, hashlib

def post_pass(conn, key, i):
    body = json.dumps({"plate": "BN%02dXYZ" % (i % 100), "confidence": 0.9, "first_seen_at": "2026-11-22T08:00:00Z",
                       "last_seen_at": "2026-11-22T08:00:02Z",
                       "reads": [{"plate": "BN%02dXYZ" % (i % 100), "confidence": 0.9, "box": {"x": 1, "y": 1, "width": 50, "height": 12},
                                  "captured_at": "2026-11-22T08:00:01Z"}]})
    conn.request("POST", "/v1/passes", body, {"Authorization": "Bearer " + key, "Content-Type": "application/json",
                                               "Idempotency-Key": str(uuid.uuid4())})
    r = conn.getresponse(); data = r.read()
    assert r.status == 201, (r.status, data)
    return json.loads(data)["id"]

def latencies(sent, arrivals, clients):
    """Deliveries, lost deliveries and latency percentiles, from each pass's POST start to each arrival."""
    lat = []; lost = 0
    for pid, t0 in sent.items():
        got = arrivals.get(pid, [])
        lost += clients - len(got)
        lat += [(t - t0) * 1000 for t in got]
    lat.sort()
    pct = lambda p: lat[min(len(lat) - 1, int(p * len(lat)))] if lat else float("nan")
    return {"deliveries": len(lat), "lost": lost, "p50_ms": round(pct(0.5), 1), "p99_ms": round(pct(0.99), 1),
            "max_ms": round(lat[-1], 1) if lat else None}

async def pass_ids(reader):
    """The pass id of every event on an open SSE response, as it arrives."""
    buf = b""
    while True:
        chunk = await reader.read(65536)
        if not chunk: return
        buf += chunk
        while b"\ndata: " in buf:
            a = buf.index(b"\ndata: ") + 7
            b = buf.find(b"\n", a)
            if b < 0: break
            line, buf = buf[a:b], buf[b:]
            try: yield json.loads(line)["data"]["pass_id"]
            except Exception: continue

async def sse(port, key, clients, events):
    arrivals = {}          # pass id -> list of arrival times
    ready = 0
    async def client():
        nonlocal ready
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        writer.write(("GET /v1/stream?types=pass.completed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % key).encode())
        await writer.drain()
        await reader.readuntil(b"\r\n\r\n")
        ready += 1
        async for pid in pass_ids(reader):
            arrivals.setdefault(pid, []).append(time.monotonic())
    tasks = [asyncio.create_task(client()) for _ in range(clients)]
    while ready < clients: await asyncio.sleep(0.05)
    await asyncio.sleep(1)
    loop = asyncio.get_running_loop()
    conn = http.client.HTTPConnection("127.0.0.1", port)
    sent = {}
    for i in range(events):
        t0 = time.monotonic()
        pid = await loop.run_in_executor(None, post_pass, conn, key, i)
        sent[pid] = t0
        await asyncio.sleep(0.2)
    await asyncio.sleep(3)
    for t in tasks: t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"clients": clients, "events": events, **latencies(sent, arrivals, clients)}

def rss_kb(pid):
    try:
        with open(f"/proc/{pid}/status") as f:
            return next(int(l.split()[1]) for l in f if l.startswith("VmRSS"))
    except (OSError, StopIteration, ValueError):
        return None

async def sse_listen(port, key, clients, events, work, index):
    """One load-generator process: `clients` streams; writes ready-N when all are open, then waits for `events`
    per client (or for the coordinator's done file) and prints its arrival times (CLOCK_MONOTONIC, comparable
    across processes on one machine)."""
    import os
    arrivals = {}; ready = 0; got = [0] * clients
    async def client(i):
        nonlocal ready
        reader, writer = await asyncio.open_connection("127.0.0.1", port, limit=1 << 20)
        writer.write(("GET /v1/stream?types=pass.completed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer %s\r\n\r\n" % key).encode())
        await writer.drain()
        head = await reader.readuntil(b"\r\n\r\n")
        if b" 200 " not in head.split(b"\r\n")[0]:
            raise RuntimeError(head.split(b"\r\n")[0].decode())
        ready += 1
        async for pid in pass_ids(reader):
            arrivals.setdefault(pid, []).append(time.monotonic()); got[i] += 1
            if got[i] >= events: break
        writer.close()
    tasks = [asyncio.create_task(client(i)) for i in range(clients)]
    failed = 0
    while ready + failed < clients:
        await asyncio.sleep(0.05)
        failed = sum(1 for t in tasks if t.done() and t.exception() is not None)
    open(os.path.join(work, f"ready-{index}"), "w").write(str(ready))
    while not all(t.done() for t in tasks) and not os.path.exists(os.path.join(work, "done")):
        await asyncio.sleep(0.1)
    for t in tasks: t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    return {"ready": ready, "failed": failed, "arrivals": arrivals}

def sse_multi(port, key, clients, events, procs, server_pid):
    """`clients` streams spread over `procs` load-generator processes (one process cannot hold 10,000)."""
    import os, subprocess, tempfile
    work = tempfile.mkdtemp(prefix="sse-")
    rss0 = rss_kb(server_pid) if server_pid else None
    share = [clients // procs + (1 if i < clients % procs else 0) for i in range(procs)]
    # The C load generator (bench/sse_load.c, built by events.sh) when given: Python's asyncio clients cost more
    # CPU than the server's own fan-out at 10,000 streams, and they share the server's 2 cores.
    loader = os.environ.get("SSE_LOAD_BIN")
    command = [loader] if loader else [sys.executable, __file__, "sse-listen"]
    kids = [subprocess.Popen(command + [str(port), key, str(n), str(events), work, str(i)],
                             stdout=subprocess.PIPE) for i, n in enumerate(share)]
    deadline = time.monotonic() + 600
    while sum(os.path.exists(os.path.join(work, f"ready-{i}")) for i in range(procs)) < procs:
        if time.monotonic() > deadline or any(k.poll() is not None for k in kids): break
        time.sleep(0.2)
    ready = sum(int(open(os.path.join(work, f"ready-{i}")).read() or 0) for i in range(procs) if os.path.exists(os.path.join(work, f"ready-{i}")))
    time.sleep(2)
    rss1 = rss_kb(server_pid) if server_pid else None
    conn = http.client.HTTPConnection("127.0.0.1", port)
    sent = {}
    for i in range(events):
        t0 = time.monotonic()
        sent[post_pass(conn, key, i)] = t0
        time.sleep(0.2)
    time.sleep(5)
    open(os.path.join(work, "done"), "w").close()
    arrivals = {}
    for k in kids:
        out, _ = k.communicate(timeout=120)
        for pid, ts in json.loads(out)["arrivals"].items(): arrivals.setdefault(pid, []).extend(ts)
    per_client = round((rss1 - rss0) / max(1, ready), 1) if rss0 and rss1 else None
    return {"clients": clients, "connected": ready, "processes": procs, "load_generator": "c" if loader else "python", "events": events, **latencies(sent, arrivals, ready),
            "server_rss_idle_mb": round(rss0 / 1024, 1) if rss0 else None,
            "server_rss_with_clients_mb": round(rss1 / 1024, 1) if rss1 else None, "server_kb_per_idle_client": per_client}

async def webhooks(port, key, events, fail_share, rport):
    received = {}; lost_responses = 0; failed_500 = 0; requests = 0; bad_sig = 0
    secret = {"v": ""}
    rng = random.Random(7)
    async def handle(reader, writer):
        nonlocal lost_responses, failed_500, requests, bad_sig
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                headers = {}
                for line in head.decode().split("\r\n")[1:]:
                    if ":" in line:
                        k, v = line.split(":", 1); headers[k.strip().lower()] = v.strip()
                body = await reader.readexactly(int(headers.get("content-length", "0")))
                requests += 1
                ts = headers.get("x-microanpr-timestamp", "")
                mac = "sha256=" + hmac.new(secret["v"].encode(), (ts + ".").encode() + body, hashlib.sha256).hexdigest()
                if mac != headers.get("x-microanpr-signature"): bad_sig += 1
                roll = rng.random()
                if roll < fail_share / 2:
                    failed_500 += 1
                    writer.write(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 0\r\n\r\n"); await writer.drain()
                    continue
                eid = json.loads(body)["id"]
                received[eid] = received.get(eid, 0) + 1
                if roll < fail_share:
                    lost_responses += 1
                    writer.transport.abort(); return
                writer.write(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"); await writer.drain()
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
    server = await asyncio.start_server(handle, "127.0.0.1", rport)
    conn = http.client.HTTPConnection("127.0.0.1", port)
    conn.request("POST", "/v1/webhooks", json.dumps({"url": "http://127.0.0.1:%d/hook" % rport, "events": ["pass.completed"]}),
                 {"Authorization": "Bearer " + key, "Content-Type": "application/json"})
    r = conn.getresponse(); hook = json.loads(r.read()); secret["v"] = hook["secret"]
    loop = asyncio.get_running_loop()
    t0 = time.monotonic()
    for i in range(events):
        await loop.run_in_executor(None, post_pass, conn, key, i)
    stored = time.monotonic() - t0
    deadline = time.monotonic() + 600
    while len(received) < events and time.monotonic() < deadline:
        await asyncio.sleep(0.5)
    elapsed = time.monotonic() - t0
    server.close()
    dups = sum(n - 1 for n in received.values())
    return {"events": events, "received_unique": len(received), "missing": events - len(received), "duplicates": dups,
            "lost_responses": lost_responses, "http_500": failed_500, "requests": requests, "bad_signatures": bad_sig,
            "seconds_to_store": round(stored, 1), "seconds_until_all_delivered": round(elapsed, 1)}

if __name__ == "__main__":
    mode, port, key = sys.argv[1], int(sys.argv[2]), sys.argv[3]
    if mode == "sse":
        procs = int(sys.argv[6]) if len(sys.argv) > 6 else 1
        if procs > 1:
            import os
            print(json.dumps(sse_multi(port, key, int(sys.argv[4]), int(sys.argv[5]), procs, int(os.environ.get("SERVER_PID", "0")))))
        else:
            print(json.dumps(asyncio.run(sse(port, key, int(sys.argv[4]), int(sys.argv[5])))))
    elif mode == "sse-listen":
        print(json.dumps(asyncio.run(sse_listen(port, key, int(sys.argv[4]), int(sys.argv[5]), sys.argv[6], int(sys.argv[7])))))
    else:
        print(json.dumps(asyncio.run(webhooks(port, key, int(sys.argv[4]), float(sys.argv[5]), int(sys.argv[6])))))
