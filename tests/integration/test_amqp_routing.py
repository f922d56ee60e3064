"""Routing on a real node: direct, fanout, topic and headers exchanges, the default
and amq.* exchanges, exchange-to-exchange bindings, alternate exchanges, CC/BCC,
unbinding, auto-delete exchanges, and RabbitMQ's errors for what may not be done."""
import os
import sys

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import ch, conn, drain, node  # noqa: E402,F401


def queue(ch, *bindings, **kw):
    q = ch.queue_declare("", exclusive=True, **kw).method.queue
    for exchange, key, *args in bindings:
        ch.queue_bind(q, exchange, key, arguments=args[0] if args else None)
    return q


def bodies(ch, q):
    return [b for _, _, b in drain(ch, q, timeout=0.2)]


def test_direct_fanout_and_amq_exchanges(ch):
    q1 = queue(ch, ("amq.direct", "k1"))
    q2 = queue(ch, ("amq.direct", "k2"), ("amq.fanout", ""))
    ch.basic_publish("amq.direct", "k1", b"a")
    ch.basic_publish("amq.direct", "k2", b"b")
    ch.basic_publish("amq.fanout", "ignored", b"c")
    assert bodies(ch, q1) == [b"a"]
    assert bodies(ch, q2) == [b"b", b"c"]


@pytest.mark.parametrize("pattern,key,match", [
    ("a.*.c", "a.b.c", True), ("a.*.c", "a.c", False), ("a.#", "a", True),
    ("a.#.c", "a.x.y.c", True), ("#", "", True), ("*", "", True), ("*.*", "a", False),
    ("#.c", "c", True), ("a.#.#.b", "a.b", True), ("a.b", "a.b.c", False)])
def test_topic_matching(ch, pattern, key, match):
    q = queue(ch, ("amq.topic", pattern))
    ch.basic_publish("amq.topic", key, b"m")
    assert bodies(ch, q) == ([b"m"] if match else [])


def test_headers_exchange_all_and_any(ch):
    q_all = queue(ch, ("amq.headers", "", {"x-match": "all", "a": 1, "b": "x"}))
    q_any = queue(ch, ("amq.headers", "", {"x-match": "any", "a": 1, "b": "x"}))
    ch.basic_publish("amq.headers", "", b"both", pika.BasicProperties(headers={"a": 1, "b": "x"}))
    ch.basic_publish("amq.headers", "", b"one", pika.BasicProperties(headers={"a": 1}))
    ch.basic_publish("amq.headers", "", b"none", pika.BasicProperties(headers={"c": 1}))
    assert bodies(ch, q_all) == [b"both"]
    assert bodies(ch, q_any) == [b"both", b"one"]


def test_exchange_to_exchange_and_alternate_exchange(ch):
    ch.exchange_declare("e2e-src", "direct", auto_delete=True)
    ch.exchange_declare("e2e-dst", "fanout", auto_delete=True)
    ch.exchange_bind("e2e-dst", "e2e-src", "k")
    q = queue(ch, ("e2e-dst", ""))
    ch.exchange_declare("ae", "fanout")
    ch.exchange_declare("with-ae", "direct", arguments={"alternate-exchange": "ae"})
    q_ae = queue(ch, ("ae", ""))
    ch.basic_publish("e2e-src", "k", b"through")
    ch.basic_publish("with-ae", "nobody", b"alternate")
    assert bodies(ch, q) == [b"through"]
    assert bodies(ch, q_ae) == [b"alternate"]


def test_cc_and_bcc_headers(ch):
    q1, q2, q3 = queue(ch), queue(ch), queue(ch)
    ch.basic_publish("", q1, b"m", pika.BasicProperties(headers={"CC": [q2], "BCC": [q3]}))
    for q in (q1, q2, q3):
        got = drain(ch, q, timeout=0.2)
        assert [b for _, _, b in got] == [b"m"]
        assert "BCC" not in (got[0][1].headers or {})


def test_unbind_and_auto_delete_exchange(ch):
    ch.exchange_declare("gone-when-unbound", "direct", auto_delete=True)
    q = queue(ch, ("gone-when-unbound", "k"))
    ch.queue_unbind(q, "gone-when-unbound", "k")
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.exchange_declare("gone-when-unbound", "direct", passive=True)
    assert e.value.reply_code == 404
    assert e.value.reply_text == "NOT_FOUND - no exchange 'gone-when-unbound' in vhost '/'"


@pytest.mark.parametrize("action,code,text", [
    (lambda ch: ch.queue_bind("q-x", "", "k"), 403,
     "ACCESS_REFUSED - operation not permitted on the default exchange"),
    (lambda ch: ch.exchange_declare("amq.mine", "direct"), 403,
     "ACCESS_REFUSED - exchange name 'amq.mine' contains reserved prefix 'amq.*'"),
    (lambda ch: ch.queue_declare("amq.mine"), 403,
     "ACCESS_REFUSED - queue name 'amq.mine' contains reserved prefix 'amq.*'"),
    (lambda ch: ch.exchange_declare("amq.direct", "fanout"), 406,
     "PRECONDITION_FAILED - inequivalent arg 'type' for exchange 'amq.direct' in vhost '/': "
     "received 'fanout' but current is 'direct'"),
    (lambda ch: ch.queue_bind("no-such-queue", "amq.direct", "k"), 404,
     "NOT_FOUND - no queue 'no-such-queue' in vhost '/'"),
    (lambda ch: ch.queue_bind("q-x", "no-such-exchange", "k"), 404,
     "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'"),
    (lambda ch: (ch.exchange_declare("internal-x", "fanout", internal=True),
                 ch.basic_publish("internal-x", "", b"m"), ch.queue_declare("", exclusive=True)), 403,
     "ACCESS_REFUSED - cannot publish to internal exchange 'internal-x' in vhost '/'"),
    (lambda ch: (ch.basic_publish("no-such-exchange", "", b"m"), ch.queue_declare("", exclusive=True)),
     404, "NOT_FOUND - no exchange 'no-such-exchange' in vhost '/'"),
])
def test_routing_errors_close_the_channel(conn, action, code, text):
    setup = conn.channel()
    setup.queue_declare("q-x")
    c = conn.channel()
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        action(c)
    assert (e.value.reply_code, e.value.reply_text) == (code, text)
    assert conn.is_open


def test_unknown_exchange_type_closes_the_connection_with_503(node):
    from amqp_fixture import connect
    c = connect(node)
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        c.channel().exchange_declare("bad-type", "nosuchtype")
    assert (e.value.reply_code, e.value.reply_text) == (
        503, "COMMAND_INVALID - unknown exchange type 'nosuchtype'")
