"""Hand-made MQTT 3.1.1 packets over plain sockets, for the scripts in bench/ that need many raw clients."""
import struct

TIMEOUT_S = 30


def remaining_length(n):
    out = bytearray()
    while True:
        digit, n = n % 128, n // 128
        out.append(digit | (0x80 if n else 0))
        if not n:
            return bytes(out)


def string(s):
    b = s.encode() if isinstance(s, str) else s
    return struct.pack("!H", len(b)) + b


def packet(first, body):
    return bytes([first]) + remaining_length(len(body)) + body


def connect(client_id, clean=True, will=None):
    """CONNECT, keepalive 0; will is (topic, payload bytes) published at QoS 0."""
    flags = (0x02 if clean else 0x00) | (0x04 if will else 0)
    body = string("MQTT") + bytes([4, flags]) + struct.pack("!H", 0) + string(client_id)
    if will:
        body += string(will[0]) + string(will[1])
    return packet(0x10, body)


def subscribe(packet_id, filters, qos):
    body = struct.pack("!H", packet_id) + b"".join(string(f) + bytes([qos]) for f in filters)
    return packet(0x82, body)


def publish(topic, payload, qos, retain, packet_id):
    body = string(topic) + (struct.pack("!H", packet_id) if qos else b"") + payload
    return packet(0x30 | qos << 1 | (1 if retain else 0), body)


def read_packet(sock):
    """The next packet as (type, body); fails when the broker closes the connection."""
    first, body = read_packet_with_flags(sock)
    return first >> 4, body


def read_packet_with_flags(sock):
    """The next packet as (first byte, body): the flags tell a PUBLISH's QoS."""
    def exactly(n):
        data = bytearray()
        while len(data) < n:
            chunk = sock.recv(n - len(data))
            if not chunk:
                raise ConnectionError("the broker closed the connection")
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
    return first, exactly(length)


def expect(sock, packet_type):
    """The body of the next packet of that type; PUBLISH packets before it (retained, $SYS) are skipped."""
    while True:
        kind, body = read_packet(sock)
        if kind == packet_type:
            return body
        if kind != 3:
            raise ConnectionError(f"expected packet type {packet_type}, got {kind}")
