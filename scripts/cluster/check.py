#!/usr/bin/env python3
"""Cross-instance checks against a running cluster (scripts/cluster.sh check; README,
"Several instances"). Two instances, A and B, share PostgreSQL and Redis behind nginx, the
edge. Each check talks to A and B directly where it matters which one answers, and through
the edge where the balancer is the point. Python's standard library only.

  1. A token issued by A works on B; a logout on A refuses it on B at once.
  2. Rate limits are shared: logins spread over A and B stop at the one limit; through the
     edge, the client is the address nginx saw (a forged X-Forwarded-For changes nothing),
     and another client keeps its own count.
  3. X-Request-Id crosses the edge both ways.
  4. One Idempotency-Key sent to A and B at once places one order.
  5. A socket on B receives the message posted through A.
  6. Each outbox event is handled once: a webhook receiver gets exactly one delivery per
     order.created, whichever instance placed the order.
"""

import argparse
import base64
import http.client
import json
import os
import socket
import struct
import sys
import threading
import time
import uuid
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import urlsplit

CLIENT = ("client@demo.2krika.com", "demo-password")
SELLER = ("vendeur@demo.2krika.com", "demo-password")


class Api:
    """One base URL, called from one local source address (127.0.0.x), so each check can be
    its own client as far as rate limits go."""

    def __init__(self, base, source="127.0.0.1"):
        parts = urlsplit(base)
        self.host, self.port, self.source = parts.hostname, parts.port, source
        self.name = base

    def call(self, method, path, body=None, token=None, headers=None):
        conn = http.client.HTTPConnection(
            self.host, self.port, timeout=20, source_address=(self.source, 0)
        )
        sent = dict(headers or {})
        if token:
            sent["Authorization"] = f"Bearer {token}"
        payload = None
        if body is not None:
            payload = json.dumps(body).encode()
            sent["Content-Type"] = "application/json"
        conn.request(method, path, body=payload, headers=sent)
        response = conn.getresponse()
        raw = response.read()
        conn.close()
        try:
            data = json.loads(raw) if raw else None
        except ValueError:
            data = raw.decode(errors="replace")
        return response.status, {k.lower(): v for k, v in response.getheaders()}, data

    def login(self, email, password):
        status, _, body = self.call(
            "POST", "/api/v1/auth/login", {"email": email, "password": password}
        )
        expect(status == 200, f"login {email} on {self.name}: {status} {body}")
        return body["data"]["accessToken"]

    def me(self, token):
        return self.call("GET", "/api/v1/users/me", token=token)


results = []


def expect(condition, message):
    if not condition:
        raise AssertionError(message)


def check(name):
    def wrap(fn):
        def run(*args):
            started = time.monotonic()
            try:
                detail = fn(*args) or ""
                results.append((name, True, detail, time.monotonic() - started))
            except AssertionError as error:
                results.append((name, False, str(error), time.monotonic() - started))
        return run
    return wrap


@check("a token from A works on B; a logout on A refuses it on B at once")
def tokens(a, b):
    token = a.login(*CLIENT)
    status, _, _ = b.me(token)
    expect(status == 200, f"B refused A's token: {status}")
    status, _, _ = a.call("POST", "/api/v1/auth/logout", {}, token=token)
    expect(status == 204, f"logout on A: {status}")
    status, _, _ = b.me(token)
    expect(status == 401, f"B still takes a token logged out on A: {status}")


def logins(targets, count, spoof=False):
    """Wrong-password logins, spread over `targets` in turn, paced beyond the limiter's
    100 ms exchange; returns how many were let through (401) rather than limited (429)."""
    allowed = 0
    for i in range(count):
        target = targets[i % len(targets)]
        headers = {"X-Forwarded-For": f"203.0.113.{i}"} if spoof else None
        status, _, body = target.call(
            "POST",
            "/api/v1/auth/login",
            {"email": "nobody@cluster.local", "password": "wrong-password"},
            headers=headers,
        )
        expect(status in (401, 429), f"login answered {status}: {body}")
        allowed += status == 401
        time.sleep(0.15)
    return allowed


