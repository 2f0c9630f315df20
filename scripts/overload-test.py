#!/usr/bin/env python3
"""Overload test (issue 22), against a `microanpr serve` started under a low open-file limit by
scripts/overload-test.sh. Standard library only.

1. More SSE clients than the server may hold connect at once: every one gets an answer, 200 (kept) or
   503 `too_many_streams` with Retry-After; at least one of each.
2. With the streams held: an image upload (POST /v1/recognise) answers 2xx, a read (GET /v1/reads) 200, and
   passes posted afterwards reach every kept stream (none lost).
3. After the clients leave, a new stream is accepted again.
Prints one JSON line of figures; exits non-zero with the reason on any failure.
"""
import asyncio
import json
import sys
import time
import uuid

PORT, KEY, CLIENTS, IMAGE = int(sys.argv[1]), sys.argv[2], int(sys.argv[3]), sys.argv[4]
EVENTS = 5


def fail(msg):
    print("overload-test: FAILED: " + msg, file=sys.stderr)
    sys.exit(1)


async def request(method, path, body=b"", headers=None, timeout=60):
    r, w = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT), timeout)
    h = {"Host": "x", "Authorization": "Bearer " + KEY, "Connection": "close", "Content-Length": str(len(body))}
    h.update(headers or {})
    w.write((f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in h.items()) + "\r\n").encode() + body)
    await w.drain()
    data = await asyncio.wait_for(r.read(), timeout)
    w.close()
    head, _, payload = data.partition(b"\r\n\r\n")
    status = int(head.split(b" ")[1])
    return status, head.decode("latin-1"), payload


class Stream:
    def __init__(self):
        self.status, self.head, self.passes, self.reader, self.writer = None, "", set(), None, None

    async def open(self):
        self.reader, self.writer = await asyncio.wait_for(asyncio.open_connection("127.0.0.1", PORT), 60)
        self.writer.write(f"GET /v1/stream?types=pass.completed HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer {KEY}\r\n\r\n".encode())
        await self.writer.drain()
        head = await asyncio.wait_for(self.reader.readuntil(b"\r\n\r\n"), 60)
        self.head = head.decode("latin-1")
        self.status = int(self.head.split(" ")[1])
        if self.status != 200:
            body = await asyncio.wait_for(self.reader.read(4096), 10)
            self.head += body.decode("latin-1", "replace")
            self.writer.close()

    async def listen(self):
        buf = b""
        while True:
            chunk = await self.reader.read(65536)
            if not chunk:
                return
            buf += chunk
            while b"\ndata: " in buf:
                i = buf.index(b"\ndata: ") + 7
                j = buf.find(b"\n", i)
                if j < 0:
                    break
                line, buf = buf[i:j], buf[j:]
                try:
                    self.passes.add(json.loads(line)["data"]["pass_id"])
                except (ValueError, KeyError):
                    pass

    def close(self):
        if self.writer:
            self.writer.close()


def pass_body(i):
    plate = "OV%02dLDT" % i
    return json.dumps({"plate": plate, "confidence": 0.9, "first_seen_at": "2026-11-22T08:00:00Z",
                       "last_seen_at": "2026-11-22T08:00:02Z",
                       "reads": [{"plate": plate, "confidence": 0.9, "box": {"x": 1, "y": 1, "width": 50, "height": 12},
                                  "captured_at": "2026-11-22T08:00:01Z"}]}).encode()


async def main():
    t0 = time.monotonic()
    streams = [Stream() for _ in range(CLIENTS)]
    results = await asyncio.gather(*(s.open() for s in streams), return_exceptions=True)
    errors = [r for r in results if isinstance(r, Exception)]
    if errors:
        fail(f"{len(errors)} of {CLIENTS} stream requests got no answer (first: {errors[0]!r})")
    kept = [s for s in streams if s.status == 200]
    refused = [s for s in streams if s.status == 503]
    others = [s.status for s in streams if s.status not in (200, 503)]
    if others:
        fail(f"unexpected statuses {sorted(set(others))}")
    if not kept or not refused:
        fail(f"expected both kept and refused streams, got {len(kept)} kept and {len(refused)} refused")
    r = refused[0].head
    if "too_many_streams" not in r or "retry-after:" not in r.lower():
        fail("a refused stream lacks the too_many_streams code or Retry-After: " + r[:400])
    listeners = [asyncio.create_task(s.listen()) for s in kept]
    # An upload and a read while the stream cap is reached.
    with open(IMAGE, "rb") as f:
        image = f.read()
    boundary = uuid.uuid4().hex
    body = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"car.jpg\"\r\n"
            f"Content-Type: image/jpeg\r\n\r\n").encode() + image + f"\r\n--{boundary}--\r\n".encode()
    status, head, payload = await request("POST", "/v1/recognise", body, {"Content-Type": f"multipart/form-data; boundary={boundary}"})
    if status // 100 != 2:
        fail(f"upload during overload answered {status}: {payload[:300]!r}")
    status, _, payload = await request("GET", "/v1/reads?limit=5")
    if status != 200:
        fail(f"read during overload answered {status}")
    # Events after the overload reach every kept client.
    sent = []
    for i in range(EVENTS):
        status, _, payload = await request("POST", "/v1/passes", pass_body(i),
                                           {"Content-Type": "application/json", "Idempotency-Key": str(uuid.uuid4())})
        if status != 201:
            fail(f"POST /v1/passes answered {status}: {payload[:300]!r}")
        sent.append(json.loads(payload)["id"])
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline and any(not set(sent) <= s.passes for s in kept):
        await asyncio.sleep(0.2)
    lost = sum(len(set(sent) - s.passes) for s in kept)
    if lost:
        fail(f"{lost} of {len(sent) * len(kept)} deliveries lost to the kept clients")
    for s in kept:
        s.close()
    for t in listeners:
        t.cancel()
    # Once they are gone, streams are accepted again (slots are freed as the server notices the closes).
    again = None
    for _ in range(100):
        s = Stream()
        await s.open()
        s.close()
        again = s.status
        if again == 200:
            break
        await asyncio.sleep(0.2)
    if again != 200:
        fail(f"after the clients left, a new stream answered {again}")
    print(json.dumps({"clients": CLIENTS, "kept": len(kept), "refused": len(refused), "events": len(sent),
                      "lost": lost, "seconds": round(time.monotonic() - t0, 1)}))


asyncio.run(main())
