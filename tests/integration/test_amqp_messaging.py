"""Messages through a real node with pika: properties and headers round-trip, get and
get-empty, acks, nacks and rejects with the redelivered flag, prefetch, publisher
confirms and returns, transactions, consumer cancel notification, and what a closed
channel or connection gives back."""
import os
import sys

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import ch, conn, connect, drain, get_when_there, node, pump  # noqa: E402,F401


def test_properties_and_headers_round_trip(ch):
    q = ch.queue_declare("", exclusive=True).method.queue
    props = pika.BasicProperties(
        content_type="application/json", content_encoding="utf-8", delivery_mode=2, priority=3,
        correlation_id="c1", reply_to="r1", expiration="60000", message_id="m1", timestamp=1700000000,
        type="t1", user_id="guest", app_id="a1",
        headers={"int": 1, "neg": -5, "big": 2 ** 40, "str": "x", "bool": True,
                 "list": [1, "two", False], "table": {"k": "v"}, "none": None})
    ch.basic_publish("", q, b"\x00\x01body", props)
    method, got, body = ch.basic_get(q, auto_ack=True)
    assert body == b"\x00\x01body"
    for field in ("content_type", "content_encoding", "delivery_mode", "priority", "correlation_id",
                  "reply_to", "expiration", "message_id", "timestamp", "type", "user_id", "app_id"):
        assert getattr(got, field) == getattr(props, field), field
    assert got.headers == props.headers
    assert method.routing_key == q and method.exchange == ""


def test_get_empty_and_message_count(ch):
    q = ch.queue_declare("", exclusive=True).method.queue
    assert ch.basic_get(q) == (None, None, None)
    for i in range(3):
        ch.basic_publish("", q, str(i).encode())
    assert ch.queue_declare(q, passive=True).method.message_count == 3
    method, _, body = ch.basic_get(q, auto_ack=True)
    assert body == b"0" and method.message_count == 2


def test_large_message_spans_frames(ch):
    q = ch.queue_declare("", exclusive=True).method.queue
    body = os.urandom(1_000_000)
    ch.basic_publish("", q, body)
    assert ch.basic_get(q, auto_ack=True)[2] == body


def test_nack_requeue_sets_redelivered_and_keeps_order(ch):
    q = ch.queue_declare("", exclusive=True).method.queue
    for i in range(3):
        ch.basic_publish("", q, str(i).encode())
    tags = [ch.basic_get(q)[0].delivery_tag for _ in range(3)]
    ch.basic_nack(tags[-1], multiple=True, requeue=True)
    got = [ch.basic_get(q) for _ in range(3)]
    assert [b for _, _, b in got] == [b"0", b"1", b"2"]
    assert all(m.redelivered for m, _, _ in got)
    ch.basic_reject(got[0][0].delivery_tag, requeue=False)
    ch.basic_ack(got[2][0].delivery_tag, multiple=True)
    assert ch.queue_declare(q, passive=True).method.message_count == 0


def test_unknown_delivery_tag_closes_the_channel_with_406(conn):
    ch = conn.channel()
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.basic_ack(99)
        ch.queue_declare("", exclusive=True)
    assert e.value.reply_code == 406
    assert e.value.reply_text == "PRECONDITION_FAILED - unknown delivery tag 99"
    assert conn.is_open


def test_prefetch_limits_unacked_deliveries(conn):
    ch = conn.channel()
    q = ch.queue_declare("", exclusive=True).method.queue
    for i in range(10):
        ch.basic_publish("", q, str(i).encode())
    ch.basic_qos(prefetch_count=3)
    got = []
    ch.basic_consume(q, lambda c, m, p, b: got.append(m))
    pump(conn, lambda: len(got) >= 3)
    conn.process_data_events(time_limit=0.2)  # no more may come
    assert len(got) == 3
    ch.basic_ack(got[-1].delivery_tag, multiple=True)
    pump(conn, lambda: len(got) >= 6)
    conn.process_data_events(time_limit=0.2)
    assert len(got) == 6


def test_closing_a_channel_requeues_its_unacked_messages(conn):
    ch1 = conn.channel()
    q = ch1.queue_declare("requeue-on-close").method.queue
    ch1.queue_purge(q)
    ch1.basic_publish("", q, b"m")
    assert ch1.basic_get(q)[2] == b"m"
    ch1.close()
    ch2 = conn.channel()
    method, _, body = ch2.basic_get(q, auto_ack=True)
    assert body == b"m" and method.redelivered
    ch2.queue_delete(q)


def test_confirms_ack_and_mandatory_returns(ch):
    ch.confirm_delivery()
    q = ch.queue_declare("", exclusive=True).method.queue
    ch.basic_publish("", q, b"ok", mandatory=True)  # raises unless acked
    with pytest.raises(pika.exceptions.UnroutableError):
        ch.basic_publish("", "no-such-queue", b"lost", mandatory=True)
    ch.basic_publish("", "no-such-queue", b"dropped")  # not mandatory: acked, dropped


