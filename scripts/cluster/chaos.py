#!/usr/bin/env python3
"""Faults, with nothing lost (scripts/cluster.sh chaos, `make chaos`; README, "Faults").

A buyer places orders through nginx, each with its own Idempotency-Key, retrying a key
until it gets an answer as a careful client does; a seller asks for payouts the same way.
Orders pay with the sandbox's slow token (300 ms per charge), so faults land between a
charge and its order's commit. While they run, the script:
  1. stops PostgreSQL for 4 s: requests must get 503 (never 500), /ready 503, and both
     instances serve again within 5 s of PostgreSQL's return, without a restart;
  2. stops Redis for 4 s: REST keeps serving, and resumes its use of Redis by itself;
  3. stops the SMTP server and the webhook receiver for 3 s: mails and deliveries are
     retried and arrive once they are back;
  4. kills instance A with SIGKILL, and restarts it 2 s later.
Then it checks that every acknowledged order exists once, that every charge (the sandbox
gateway's, from the instances' logs) is either an acknowledged order's or voided, that the
ledger holds (`krika-cli check-ledger`), and that every order.created reached the webhook
receiver; and prints a table: fault, requests, answers by status, recovery time.
"""

import argparse
import email
import email.policy
import glob
import json
import os
import re
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter, defaultdict
from http.server import ThreadingHTTPServer

from check import CLIENT, SELLER, Api, Receiver, expect, order_body

phase = "start"
lock = threading.Lock()
answers = defaultdict(Counter)  # phase -> status -> count
requests_in = Counter()


def record(status):
    with lock:
        answers[phase][status] += 1
        requests_in[phase] += 1


def call(api, *args, **kwargs):
    """One try; a connection that fails (an instance killed mid-request) is status 0."""
    try:
        status, headers, body = api.call(*args, **kwargs)
    except OSError:
        status, headers, body = 0, {}, None
    record(status)
    return status, headers, body


class Client(threading.Thread):
    """Places orders (or payouts), one key at a time, retrying each key until answered."""

    def __init__(self, edge, token, make_body, path, prefix):
        super().__init__(daemon=True)
        self.edge, self.token, self.make_body, self.path = edge, token, make_body, path
        self.prefix, self.stop, self.acked, self.refused = prefix, False, {}, 0
        self.when = {}  # id -> the phase it was acknowledged in
        self.once = False  # one key only
        self.edge_after_failure = edge  # where retries go

    def run(self):
        while not self.stop or self.once:
            key, body = f"{self.prefix}-{uuid.uuid4()}", self.make_body()
            api = self.edge
            while True:
                status, _, answer = call(api, "POST", self.path, body, token=self.token, headers={"Idempotency-Key": key})
                api = self.edge_after_failure
                if status in (200, 201):
                    self.acked[key] = answer["data"]["id"]
                    self.when[answer["data"]["id"]] = phase
                    break
                if status in (0, 409, 429, 502, 503, 504) or status >= 500:
                    time.sleep(0.2)  # the same key again: never a second order
                    continue
                self.refused += 1  # a business refusal (e.g. not enough money): next key
                time.sleep(0.5)
                break
            if self.once:
                return
            time.sleep(0.05)


def services(action, which):
    subprocess.run(["scripts/services.sh", action, "test", which], check=True, capture_output=True)


def wait_until(predicate, seconds):
    started = time.monotonic()
    while time.monotonic() - started < seconds:
        if predicate():
            return time.monotonic() - started
        time.sleep(0.1)
    return None


def ready(api):
    try:
        return api.call("GET", "/ready")[0] == 200
    except OSError:
        return False


