"""Queue backlogs page out to disk past warren.queue_page_above ready messages (500
here) and come back in order, with their properties, priorities, TTLs and redelivery
marks; a purge or a restart leaves no page file behind."""
import glob
import os
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, eventually, node_fixture  # noqa: E402

node = node_fixture("warren.queue_page_above: 500\n")


def page_files(node):
    return glob.glob(os.path.join(node.data_dir, "queue_pages", "*"))


def consume_all(ch, queue, n):
    got = []
    ch.basic_qos(prefetch_count=1000)
    for method, props, body in ch.consume(queue, inactivity_timeout=5):
        if method is None:
            break
        got.append((props, body))
        ch.basic_ack(method.delivery_tag)
        if len(got) == n:
            break
    ch.cancel()
    return got


def test_backlog_pages_out_and_comes_back_in_order(node):
    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("paged")
    n = 20000
    for i in range(n):
        ch.basic_publish("", "paged", f"m{i}".encode() * (1 + i % 7),
                         pika.BasicProperties(headers={"i": i}, content_type="text/plain"))
    assert ch.queue_declare("paged", passive=True).method.message_count == n
    files = page_files(node)
    assert len(files) == 1 and os.path.getsize(files[0]) > 0
    listed = node.ctl("list_queues", "name", "messages_ready", "messages_ready_ram").stdout
    row = [line for line in listed.splitlines() if line.startswith("paged\t")][0]
    ready, ram = map(int, row.split("\t")[1:])
    assert ready == n and ram <= 1000

    # A few are delivered and requeued: they come back first, marked redelivered.
    for _ in range(3):
        method, _, _ = ch.basic_get("paged")
        ch.basic_nack(method.delivery_tag, requeue=True)
    got = consume_all(ch, "paged", n)
    assert [b for _, b in got] == [f"m{i}".encode() * (1 + i % 7) for i in range(n)]
    assert [p.headers["i"] for p, _ in got] == list(range(n))
    assert all(p.content_type == "text/plain" for p, _ in got)
    assert eventually(lambda: page_files(node) == [])
    conn.close()


def test_priorities_and_ttl_survive_paging(node):
    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("paged-prio", arguments={"x-max-priority": 2})
    for i in range(3000):
        ch.basic_publish("", "paged-prio", str(i).encode(), pika.BasicProperties(priority=i % 3))
    got = [int(b) for _, b in consume_all(ch, "paged-prio", 3000)]
    expected = [i for p in (2, 1, 0) for i in range(3000) if i % 3 == p]
    assert got == expected

    ch.queue_declare("paged-ttl")
    for i in range(2000):
        ch.basic_publish("", "paged-ttl", b"x", pika.BasicProperties(expiration="300"))
    ch.basic_publish("", "paged-ttl", b"keeper")
    time.sleep(0.5)
    got = consume_all(ch, "paged-ttl", 1)
    assert [b for _, b in got] == [b"keeper"]
    assert ch.queue_declare("paged-ttl", passive=True).method.message_count == 0
    conn.close()


def test_purge_and_delete_drop_page_files(node):
    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("paged-purge")
    for i in range(3000):
        ch.basic_publish("", "paged-purge", b"p")
    assert page_files(node)
    assert ch.queue_purge("paged-purge").method.message_count == 3000
    assert page_files(node) == []
    for i in range(3000):
        ch.basic_publish("", "paged-purge", b"p")
    assert page_files(node)
    ch.queue_delete("paged-purge")
    assert page_files(node) == []
    conn.close()


def test_persistent_backlog_survives_a_restart(node):
    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("paged-durable", durable=True)
    ch.confirm_delivery()
    for i in range(3000):
        ch.basic_publish("", "paged-durable", str(i).encode(), pika.BasicProperties(delivery_mode=2))
    persistent = node.ctl("list_queues", "name", "messages_persistent").stdout
    assert "paged-durable\t3000" in persistent
    conn.close()
    node.stop()
    node.start()
    # Recovery pages the backlog out again, into a fresh file.
    conn = connect(node)
    ch = conn.channel()
    got = [int(b) for _, b in consume_all(ch, "paged-durable", 3000)]
    assert got == list(range(3000))
    assert eventually(lambda: page_files(node) == [])
    conn.close()
