#!/usr/bin/env python3
"""Loads a running broker with N of one kind of state over raw MQTT 3.1.1 sockets and keeps it there.

    probe.py PORT KIND N      KIND: idle | sessions | retained | subscriptions

idle: N connections that CONNECT and stay; sessions: N persistent sessions (clean session 0, one QoS 1
subscription each) left offline; retained: N retained messages of 64 bytes; subscriptions: N distinct filters on
one connection. Prints "ready" when the broker has acknowledged everything, then waits for stdin to close (the
connections it holds are part of what is measured). Every wait is bounded.
"""
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "clients"))
from mqtt_wire import TIMEOUT_S, connect, expect, packet, publish, subscribe  # noqa: E402


def open_connected(port, client_id, clean=True):
    sock = socket.create_connection(("127.0.0.1", port), timeout=TIMEOUT_S)
    sock.sendall(connect(client_id, clean))
    body = expect(sock, 2)
    if body[1] != 0:
        raise SystemExit(f"probe: CONNACK {body[1]} for {client_id}")
    return sock


def main():
    port, kind, n = int(sys.argv[1]), sys.argv[2], int(sys.argv[3])
    held = []
    if kind == "idle":
        held = [open_connected(port, f"idle-{i}") for i in range(n)]
    elif kind == "sessions":
        for i in range(n):
            sock = open_connected(port, f"session-{i}", clean=False)
            sock.sendall(subscribe(1, [f"s/{i}"], 1))
            expect(sock, 9)
            sock.sendall(packet(0xE0, b""))
            sock.close()
    elif kind == "retained":
        sock = open_connected(port, "retainer")
        payload = b"r" * 64
        for i in range(n):
            sock.sendall(publish(f"r/{i}", payload, 1, True, i % 65535 + 1))
        for _ in range(n):
            expect(sock, 4)
        held = [sock]
    elif kind == "subscriptions":
        sock = open_connected(port, "subscriber")
        batch = 100
        for start in range(0, n, batch):
            sock.sendall(subscribe(start // batch % 65535 + 1, [f"f/{i}/x" for i in range(start, min(n, start + batch))], 0))
        for _ in range(0, n, batch):
            expect(sock, 9)
        held = [sock]
    else:
        raise SystemExit(f"probe: unknown kind {kind}")
    print("ready", flush=True)
    sys.stdin.read()
    for sock in held:
        sock.close()


if __name__ == "__main__":
    main()
