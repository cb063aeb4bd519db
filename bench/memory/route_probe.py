#!/usr/bin/env python3
"""Routing time at socket level as unrelated subscriptions grow: one subscriber on "route/one", a publisher sends
QoS 0 messages there one at a time and times each from its write to its arrival at the subscriber; then another
connection adds N unrelated filters ("f/I/x") and the same is timed again.

    route_probe.py PORT N [MESSAGES]      prints p50 and p99 in microseconds: without the N filters, right after
                                          they were added, and once more

Any MQTT 3.1.1 broker; every wait is bounded (mqtt_wire.TIMEOUT_S).
"""
import os
import socket
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
from mqtt_wire import TIMEOUT_S, connect, expect, publish, read_packet, subscribe  # noqa: E402


def connected(port, client_id):
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.sendall(connect(client_id))
    expect(sock, 2)
    return sock


def timed(pub, sub, messages):
    packet = publish("route/one", b"x" * 64, 0, False, 0)
    times = []
    for _ in range(messages):
        start = time.perf_counter()
        pub.sendall(packet)
        read_packet(sub)
        times.append(time.perf_counter() - start)
    times.sort()
    return times[len(times) // 2] * 1e6, times[int(len(times) * 0.99)] * 1e6


def main():
    port, n = int(sys.argv[1]), int(sys.argv[2])
    messages = int(sys.argv[3]) if len(sys.argv) > 3 else 2000
    sub = connected(port, "route-sub")
    sub.sendall(subscribe(1, ["route/one"], 0))
    expect(sub, 9)
    pub = connected(port, "route-pub")
    timed(pub, sub, messages)  # warm-up
    before = timed(pub, sub, messages)
    other = connected(port, "route-unrelated")
    batch = 100
    for start in range(0, n, batch):
        other.sendall(subscribe(start // batch % 65535 + 1, [f"f/{i}/x" for i in range(start, min(n, start + batch))], 0))
    for _ in range(0, n, batch):
        expect(other, 9)
    after = timed(pub, sub, messages)
    # the same again: the first round after the subscriptions also meets the collections their garbage causes
    again = timed(pub, sub, messages)
    print(f"p50 {before[0]:.0f} -> {after[0]:.0f} -> {again[0]:.0f} us, p99 {before[1]:.0f} -> {after[1]:.0f} -> "
          f"{again[1]:.0f} us with {n} unrelated filters ({messages} messages each; before, right after, again)")


if __name__ == "__main__":
    main()