@check("rate limits are shared, and count the client the edge saw")
def rate_limits(a, b, edge, limit):
    # The documented overshoot: one request per instance that had not yet heard of a client.
    spread = logins([Api(a.name, "127.0.0.2"), Api(b.name, "127.0.0.2")], 2 * limit)
    expect(limit <= spread <= limit + 2, f"{spread} of {2 * limit} logins over A and B let through (limit {limit})")
    forged = logins([Api(edge.name, "127.0.0.3")], 2 * limit, spoof=True)
    expect(limit <= forged <= limit + 2, f"{forged} let through with forged X-Forwarded-For (limit {limit})")
    other = logins([Api(edge.name, "127.0.0.4")], 1)
    expect(other == 1, "another client through the edge was limited too")
    return f"{spread} and {forged} of {2 * limit} through, limit {limit}"


@check("X-Request-Id crosses the edge")
def request_ids(edge):
    _, headers, _ = edge.call("GET", "/health", headers={"X-Request-Id": "cluster-check-42"})
    expect(headers.get("x-request-id") == "cluster-check-42", f"echoed {headers.get('x-request-id')}")
    _, headers, _ = edge.call("GET", "/health")
    expect(len(headers.get("x-request-id", "")) >= 16, f"generated {headers.get('x-request-id')}")


def order_body(a):
    status, _, body = a.call("GET", "/api/v1/services?limit=1")
    expect(status == 200 and body["data"]["items"], f"no service to order: {status}")
    service = body["data"]["items"][0]["id"]
    _, _, body = a.call("GET", f"/api/v1/services/{service}")
    return {
        "serviceId": service,
        "packageId": body["data"]["packages"][0]["id"],
        "extras": [],
        "requirements": "Un logo pour ma boutique, bleu et or.",
        "payment": {"method": "card", "token": "tok_visa"},
    }


def purchases(api, token):
    _, _, body = api.call("GET", "/api/v1/orders/purchases?limit=1", token=token)
    return body["data"]["pagination"]["total"]


