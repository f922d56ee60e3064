"""The engine-state commands against real pika clients: list_connections, list_channels and
list_consumers show what the clients opened; close_connection and close_all_connections
close them with 320 CONNECTION_FORCED and the operator's explanation; purge_queue and
delete_queue change what the clients see."""
import json
import os
import sys
import time

import pika
import pika.exceptions
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, node, params  # noqa: E402,F401


def ctl_json(node, *args):
    r = node.ctl(*args, "--formatter", "json")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def named(node, name):
    """A pika connection that list_connections shows with connection_name `name`."""
    return pika.BlockingConnection(params(node, client_properties={"connection_name": name}))


def local_port(conn):
    return conn._impl._transport._sock.getsockname()[1]


def row_of(node, name):
    rows = ctl_json(node, "list_connections", "name", "user", "vhost", "peer_host", "peer_port",
                    "port", "state", "channels", "client_properties", "protocol",
                    "auth_mechanism", "frame_max", "recv_oct", "send_oct", "connected_at")
    mine = [r for r in rows if r["client_properties"].get("connection_name") == name]
    assert len(mine) == 1, rows
    return mine[0]


def closed_by_broker(conn, seconds=5):
    """Processes events until the broker closes `conn`; the close exception."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            conn.process_data_events(time_limit=0.2)
        except pika.exceptions.ConnectionClosedByBroker as e:
            return e
    raise AssertionError("the broker did not close the connection")


def test_list_connections_shows_the_client(node):
    conn = named(node, "lc-client")
    try:
        conn.channel()
        conn.channel()
        row = row_of(node, "lc-client")
        port = local_port(conn)
        assert row["user"] == "guest" and row["vhost"] == "/"
        assert row["peer_host"] == [127, 0, 0, 1] and row["peer_port"] == port
        assert row["name"] == f"127.0.0.1:{port} -> 127.0.0.1:{node.port}"
        assert row["port"] == node.port and row["state"] == "running"
        assert row["channels"] == 2 and row["protocol"] == "{0,9,1}"
        assert row["auth_mechanism"] == "PLAIN" and row["frame_max"] > 0
        assert row["client_properties"]["product"] == "Pika Python Client Library"
        assert row["client_properties"]["capabilities"]["consumer_cancel_notify"] is True
        assert row["recv_oct"] > 0 and row["send_oct"] > 0
        assert abs(row["connected_at"] / 1000 - time.time()) < 60
        table = node.ctl("list_connections", "-q", "name", "client_properties")
        assert f"127.0.0.1:{port} -> 127.0.0.1:{node.port}\t[" in table.stdout
        assert '{"connection_name","lc-client"}' in table.stdout
    finally:
        conn.close()


def test_channels_and_consumers_show_prefetch_and_unacked(node):
    conn = named(node, "consumer")
    try:
        ch = conn.channel()
        ch.queue_declare("cli.consumed")
        ch.basic_qos(prefetch_count=10)
        for i in range(2):
            ch.basic_publish("", "cli.consumed", b"m%d" % i)
        got = []
        ch.basic_consume("cli.consumed", lambda c, m, p, b: got.append(m), consumer_tag="ctag-1")
        while len(got) < 2:
            conn.process_data_events(time_limit=0.2)
        name = row_of(node, "consumer")["name"]
        channels = [c for c in ctl_json(node, "list_channels", "name", "connection", "number",
                                        "user", "vhost", "prefetch_count",
                                        "messages_unacknowledged", "consumer_count", "pid")
                    if c["name"] == name + " (1)"]
        assert len(channels) == 1
        c = channels[0]
        assert c["number"] == 1 and c["user"] == "guest" and c["vhost"] == "/"
        assert c["prefetch_count"] == 10 and c["messages_unacknowledged"] == 2
        assert c["consumer_count"] == 1
        consumers = ctl_json(node, "list_consumers")
        assert consumers == [{"queue_name": "cli.consumed", "channel_pid": c["pid"],
                              "consumer_tag": "ctag-1", "ack_required": True,
                              "prefetch_count": 10, "active": True, "arguments": []}]
        queues = ctl_json(node, "list_queues", "name", "messages_ready",
                          "messages_unacknowledged", "consumers")
        assert {"name": "cli.consumed", "messages_ready": 0, "messages_unacknowledged": 2,
                "consumers": 1} in queues
    finally:
        conn.close()
        cleanup = connect(node)
        cleanup.channel().queue_delete("cli.consumed")
        cleanup.close()


def test_close_connection_closes_with_320_and_the_explanation(node):
    conn = named(node, "doomed")
    ch = conn.channel()
    ch.queue_declare("", exclusive=True)
    name = row_of(node, "doomed")["name"]
    r = node.ctl("close_connection", name, "go away now")
    assert r.returncode == 0, r.stderr
    assert r.stdout == f"Closing connection {name}, reason: go away now...\n"
    e = closed_by_broker(conn)
    assert e.reply_code == 320
    assert "go away now" in e.reply_text
    assert e.reply_text == ("CONNECTION_FORCED - broker forced connection closure with reason "
                            "'go away now'")
    r = node.ctl("close_connection", name, "again")
    assert r.returncode != 0


def test_close_all_connections_closes_every_connection_of_the_vhost(node):
    conns = [named(node, f"all-{i}") for i in range(3)]
    r = node.ctl("close_all_connections", "maintenance")
    assert r.returncode == 0, r.stderr
    assert r.stdout == ("Closing all connections in vhost /, reason: maintenance...\n"
                        "Closed 3 connections\n")
    for c in conns:
        e = closed_by_broker(c)
        assert e.reply_code == 320 and "maintenance" in e.reply_text
    deadline = time.time() + 5
    while ctl_json(node, "list_connections") and time.time() < deadline:
        time.sleep(0.1)
    assert ctl_json(node, "list_connections") == []


def test_close_all_connections_limit_and_delay(node):
    conns = [named(node, f"lim-{i}") for i in range(3)]
    r = node.ctl("close_all_connections", "--limit", "2", "--per-connection-delay", "100",
                 "partial")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("Closed 2 connections\n")
    assert r.stdout.startswith("Closing 2 connections in vhost /, reason: partial...")
    closed = [closed_by_broker(c) for c in conns[:2]]
    assert all(e.reply_code == 320 for e in closed)
    assert conns[2].is_open
    conns[2].process_data_events(time_limit=0.3)
    assert conns[2].is_open
    conns[2].close()


def test_purge_queue_empties_what_clients_see(node):
    conn = connect(node)
    try:
        ch = conn.channel()
        ch.queue_declare("cli.purged")
        for i in range(3):
            ch.basic_publish("", "cli.purged", b"x")
        assert ch.queue_declare("cli.purged", passive=True).method.message_count == 3
        r = node.ctl("purge_queue", "cli.purged")
        assert r.returncode == 0 and r.stdout == "Purging queue 'cli.purged' in vhost '/' ...\n"
        assert ch.queue_declare("cli.purged", passive=True).method.message_count == 0
        ch.queue_delete("cli.purged")
    finally:
        conn.close()


def test_delete_queue_cancels_consumers_and_honours_if_unused(node):
    conn = connect(node)
    try:
        ch = conn.channel()
        ch.queue_declare("cli.deleted")
        ch.basic_publish("", "cli.deleted", b"one")
        cancelled = []
        ch.add_on_cancel_callback(lambda frame: cancelled.append(frame))
        ch.basic_consume("cli.deleted", lambda c, m, p, b: None, consumer_tag="watcher")
        conn.process_data_events(time_limit=0.2)
        r = node.ctl("delete_queue", "cli.deleted", "--if-unused")
        assert r.returncode == 64
        assert r.stderr == "Error:\nQueue is in use\n"
        r = node.ctl("delete_queue", "cli.deleted")
        assert r.returncode == 0, r.stderr
        assert r.stdout.endswith("Queue was successfully deleted with 0 ready messages\n")
        deadline = time.time() + 5
        while not cancelled and time.time() < deadline:
            conn.process_data_events(time_limit=0.2)
        assert cancelled and cancelled[0].method.consumer_tag == "watcher"
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            conn.channel().queue_declare("cli.deleted", passive=True)
        assert e.value.reply_code == 404
    finally:
        if conn.is_open:
            conn.close()


def test_published_and_got_messages_reach_clients(node):
    conn = connect(node)
    try:
        ch = conn.channel()
        ch.queue_declare("cli.pub")
        r = node.ctl("publish", "--routing-key", "cli.pub", "--properties",
                     '{"content_type":"text/plain","headers":{"k":"v"},"delivery_mode":2}',
                     "hello")
        assert r.returncode == 0, r.stderr
        method, props, body = ch.basic_get("cli.pub", auto_ack=True)
        assert body == b"hello" and props.content_type == "text/plain"
        assert props.headers == {"k": "v"} and props.delivery_mode == 2
        ch.basic_publish("", "cli.pub", b"from pika", pika.BasicProperties(message_id="m1"))
        rows = ctl_json(node, "get", "cli.pub", "--ack-mode", "requeue")
        assert rows[0]["payload"] == "from pika" and rows[0]["properties"] == {"message_id": "m1"}
        method, props, body = ch.basic_get("cli.pub", auto_ack=True)
        assert body == b"from pika" and method.redelivered
        ch.queue_delete("cli.pub")
    finally:
        conn.close()
