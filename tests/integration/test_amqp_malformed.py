"""Malformed input from a client closes that connection with the right reply code and
harms nothing else: every other connection keeps working and no message is lost."""
import os
import socket
import struct
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import (connect, frame, longstr, method, node_fixture, read_frame,  # noqa: E402
                          shortstr)


# A short handshake timeout so the silent-client case does not take 10 s.
node = node_fixture("handshake_timeout: 1000\n")


def opened(node, frame_max=131072):
    """A raw socket through the handshake, with channel 1 open."""
    s = socket.create_connection(("127.0.0.1", node.port), timeout=5)
    s.sendall(b"AMQP\x00\x00\x09\x01")
    assert read_frame(s)[2][:4] == struct.pack(">HH", 10, 10)  # start
    s.sendall(method(0, 10, 11, struct.pack(">I", 0) + shortstr("PLAIN") +
                     longstr(b"\x00guest\x00guest") + shortstr("en_US")))
    assert read_frame(s)[2][:4] == struct.pack(">HH", 10, 30)  # tune
    s.sendall(method(0, 10, 31, struct.pack(">HIH", 2047, frame_max, 0)))
    s.sendall(method(0, 10, 40, shortstr("/") + shortstr("") + b"\x00"))
    assert read_frame(s)[2][:4] == struct.pack(">HH", 10, 41)  # open-ok
    s.sendall(method(1, 20, 10, shortstr("")))
    assert read_frame(s)[2][:4] == struct.pack(">HH", 20, 11)  # channel.open-ok
    return s


def expect_close(s, code):
    """The next frame is connection.close with `code`; then the socket ends."""
    f = read_frame(s)
    assert f is not None, "socket closed without connection.close"
    ftype, channel, payload = f
    assert (ftype, channel) == (1, 0)
    cls, mth, reply = struct.unpack(">HHH", payload[:6])
    assert (cls, mth) == (10, 50), (cls, mth)
    text = payload[7:7 + payload[6]].decode()
    assert reply == code, text
    s.sendall(method(0, 10, 51))  # close-ok
    return text


@pytest.fixture(scope="module")
def witness(node):
    """A queue with a persistent message and an open pika connection: both must come
    through every malformed client unharmed."""
    c = connect(node)
    ch = c.channel()
    ch.queue_declare("witness")
    ch.basic_publish("", "witness", b"still here", pika.BasicProperties(delivery_mode=2))
    yield c
    c.close()


def check_witness(node, witness):
    ch = witness.channel()
    assert ch.queue_declare("witness", passive=True).method.message_count == 1
    ch.close()
    other = connect(node)
    assert other.channel().queue_declare("witness", passive=True).method.message_count == 1
    other.close()


@pytest.mark.parametrize("name,payload,code", [
    ("unknown frame type", frame(9, 0, b""), 501),
    ("frame over frame-max", frame(1, 1, struct.pack(">HH", 60, 40) + b"\x00" * 5000), 501),
    ("bad frame end", struct.pack(">BHI", 8, 0, 0) + b"\x00", 501),
    ("truncated method", frame(1, 1, struct.pack(">HH", 50, 10) + b"\x00"), 501),
    ("unknown class and method", method(1, 99, 99), 540),
    ("field table larger than its frame",
     method(1, 50, 10, b"\x00\x00" + shortstr("q") + b"\x00" + struct.pack(">I", 100000)), 501),
    ("body without a header", frame(3, 1, b"abc"), 505),
    ("method on a channel never opened", method(5, 50, 10, b"\x00\x00" + shortstr("q") +
                                                b"\x00" + struct.pack(">I", 0)), 504),
])
def test_malformed_input_closes_only_that_connection(node, witness, name, payload, code):
    s = opened(node, frame_max=4096)
    s.sendall(payload)
    expect_close(s, code)
    s.close()
    check_witness(node, witness)


def test_client_that_never_sends_is_disconnected(node, witness):
    s = socket.create_connection(("127.0.0.1", node.port), timeout=5)
    start = time.time()
    assert s.recv(10) == b""  # closed by the server
    assert 0.5 < time.time() - start < 4
    s.close()
    with open(node.log_file) as f:
        assert "handshake timeout" in f.read()
    check_witness(node, witness)


def test_client_that_stops_mid_frame_is_disconnected(node, witness):
    s = socket.create_connection(("127.0.0.1", node.port), timeout=5)
    s.sendall(b"AMQP\x00\x00\x09\x01")
    read_frame(s)
    s.sendall(b"\x01\x00\x00\x00\x00\x01")  # half a frame header, then silence
    assert s.recv(100) == b""
    s.close()
    check_witness(node, witness)
