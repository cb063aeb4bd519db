#!/usr/bin/env python3
"""Mixed real clients against a running broker for a bounded time, sampling the broker's memory and descriptors.

    soak.py PORT BROKER_PID MINUTES

Behaviours, one thread each, all the time: connect/disconnect churn; QoS 0, 1 and 2 publishers; retained
messages on a bounded set of topics; clients that leave with a will (socket dropped, no DISCONNECT); takeovers
(a second connection with a client id in use); a slow consumer that subscribes at QoS 1 and never reads; a slow
reader that reads and acknowledges 50 messages a second and reconnects to its persistent session now and then; a
subscriber that reads everything; sockets that never send CONNECT (the broker must close them, connect_timeout);
spoofed $SYS publishes (never delivered to the reader); and, when mosquitto_pub/_sub are installed, a
third-party MQTT 5 client publishing at QoS 2 with a user property and reading retained messages. Every 10 s it prints the broker's live heap (after a full collection, through
jcmd), RSS, threads and open descriptors; at the end it compares the last third of the samples with the first
third after a warm-up and says whether the live heap, threads or descriptors grew without bound. RSS is shown
but not judged: it follows the heap's size, which G1 grows towards its bound and shrinks when idle. Exit status 1 if something did, or a client saw an error it should not.
"""
import os
import re
import shutil
import socket
import subprocess
import struct
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
from mqtt_wire import connect, expect, packet, publish, read_packet, read_packet_with_flags, subscribe  # noqa: E402

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


def slow_reader(i):
    """A persistent QoS 1 subscriber that reads slowly: the broker keeps its backlog bounded and resends on resume."""
    sock = open_client("slow-reader", clean=False)
    sock.sendall(subscribe(1, ["soak/data/1"], 1))
    expect(sock, 9)
    sock.settimeout(5)
    try:
        for _ in range(200):
            first, body = read_packet_with_flags(sock)
            if first >> 4 == 3 and (first >> 1) & 3 == 1:
                topic_end = 2 + (body[0] << 8 | body[1])
                sock.sendall(packet(0x40, body[topic_end:topic_end + 2]))  # PUBACK
            time.sleep(0.02)
    except socket.timeout:
        pass
    sock.close()  # no DISCONNECT: the session keeps what is unacknowledged


def silent(i):
    """Ten sockets that never send CONNECT: each must be closed by the broker (connect_timeout, 10 s by default)."""
    socks = [socket.create_connection(("127.0.0.1", PORT), timeout=30) for _ in range(10)]
    try:
        for s in socks:
            if s.recv(1) != b"":
                raise RuntimeError("a socket that sent nothing got bytes from the broker")
    finally:
        for s in socks:
            s.close()


SPOOF = b"spoofed by a client"


def sys_spoof(i):
    """A client publishing to $SYS (QoS 1, retained): acknowledged, never routed nor retained (the reader checks)."""
    sock = open_client("sys-spoofer")
    sock.sendall(publish("$SYS/broker/version", SPOOF, 1, True, 1))
    expect(sock, 4)
    sock.sendall(packet(0xE0, b""))
    sock.close()
    time.sleep(1)


def third_party(i):
    """mosquitto_pub / mosquitto_sub over MQTT 5: QoS 2 with a user property, then a retained message read back."""
    common = ["-h", "127.0.0.1", "-p", str(PORT), "-V", "mqttv5"]
    subprocess.run(["mosquitto_pub", *common, "-q", "2", "-t", f"soak/mosq/{i % 10}", "-m", "m" * 100,
                    "-D", "publish", "user-property", "origin", "soak"], check=True, timeout=20,
                   capture_output=True)
    got = subprocess.run(["mosquitto_sub", *common, "-t", f"soak/retained/{i % 1000}", "-C", "1", "-W", "10"],
                         timeout=20, capture_output=True)
    if got.returncode not in (0, 27):  # 27: timed out (the retained topic may not be written yet)
        raise RuntimeError(f"mosquitto_sub exit {got.returncode}: {got.stderr!r}")
    time.sleep(0.2)


def slow_consumer_setup():
    sock = open_client("slow-consumer", clean=False)
    sock.sendall(subscribe(1, ["soak/data/#"], 1))
    expect(sock, 9)
    return sock  # never read again: the broker must bound what it keeps for it


def reader():
    sock = open_client("reader")
    sock.sendall(subscribe(1, ["soak/#", "$SYS/broker/version"], 0))
    sock.settimeout(1)
    while running():
        try:
            kind, body = read_packet(sock)
            if kind == 3 and body.endswith(SPOOF):
                with lock:
                    errors.append("reader: a client's $SYS publish was delivered")
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
               behaviour("slow_reader", slow_reader), behaviour("silent", silent),
               behaviour("sys_spoof", sys_spoof),
               threading.Thread(target=reader, name="reader", daemon=True)]
    if shutil.which("mosquitto_pub") and shutil.which("mosquitto_sub"):
        threads.append(behaviour("mqtt5_mosquitto_clients", third_party))
    else:
        print("mosquitto_pub/_sub not installed: no third-party MQTT 5 client in this run", flush=True)
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