def main():
    global phase
    p = argparse.ArgumentParser()
    p.add_argument("--edge", required=True)
    p.add_argument("--a", required=True)
    p.add_argument("--b", required=True)
    p.add_argument("--dir", required=True, help="the cluster's directory (pid files, logs)")
    p.add_argument("--api-bin", required=True)
    p.add_argument("--cli-bin", required=True)
    p.add_argument("--maildir", required=True)
    args = p.parse_args()
    edge, a, b = Api(args.edge), Api(args.a), Api(args.b)
    run = uuid.uuid4().hex[:8]
    rows, failures = [], []

    receiver = ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    hook_port = receiver.server_address[1]
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    admin = a.login(*os.environ["CHAOS_ADMIN"].split(":", 1))
    status, _, body = a.call("POST", "/api/v1/admin/webhooks", {"url": f"http://127.0.0.1:{hook_port}/hooks", "events": ["order.created"]}, token=admin)
    expect(status == 201, f"webhook: {status} {body}")

    buyer, seller = a.login(*CLIENT), a.login(*SELLER)
    # tok_slow: each charge takes 300 ms, so outages land between charges and commits.
    template = dict(order_body(a), payment={"method": "card", "token": "tok_slow"})
    payout = {"amount": 1000, "method": "mobile_money", "details": {"provider": "wave", "phone": "+221770000000"}}
    orders = Client(edge, buyer, lambda: template, "/api/v1/orders", f"chaos-{run}")
    payouts = Client(edge, seller, lambda: payout, "/api/v1/wallet/payout", f"chaos-pay-{run}")
    orders.start()
    payouts.start()

    def window(name, seconds):
        global phase
        phase = name
        time.sleep(seconds)

    def row(name, recovery):
        seen = answers[name]
        rows.append((name, requests_in[name], dict(sorted(seen.items())), recovery))

    window("steady", 3)
    row("steady", None)

    # 1. PostgreSQL stops, then returns: orders sit in their slow charge when it does.
    phase = "PostgreSQL down"
    services("stop", "pg")
    time.sleep(1)
    ready_during = [a.call("GET", "/ready")[0], b.call("GET", "/ready")[0]]
    time.sleep(3)
    services("start", "pg")
    back = wait_until(lambda: ready(a) and ready(b) and a.call("GET", "/api/v1/services?limit=1")[0] == 200 and b.call("GET", "/api/v1/services?limit=1")[0] == 200, 30)
    window("PostgreSQL down", 2)
    row("PostgreSQL down", back)
    if ready_during != [503, 503]:
        failures.append(f"/ready during the outage answered {ready_during}, not 503")
    if back is None or back > 5:
        failures.append(f"instances served again {back} s after PostgreSQL returned (at most 5 s)")
    if answers["PostgreSQL down"][500]:
        failures.append(f"{answers['PostgreSQL down'][500]} answers were 500 during the outage")

    # 2. Redis stops, then returns.
    phase = "Redis down"
    services("stop", "redis")
    time.sleep(4)
    services("start", "redis")
    back = wait_until(lambda: ready(a) and ready(b), 30)
    window("Redis down", 2)
    row("Redis down", back)
    failed = sum(n for s, n in answers["Redis down"].items() if s >= 500 or s == 0)
    if failed:
        failures.append(f"{failed} requests failed while Redis was down")

    # 3. SMTP and the webhook receiver go away for a while.
    phase = "SMTP + receiver down"
    services("stop", "smtp")
    receiver.shutdown()
    receiver.server_close()
    time.sleep(3)
    services("start", "smtp")
    receiver = ThreadingHTTPServer(("127.0.0.1", hook_port), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    window("SMTP + receiver down", 2)
    row("SMTP + receiver down", None)

    # 4. SIGKILL A mid-stream, while an order sent to it sits between its charge and its
    #    commit; a supervisor would start A again. Last: the key A held answers 409 until
    #    its claim is stale (a minute), then the retry, through B, gets A's charge back.
    phase = "kill A"
    pidfile = os.path.join(args.dir, "api-a.pid")
    a_log = os.path.join(args.dir, "api-a.log")
    charged_before = open(a_log, errors="replace").read().count("sandbox charge")
    # One order sent to A itself, killed 150 ms in: charged, not yet committed.
    doomed = Client(a, buyer, lambda: template, "/api/v1/orders", f"chaos-doomed-{run}")
    doomed.edge_after_failure = edge
    doomed.once = True
    doomed.start()
    time.sleep(0.15)
    os.kill(int(open(pidfile).read()), signal.SIGKILL)
    charged_a = open(a_log, errors="replace").read().count("sandbox charge") - charged_before
    time.sleep(2)
    env = dict(os.environ, PORT=str(Api(args.a).port), HOST="127.0.0.1", AUTO_MIGRATE="false", TRUSTED_PROXIES="127.0.0.1")
    log = open(os.path.join(args.dir, "api-a.log"), "a")
    proc = subprocess.Popen([args.api_bin], env=env, stdout=log, stderr=log, start_new_session=True)
    open(pidfile, "w").write(str(proc.pid))
    back = wait_until(lambda: ready(a), 20)
    window("kill A", 2)
    row("kill A", back)

    # Until every key is answered (a key A held waits out its claim).
    phase = "end"
    started = time.monotonic()
    orders.stop = payouts.stop = doomed.stop = True
    orders.join()
    payouts.join()
    doomed.join()
    row("end", time.monotonic() - started)
    orders.acked.update(doomed.acked)
    orders.when.update(doomed.when)
    if not doomed.acked:
        failures.append("the order A was killed under was never answered")
    if charged_a < 1:
        failures.append("A was killed before it charged anything: the kill missed its window")

    # --- invariants ---------------------------------------------------------------------
    acked = list(orders.acked.values())
    if len(set(acked)) != len(acked):
        failures.append("one order acknowledged under two keys")
    numbers = {}
    for key, order in orders.acked.items():
        status, _, body = a.call("GET", f"/api/v1/orders/{order}", token=buyer)
        if status != 200:
            failures.append(f"acknowledged order {order} is missing ({status})")
        else:
            numbers[body["data"]["number"]] = order
    # A keyed charge's id follows from the claim's attempt, so a retry that gets the same
    # charge back logs the same id again: count ids, not lines.
    charges, voided = set(), set()
    for path in glob.glob(os.path.join(args.dir, "api-*.log")):
        for line in open(path, errors="replace"):
            match = re.search(r'charge"?[:=]"?(sandbox_[0-9a-f]+)', line)
            if match and "sandbox charge" in line:
                charges.add(match.group(1))
            elif match and "sandbox void" in line:
                voided.add(match.group(1))
    held = charges - voided
    if len(held) > len(acked):
        failures.append(f"{len(held) - len(acked)} charges without an order nor a void")
    if len(held) < len(acked):
        failures.append(f"{len(acked) - len(held)} acknowledged orders without a charge")
    ledger = subprocess.run([args.cli_bin, "check-ledger"], capture_output=True, text=True)
    if ledger.returncode != 0:
        failures.append(ledger.stderr.strip() or ledger.stdout.strip())

    # An event claimed (or a delivery leased) by the killed instance waits out its 60 s lease.
    delivered = wait_until(lambda: set(acked) <= {e["data"]["orderId"] for _, e in Receiver.got}, 90)
    if delivered is None:
        missing = set(acked) - {e["data"]["orderId"] for _, e in Receiver.got}
        phases = Counter(orders.when[m] for m in missing)
        failures.append(f"{len(missing)} order.created never reached the receiver (placed during {dict(phases)})")

    def mailed():
        text = ""
        for path in glob.glob(os.path.join(args.maildir, "new", "*")):
            with open(path, "rb") as f:
                mail = email.message_from_binary_file(f, policy=email.policy.default)
            text += str(mail["subject"])
            for part in mail.walk():
                if part.get_content_maintype() == "text":
                    text += part.get_content()
        return all(number in text for number in numbers)

    mails = wait_until(mailed, 60)
    if mails is None:
        failures.append("some order confirmations were never mailed")

    print(f"{'fault':<22} {'requests':>8}  {'answers by status (0: connection failed)':<44} {'recovery':>9}")
    for name, count, seen, recovery in rows:
        recovered = "—" if recovery is None else f"{recovery:.1f} s"
        print(f"{name:<22} {count:>8}  {json.dumps(seen):<44} {recovered:>9}")
    print(
        f"orders acknowledged {len(acked)} (all found, {len(charges)} charges, {len(voided)} voided), "
        f"payouts {len(payouts.acked)} ({payouts.refused} refused: funds), webhooks delivered "
        f"{'all' if delivered is not None else 'NOT all'}, mails {'all' if mails is not None else 'NOT all'}, "
        f"ledger {'holds' if ledger.returncode == 0 else 'BROKEN'}"
    )
    for failure in failures:
        print(f"FAIL {failure}")
    print("chaos: every invariant held" if not failures else f"chaos: {len(failures)} invariant(s) broken")
    sys.exit(1 if failures else 0)


if __name__ == "__main__":
    main()