@check("one Idempotency-Key sent to A and B at once places one order")
def idempotency(a, b, buyer):
    body, key = order_body(a), str(uuid.uuid4())
    before = purchases(a, buyer)
    barrier, answers = threading.Barrier(2), {}

    def send(api):
        barrier.wait()
        answers[api.name] = api.call("POST", "/api/v1/orders", body, token=buyer, headers={"Idempotency-Key": key})

    threads = [threading.Thread(target=send, args=(api,)) for api in (a, b)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    ids = set()
    for api in (a, b):
        status, headers, answer = answers[api.name]
        # A client retries a 409 "still being processed" until it gets the answer.
        for _ in range(50):
            if status != 409:
                break
            time.sleep(0.1)
            status, headers, answer = api.call("POST", "/api/v1/orders", body, token=buyer, headers={"Idempotency-Key": key})
        expect(status == 201, f"{api.name}: {status} {answer}")
        ids.add(answer["data"]["id"])
    expect(len(ids) == 1, f"two orders for one key: {ids}")
    after = purchases(b, buyer)
    expect(after == before + 1, f"{after - before} orders placed")
    return f"order {ids.pop()}"


def ws_open(api, token):
    sock = socket.create_connection((api.host, api.port), timeout=10)
    key = base64.b64encode(os.urandom(16)).decode()
    sock.sendall(
        (
            f"GET /api/v1/ws?token={token} HTTP/1.1\r\nHost: {api.host}:{api.port}\r\n"
            f"Upgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: {key}\r\n"
            "Sec-WebSocket-Version: 13\r\n\r\n"
        ).encode()
    )
    head = b""
    while not head.endswith(b"\r\n\r\n"):
        chunk = sock.recv(1)
        expect(chunk, "socket closed during the upgrade")
        head += chunk
    expect(b" 101 " in head.split(b"\r\n")[0], f"upgrade refused: {head[:60]!r}")
    return sock


def exactly(sock, n):
    data = b""
    while len(data) < n:
        chunk = sock.recv(n - len(data))
        expect(chunk, "socket closed")
        data += chunk
    return data


def ws_text_frames(sock, seconds):
    """Text frames until `seconds` pass; answers pings (client frames are masked)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        sock.settimeout(max(0.05, deadline - time.monotonic()))
        try:
            first, second = exactly(sock, 2)
        except (socket.timeout, TimeoutError):
            return
        opcode, length = first & 0x0F, second & 0x7F
        if length == 126:
            length = struct.unpack("!H", exactly(sock, 2))[0]
        elif length == 127:
            length = struct.unpack("!Q", exactly(sock, 8))[0]
        payload = exactly(sock, length)
        if opcode == 1:
            yield json.loads(payload)
        elif opcode == 8:
            return
        elif opcode == 9:
            mask = os.urandom(4)
            masked = bytes(byte ^ mask[i % 4] for i, byte in enumerate(payload))
            sock.sendall(bytes([0x8A, 0x80 | len(payload)]) + mask + masked)


@check("a socket on B receives the message posted through A")
def sockets(a, b, buyer):
    seller = b.login(*SELLER)
    _, _, me = b.me(seller)
    sock = ws_open(b, seller)
    try:
        first = next(ws_text_frames(sock, 5), None)
        expect(first and first["type"] == "ready", f"first frame {first}")
        content = f"Bonjour depuis A ({uuid.uuid4()})"
        status, _, body = a.call(
            "POST", "/api/v1/messages", {"recipientId": me["data"]["id"], "content": content}, token=buyer
        )
        expect(status == 201, f"posting on A: {status} {body}")
        for frame in ws_text_frames(sock, 5):
            if frame["type"] == "message.created" and frame["data"].get("content") == content:
                return
        raise AssertionError("the message never reached the socket on B")
    finally:
        sock.close()


class Receiver(BaseHTTPRequestHandler):
    got = []
    lock = threading.Lock()

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("content-length", 0)))
        with Receiver.lock:
            Receiver.got.append((self.headers.get("webhook-id"), json.loads(body)))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args):
        pass


@check("each outbox event is handled once: one webhook delivery per order.created")
def webhooks(a, b, admin, buyer, orders):
    server = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/hooks"
        status, _, body = a.call("POST", "/api/v1/admin/webhooks", {"url": url, "events": ["order.created"]}, token=admin)
        expect(status == 201, f"registering the receiver: {status} {body}")
        body = order_body(a)
        placed = []
        for i in range(orders):
            api = (a, b)[i % 2]
            status, _, answer = api.call("POST", "/api/v1/orders", body, token=buyer)
            expect(status == 201, f"order on {api.name}: {status} {answer}")
            placed.append(answer["data"]["id"])
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline and len(Receiver.got) < orders:
            time.sleep(0.2)
        time.sleep(2)  # anything extra would come now
        with Receiver.lock:
            got = list(Receiver.got)
        ids = [hook_id for hook_id, _ in got]
        orders_seen = sorted(event["data"]["orderId"] for _, event in got)
        expect(len(set(ids)) == len(ids), f"a delivery id twice: {ids}")
        expect(orders_seen == sorted(placed), f"{len(got)} deliveries for {len(placed)} orders")
        return f"{len(got)} deliveries for {len(placed)} orders"
    finally:
        server.shutdown()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--edge", required=True)
    parser.add_argument("--a", required=True)
    parser.add_argument("--b", required=True)
    parser.add_argument("--admin", required=True, help="email:password")
    parser.add_argument("--auth-limit", type=int, required=True)
    parser.add_argument("--orders", type=int, default=8)
    args = parser.parse_args()
    a, b, edge = Api(args.a), Api(args.b), Api(args.edge)

    # Rate limits first, from addresses of their own: the others log in from 127.0.0.1.
    rate_limits(a, b, edge, args.auth_limit)
    request_ids(edge)
    tokens(a, b)
    buyer = a.login(*CLIENT)
    admin = b.login(*args.admin.split(":", 1))
    idempotency(a, b, buyer)
    sockets(a, b, buyer)
    webhooks(a, b, admin, buyer, args.orders)

    width = max(len(name) for name, *_ in results)
    for name, ok, detail, seconds in results:
        print(f"{'ok  ' if ok else 'FAIL'} {name:<{width}}  {seconds:5.1f} s  {detail}")
    failed = [name for name, ok, *_ in results if not ok]
    print(f"cluster: {len(results) - len(failed)} of {len(results)} checks hold")
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
