"""pytest fixtures for AMQP tests: one real node per test module, pika connections to it,
and a raw socket helper for what no client library sends (bad headers, bad frames)."""
import os
import socket
import struct
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from warren_node import Node  # noqa: E402


def node_fixture(config=None):
    """A module-scoped fixture: one node, started with `config` (YAML), for the module."""
    @pytest.fixture(scope="module")
    def fixture():
        n = Node(config=config)
        n.start()
        yield n
        n.cleanup()
    return fixture


node = node_fixture()


def params(node, user="guest", password="guest", vhost="/", host="127.0.0.1", **kw):
    return pika.ConnectionParameters(host=host, port=node.port, virtual_host=vhost,
                                     credentials=pika.PlainCredentials(user, password),
                                     connection_attempts=1, socket_timeout=10,
                                     blocked_connection_timeout=10, **kw)


def connect(node, **kw):
    return pika.BlockingConnection(params(node, **kw))


@pytest.fixture
def conn(node):
    c = connect(node)
    yield c
    if c.is_open:
        c.close()


@pytest.fixture
def ch(conn):
    return conn.channel()


def drain(channel, queue, timeout=0.5, auto_ack=True):
    """Every message a consumer gets within `timeout` of quiet."""
    got = []
    for method, props, body in channel.consume(queue, auto_ack=auto_ack, inactivity_timeout=timeout):
        if method is None:
            break
        got.append((method, props, body))
    channel.cancel()
    return got


def pump(conn, done, timeout=5):
    """Dispatches a connection's deliveries until `done()` or `timeout` seconds."""
    deadline = time.time() + timeout
    while not done() and time.time() < deadline:
        conn.process_data_events(time_limit=0.05)


def get_when_there(channel, queue, timeout=2):
    """basic.get (auto-ack) of `queue` until a message is there: (method, props, body),
    or (None, None, None) after `timeout` seconds."""
    deadline = time.time() + timeout
    while True:
        method, props, body = channel.basic_get(queue, auto_ack=True)
        if method or time.time() >= deadline:
            return method, props, body
        channel.connection.sleep(0.01)


def eventually(check, timeout=5):
    """Polls `check()` until it is true (then returns) or `timeout` seconds pass."""
    deadline = time.time() + timeout
    while time.time() < deadline:
        if check():
            return True
        time.sleep(0.05)
    return check()


def raw_connect(node):
    s = socket.create_connection(("127.0.0.1", node.port), timeout=5)
    return s


def read_frame(s):
    """(type, channel, payload) of the next frame, or None at end of stream."""
    head = b""
    while len(head) < 7:
        chunk = s.recv(7 - len(head))
        if not chunk:
            return None
        head += chunk
    ftype, channel, size = struct.unpack(">BHI", head)
    payload = b""
    while len(payload) < size + 1:
        chunk = s.recv(size + 1 - len(payload))
        if not chunk:
            return None
        payload += chunk
    assert payload[-1] == 0xCE
    return ftype, channel, payload[:-1]


# Frames written by hand, for tests of what clients seldom send.
def shortstr(s):
    b = s.encode()
    return bytes([len(b)]) + b


def longstr(b):
    return struct.pack(">I", len(b)) + b


def table(fields):
    """A field table of string values."""
    body = b"".join(shortstr(k) + b"S" + longstr(v.encode()) for k, v in fields.items())
    return longstr(body)


def frame(ftype, channel, payload):
    return struct.pack(">BHI", ftype, channel, len(payload)) + payload + b"\xce"


def method(channel, class_id, method_id, args=b""):
    return frame(1, channel, struct.pack(">HH", class_id, method_id) + args)
