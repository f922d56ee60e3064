"""Connections as real clients make them: the handshake and RabbitMQ's server
properties, PLAIN login against the metadata store, vhost access, heartbeats, the
answer to a wrong protocol header, malformed frames, IPv6, and stop_app closing
connections with 320."""
import os
import socket
import struct
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import conn, connect, node, params, raw_connect, read_frame  # noqa: E402,F401


def test_handshake_server_properties(conn):
    server = conn._impl.server_properties
    caps = server["capabilities"]
    for cap in ("publisher_confirms", "exchange_exchange_bindings", "basic.nack",
                "consumer_cancel_notify", "connection.blocked", "authentication_failure_close",
                "per_consumer_qos", "direct_reply_to"):
        assert caps[cap] is True, cap
    assert server["product"] == "warren"
    assert server["version"] == "3.10.8"


def test_wrong_password_is_refused_with_403(node):
    with pytest.raises(pika.exceptions.ProbableAuthenticationError) as e:
        connect(node, password="wrong")
    assert "ACCESS_REFUSED - Login was refused using authentication mechanism PLAIN" in str(e.value)
    with open(node.log_file) as f:
        assert "user 'guest' - invalid credentials" in f.read()


def test_unknown_user_is_refused(node):
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        connect(node, user="nobody", password="x")


def test_missing_vhost_and_vhost_without_permissions(node):
    # pika reports a 530 during the handshake as a probable access denial, quoting it.
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError) as e:
        connect(node, vhost="nosuchvhost")
    assert "(530) 'NOT_ALLOWED - vhost nosuchvhost not found'" in str(e.value)
    assert node.ctl("add_vhost", "private").returncode == 0
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError) as e:
        connect(node, vhost="private")
    assert "(530) \"NOT_ALLOWED - access to vhost 'private' refused for user 'guest'\"" in str(e.value)


def test_new_user_logs_in_with_its_password(node):
    assert node.ctl("add_user", "alice", "s3cret").returncode == 0
    assert node.ctl("set_permissions", "alice", ".*", ".*", ".*").returncode == 0
    c = connect(node, user="alice", password="s3cret")
    c.close()
    assert node.ctl("change_password", "alice", "other").returncode == 0
    with pytest.raises(pika.exceptions.ProbableAuthenticationError):
        connect(node, user="alice", password="s3cret")


def test_wrong_protocol_header_is_answered_with_ours(node):
    s = raw_connect(node)
    s.sendall(b"AMQP\x01\x01\x00\x0a")
    data = b""
    while True:
        chunk = s.recv(100)
        if not chunk:
            break
        data += chunk
    assert data == b"AMQP\x00\x00\x09\x01"
    s.close()


def test_bad_frame_end_closes_with_501(node):
    s = raw_connect(node)
    s.sendall(b"AMQP\x00\x00\x09\x01")
    ftype, channel, payload = read_frame(s)
    assert (ftype, channel) == (1, 0)
    assert struct.unpack(">HH", payload[:4]) == (10, 10)  # connection.start
    # A heartbeat frame with a wrong frame-end octet.
    s.sendall(b"\x08\x00\x00\x00\x00\x00\x00\x00")
    ftype, channel, payload = read_frame(s)
    assert struct.unpack(">HHH", payload[:6]) == (10, 50, 501)  # connection.close 501
    text_len = payload[6]
    assert payload[7:7 + text_len].startswith(b"FRAME_ERROR")
    s.close()


def test_ipv6_loopback(node):
    try:
        socket.create_connection(("::1", node.port), timeout=2).close()
    except OSError:
        pytest.skip("no IPv6 loopback here")
    c = connect(node, host="::1")
    assert c.is_open
    c.close()


def test_heartbeats_keep_an_idle_connection_open(node):
    c = connect(node, heartbeat=1)
    deadline = time.time() + 3.5
    while time.time() < deadline:
        c.process_data_events(time_limit=0.2)
    assert c.is_open
    c.close()


def test_stop_app_closes_connections_with_320(node):
    c = connect(node)
    assert node.ctl("stop_app").returncode == 0
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        for _ in range(50):
            c.process_data_events(time_limit=0.1)
    assert e.value.reply_code == 320
    assert "CONNECTION_FORCED" in e.value.reply_text
    with pytest.raises(pika.exceptions.AMQPConnectionError):
        connect(node)
    assert node.ctl("start_app").returncode == 0
    connect(node).close()
