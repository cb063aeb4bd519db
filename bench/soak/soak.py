#!/usr/bin/env python3
"""Mixed real clients against a running broker for a bounded time, sampling the broker's memory and descriptors.

    soak.py PORT BROKER_PID MINUTES

Behaviours, one thread each, all the time: connect/disconnect churn; QoS 0, 1 and 2 publishers; retained
messages on a bounded set of topics; clients that leave with a will (socket dropped, no DISCONNECT); takeovers
(a second connection with a client id in use); a slow consumer that subscribes at QoS 1 and never reads; a
subscriber that reads everything. Every 10 s it prints the broker's live heap (after a full collection, through
jcmd), RSS, threads and open descriptors; at the end it compares the last third of the samples with the first
third after a warm-up and says whether the live heap, threads or descriptors grew without bound. RSS is shown
but not judged: it follows the heap's size, which G1 grows towards its bound and shrinks when idle. Exit status 1 if something did, or a client saw an error it should not.
"""
import os
import re
import socket
import subprocess
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
from mqtt_wire import connect, expect, packet, publish, read_packet, subscribe  # noqa: E402

PORT, PID, MINUTES = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3])
DEADLINE = time.monotonic() + MINUTES * 60
errors = []
counts = {}
lock = threading.Lock()


def count(name):
    with lock:
        counts[name] = counts.get(name, 0) + 1


def running():
    return time.monotonic() < DEADLINE


def open_client(client_id, clean=True, will=None):
    sock = socket.create_connection(("127.0.0.1", PORT), timeout=10)
    sock.sendall(connect(client_id, clean, will))
    body = expect(sock, 2)
    if body[1] != 0:
        raise RuntimeError(f"CONNACK {body[1]} for {client_id}")
    return sock


def behaviour(name, step):
    def loop():
        i = 0
        while running():
            try:
                step(i)
                count(name)
            except Exception as e:  # a behaviour must never fail; record and go on
                with lock:
                    errors.append(f"{name}: {e!r}")
                time.sleep(0.5)
            i += 1
    return threading.Thread(target=loop, name=name, daemon=True)


def churn(i):
    sock = open_client(f"churn-{i % 500}", clean=i % 2 == 0)
    sock.sendall(subscribe(1, [f"soak/churn/{i % 50}"], 1))
    expect(sock, 9)
    sock.sendall(packet(0xE0, b""))
    sock.close()
    time.sleep(0.01)


def publisher(qos):
    state = {}

    def step(i):
        sock = state.get("sock") or open_client(f"pub-qos{qos}")
        state["sock"] = sock
        for k in range(20):
            sock.sendall(publish(f"soak/data/{k % 10}", b"p" * 200, qos, False, (i * 20 + k) % 65535 + 1))
            if qos == 1:
                expect(sock, 4)
            elif qos == 2:
                expect(sock, 5)
                sock.sendall(packet(0x62, struct.pack("!H", (i * 20 + k) % 65535 + 1)))
                expect(sock, 7)
        time.sleep(0.05)
    return step


def retained(i):
    sock = open_client("retainer")
    for k in range(50):
        sock.sendall(publish(f"soak/retained/{(i * 50 + k) % 1000}", b"r" * 100, 1, True, k + 1))
        expect(sock, 4)
    sock.sendall(packet(0xE0, b""))
    sock.close()


def will_leaver(i):
    sock = open_client(f"willer-{i % 100}", will=("soak/will", b"gone"))
    sock.close()  # no DISCONNECT: the broker publishes the will
    time.sleep(0.02)


def takeover(i):
    first = open_client("taken-over")
    second = open_client("taken-over")
    second.sendall(packet(0xE0, b""))
    second.close()
    first.close()
    time.sleep(0.02)


def slow_consumer_setup():
    sock = open_client("slow-consumer", clean=False)
    sock.sendall(subscribe(1, ["soak/data/#"], 1))
    expect(sock, 9)
    return sock  # never read again: the broker must bound what it keeps for it


def reader():
    sock = open_client("reader")
    sock.sendall(subscribe(1, ["soak/#"], 0))
    sock.settimeout(1)
    while running():
        try:
            read_packet(sock)
            count("read")
        except socket.timeout:
            pass
    sock.close()


def live_heap_mb():
    subprocess.run(["jcmd", str(PID), "GC.run"], capture_output=True, timeout=60)
    info = subprocess.run(["jcmd", str(PID), "GC.heap_info"], capture_output=True, text=True, timeout=60).stdout
    used = re.search(r" used (\d+)K", info)
    return int(used.group(1)) // 1024 if used else -1


def sample():
    with open(f"/proc/{PID}/status") as f:
        fields = dict(line.split(":", 1) for line in f)
    return (live_heap_mb(), int(fields["Threads"]), len(os.listdir(f"/proc/{PID}/fd")),
            int(fields["VmRSS"].split()[0]) // 1024)


def main():
    slow = slow_consumer_setup()
    threads = [behaviour("churn", churn), behaviour("qos0", publisher(0)), behaviour("qos1", publisher(1)),
               behaviour("qos2", publisher(2)), behaviour("retained", retained),
               behaviour("will", will_leaver), behaviour("takeover", takeover),
               threading.Thread(target=reader, name="reader", daemon=True)]
    for t in threads:
        t.start()
    samples = []
    start = time.monotonic()
    while running():
        time.sleep(min(10, max(0, DEADLINE - time.monotonic())))
        heap, threads_now, fds, rss = sample()
        samples.append((heap, threads_now, fds))
        print(f"{time.monotonic() - start:6.0f} s  live heap {heap} MB  RSS {rss} MB  threads {threads_now}  fds {fds}  "
              f"{dict(sorted(counts.items()))}", flush=True)
    for t in threads:
        t.join(timeout=15)
    slow.close()
    verdict(samples)


def verdict(samples):
    grew = []
    if len(samples) >= 6:
        warm = samples[len(samples) // 6:]
        third = max(1, len(warm) // 3)
        first, last = warm[:third], warm[-third:]
        for index, name, slack in ((0, "live heap", 1.25), (1, "threads", 1.0), (2, "fds", 1.1)):
            before = sorted(s[index] for s in first)[len(first) // 2]
            after = sorted(s[index] for s in last)[len(last) // 2]
            print(f"{name}: median {before} in the first third, {after} in the last")
            if after > before * slack + 2:
                grew.append(name)
    else:
        print("too short a run to judge growth (needs 60 s or more)")
    print(f"errors seen by clients: {len(errors)}" + (f", first: {errors[:3]}" if errors else ""))
    print("grew without bound: " + (", ".join(grew) if grew else "nothing"))
    sys.exit(1 if grew or errors else 0)


if __name__ == "__main__":
    main()