def test_reject_publish_overflow_nacks(ch):
    ch.confirm_delivery()
    q = ch.queue_declare("", exclusive=True,
                         arguments={"x-max-length": 1, "x-overflow": "reject-publish"}).method.queue
    ch.basic_publish("", q, b"1")
    with pytest.raises(pika.exceptions.NackError):
        ch.basic_publish("", q, b"2")
    assert ch.queue_declare(q, passive=True).method.message_count == 1


def test_transactions_commit_and_rollback(conn):
    ch = conn.channel()
    q = ch.queue_declare("", exclusive=True).method.queue
    ch.tx_select()
    ch.basic_publish("", q, b"a")
    assert ch.queue_declare(q, passive=True).method.message_count == 0
    ch.tx_rollback()
    assert ch.queue_declare(q, passive=True).method.message_count == 0
    ch.basic_publish("", q, b"b")
    ch.tx_commit()
    assert ch.queue_declare(q, passive=True).method.message_count == 1
    method, _, _ = ch.basic_get(q)
    ch.basic_ack(method.delivery_tag)
    ch.tx_rollback()  # the ack is undone: the message stays unacked until the channel closes
    ch.close()
    ch2 = conn.channel()
    assert ch2.queue_declare(q, passive=True).method.message_count == 1
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch2.confirm_delivery()
        ch2.tx_select()
    assert e.value.reply_text == "PRECONDITION_FAILED - cannot switch from confirm to tx mode"


def test_deleting_a_queue_cancels_its_consumers(conn):
    ch = conn.channel()
    q = ch.queue_declare("cancel-me").method.queue
    cancelled = []
    ch.add_on_cancel_callback(lambda frame: cancelled.append(frame.method.consumer_tag))
    tag = ch.basic_consume(q, lambda *a: None)
    other = connect(node_of(conn))
    other.channel().queue_delete(q)
    other.close()
    pump(conn, lambda: cancelled)
    assert cancelled == [tag]


def node_of(conn):
    params = conn._impl.params
    class N:
        port = params.port
    return N


def test_consumer_tags_and_exclusive_consumers(conn):
    ch = conn.channel()
    q = ch.queue_declare("", exclusive=True).method.queue
    tag = ch.basic_consume(q, lambda *a: None)
    assert tag.startswith("ctag") or tag.startswith("amq.ctag-")
    server_tag = ch.basic_consume(q, lambda *a: None, consumer_tag="")
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.basic_consume(q, lambda *a: None, exclusive=True)
    assert e.value.reply_code == 403
    assert e.value.reply_text == f"ACCESS_REFUSED - queue '{q}' in vhost '/' in exclusive use"
    assert server_tag


def test_round_robin_between_consumers(conn):
    ch = conn.channel()
    q = ch.queue_declare("", exclusive=True).method.queue
    a, b = [], []
    ch.basic_consume(q, lambda c, m, p, body: a.append(body), auto_ack=True)
    ch.basic_consume(q, lambda c, m, p, body: b.append(body), auto_ack=True)
    for i in range(10):
        ch.basic_publish("", q, str(i).encode())
    pump(conn, lambda: len(a) + len(b) >= 10)
    assert (a, b) == ([b"0", b"2", b"4", b"6", b"8"], [b"1", b"3", b"5", b"7", b"9"])


def test_many_messages_in_order(conn):
    ch = conn.channel()
    q = ch.queue_declare("", exclusive=True).method.queue
    n = 5000
    for i in range(n):
        ch.basic_publish("", q, str(i).encode())
    got = [int(b) for _, _, b in drain(ch, q)]
    assert got == list(range(n))


def test_direct_reply_to(node):
    client = connect(node)
    cch = client.channel()
    replies = []
    cch.basic_consume("amq.rabbitmq.reply-to", lambda c, m, p, b: replies.append((p, b)),
                      auto_ack=True)
    server = connect(node)
    sch = server.channel()
    sch.queue_declare("rpc.requests", exclusive=True)
    cch.basic_publish("", "rpc.requests", b"ping",
                      pika.BasicProperties(reply_to="amq.rabbitmq.reply-to", correlation_id="c1"))
    method, props, body = get_when_there(sch, "rpc.requests")
    assert props.reply_to.startswith("amq.rabbitmq.reply-to.")
    sch.basic_publish("", props.reply_to, b"pong", pika.BasicProperties(correlation_id="c1"))
    pump(client, lambda: replies)
    assert [(p.correlation_id, b) for p, b in replies] == [("c1", b"pong")]
    # Asking for replies without a reply consumer, or acknowledging them, is refused.
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        c2 = client.channel()
        c2.basic_publish("", "rpc.requests", b"x", pika.BasicProperties(reply_to="amq.rabbitmq.reply-to"))
        c2.queue_declare("", exclusive=True)
    assert e.value.reply_text == "PRECONDITION_FAILED - fast reply consumer does not exist"
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        client.channel().basic_consume("amq.rabbitmq.reply-to", lambda *a: None, auto_ack=False)
    assert e.value.reply_text == "PRECONDITION_FAILED - reply consumer cannot acknowledge"
    client.close()
    server.close()
