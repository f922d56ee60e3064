"""What survives a restart and a kill -9: durable exchanges, queues and bindings, and
the persistent messages of durable queues, every confirmed one and no more; transient
messages, non-durable queues and exclusive queues do not survive."""
import os
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, drain  # noqa: E402
from warren_node import Node  # noqa: E402

PERSISTENT = pika.BasicProperties(delivery_mode=2)


@pytest.fixture
def node():
    n = Node()
    n.start()
    yield n
    n.cleanup()


def count(ch, q):
    return ch.queue_declare(q, passive=True).method.message_count


def test_durable_entities_and_persistent_messages_survive_a_restart(node):
    c = connect(node)
    ch = c.channel()
    ch.exchange_declare("dur.x", "topic", durable=True)
    ch.exchange_declare("tmp.x", "fanout")
    ch.queue_declare("dur.q", durable=True, arguments={"x-max-length": 100})
    ch.queue_declare("tmp.q")
    ch.queue_bind("dur.q", "dur.x", "a.#")
    ch.confirm_delivery()
    props = pika.BasicProperties(delivery_mode=2, content_type="text/plain", headers={"n": 1})
    ch.basic_publish("dur.x", "a.one", b"persistent-1", props)
    ch.basic_publish("dur.x", "a.two", b"transient")
    ch.basic_publish("", "dur.q", b"persistent-2", PERSISTENT)
    ch.basic_publish("", "tmp.q", b"in a transient queue", PERSISTENT)
    method, _, body = ch.basic_get("dur.q")  # delivered, not acked: still there after restart
    assert body == b"persistent-1"
    c.close()

    node.stop()
    node.start()
    c = connect(node)
    ch = c.channel()
    got = drain(ch, "dur.q", timeout=0.3)
    assert [b for _, _, b in got] == [b"persistent-1", b"persistent-2"]
    assert got[0][1].content_type == "text/plain" and got[0][1].headers == {"n": 1}
    ch.basic_publish("dur.x", "a.three", b"routed after restart")
    assert ch.basic_get("dur.q", auto_ack=True)[2] == b"routed after restart"
    for name, declare in (("tmp.q", lambda c: c.queue_declare("tmp.q", passive=True)),
                          ("tmp.x", lambda c: c.exchange_declare("tmp.x", passive=True))):
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            declare(c.channel())
        assert e.value.reply_code == 404, name
    # The arguments came back too: redeclaring with different ones is refused.
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        c.channel().queue_declare("dur.q", durable=True)
    assert "inequivalent arg 'x-max-length'" in e.value.reply_text
    c.close()


def test_deleted_and_acked_stay_gone(node):
    c = connect(node)
    ch = c.channel()
    ch.queue_declare("gone.q", durable=True)
    ch.queue_declare("acked.q", durable=True)
    ch.confirm_delivery()
    for i in range(10):
        ch.basic_publish("", "gone.q", b"x", PERSISTENT)
        ch.basic_publish("", "acked.q", str(i).encode(), PERSISTENT)
    ch.queue_delete("gone.q")
    for _ in range(4):
        method, _, _ = ch.basic_get("acked.q")
        ch.basic_ack(method.delivery_tag)
    c.close()
    node.stop()
    node.start()
    c = connect(node)
    ch = c.channel()
    assert [b for _, _, b in drain(ch, "acked.q", timeout=0.3)] == [str(i).encode() for i in range(4, 10)]
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):
        ch.queue_declare("gone.q", passive=True)
    c.close()


def test_every_confirmed_message_survives_kill_9(node):
    c = connect(node)
    ch = c.channel()
    ch.queue_declare("crash.q", durable=True)
    ch.confirm_delivery()
    n = 3000
    for i in range(n):
        ch.basic_publish("", "crash.q", str(i).encode(), PERSISTENT)  # returns once confirmed
    for _ in range(1000):
        method, _, _ = ch.basic_get("crash.q")
        ch.basic_ack(method.delivery_tag)
    # Acks reach the disk within the broker's next tick; then the node dies hard.
    time.sleep(0.5)
    node.kill()
    node.start()
    c = connect(node)
    ch = c.channel()
    got = [int(b) for _, _, b in drain(ch, "crash.q", timeout=0.5)]
    assert got == list(range(1000, n))  # none lost, none invented, in order
    c.close()


def test_exclusive_durable_queue_does_not_survive(node):
    c = connect(node)
    c.channel().queue_declare("mine.q", durable=True, exclusive=True)
    node.stop()
    node.start()
    c = connect(node)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker):
        c.channel().queue_declare("mine.q", passive=True)
    c.close()


def test_export_definitions_lists_durable_entities(node):
    c = connect(node)
    ch = c.channel()
    ch.exchange_declare("exp.x", "direct", durable=True)
    ch.queue_declare("exp.q", durable=True)
    ch.queue_bind("exp.q", "exp.x", "k")
    c.close()
    r = node.ctl("export_definitions", "-")
    assert r.returncode == 0, r.stderr
    import json
    d = json.loads(r.stdout)
    assert any(q["name"] == "exp.q" and q["durable"] for q in d["queues"])
    assert any(x["name"] == "exp.x" and x["type"] == "direct" for x in d["exchanges"])
    assert any(b["source"] == "exp.x" and b["destination"] == "exp.q" and b["routing_key"] == "k"
               for b in d["bindings"])


def test_failed_writes_are_nacked_and_the_node_goes_on():
    # The node's files may not grow past 1 MB (RLIMIT_FSIZE, inherited at start): once
    # the message store's segment reaches it, writes fail with EFBIG.
    import resource
    n = Node()
    soft, hard = resource.getrlimit(resource.RLIMIT_FSIZE)
    resource.setrlimit(resource.RLIMIT_FSIZE, (1 << 20, hard))
    try:
        n.start()
    finally:
        resource.setrlimit(resource.RLIMIT_FSIZE, (soft, hard))
    try:
        conn = connect(n)
        ch = conn.channel()
        ch.queue_declare("limited", durable=True)
        ch.confirm_delivery()
        props = pika.BasicProperties(delivery_mode=2)
        acked = 0
        with pytest.raises(pika.exceptions.NackError):
            for _ in range(3000):
                ch.basic_publish("", "limited", b"x" * 1024, properties=props)
                acked += 1
        assert 500 < acked < 1024, acked
        # The store keeps retrying the failed records, and every persistent publish
        # while it fails is nacked rather than acked early.
        with pytest.raises(pika.exceptions.NackError):
            ch.basic_publish("", "limited", b"y", properties=props)
        # Nacked messages stay queued (a nack says "not guaranteed", as in RabbitMQ),
        # and the node still serves.
        assert ch.queue_declare("limited", passive=True).method.message_count == acked + 2
        conn.close()
        assert n.ctl("ping", tool="warren-diagnostics").returncode == 0
        with open(n.log_file) as f:
            assert "publishers are sent nacks until writes succeed again" in f.read()
    finally:
        n.cleanup()
