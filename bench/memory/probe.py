#!/usr/bin/env python3
"""Loads a running broker with N of one kind of state over raw MQTT 3.1.1 sockets and keeps it there.

    probe.py PORT KIND N      KIND: idle | sessions | retained | subscriptions

idle: N connections that CONNECT and stay; sessions: N persistent sessions (clean session 0, one QoS 1
subscription each) left offline; retained: N retained messages of 64 bytes; subscriptions: N distinct filters on
one connection. Prints "ready" when the broker has acknowledged everything, then waits for stdin to close (the
connections it holds are part of what is measured). Every wait is bounded.
"""
import socket
import struct
import sys

TIMEOUT_S = 30


def remaining_length(n):
    out = bytearray()
    while True:
        digit, n = n % 128, n // 128
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string(s):
    b = s.encode()
    return struct.pack("!H", len(b)) + b


def packet(first, body):
    return bytes([first]) + remaining_length(len(body)) + body


def connect(client_id, clean=True):
    flags = 0x02 if clean else 0x00
    return packet(0x10, string("MQTT") + bytes([4, flags]) + struct.pack("!H", 0) + string(client_id))


def subscribe(packet_id, filters, qos):
    body = struct.pack("!H", packet_id) + b"".join(string(f) + bytes([qos]) for f in filters)
    return packet(0x82, body)


def publish(topic, payload, qos, retain, packet_id):
    body = string(topic) + (struct.pack("!H", packet_id) if qos else b"") + payload
    return packet(0x30 | qos << 1 | (1 if retain else 0), body)


def read_packet(sock):
    def exactly(n):
        data = bytearray()
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise SystemExit("probe: the broker closed a connection")
            data += chunk
        return bytes(data)
    first = exactly(1)[0]
    length, shift = 0, 0
    while True:
        digit = exactly(1)[0]
        length |= (digit & 0x7F) << shift
        shift += 7
        if not digit & 0x80:
            break
    return first >> 4, exactly(length)


def expect(sock, packet_type):
    while True:
        kind, body = read_packet(sock)
        if kind == packet_type:
            return body
        if kind != 3:  # a retained $SYS message or the like may come first
            raise SystemExit(f"probe: expected packet type {packet_type}, got {kind}")


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
