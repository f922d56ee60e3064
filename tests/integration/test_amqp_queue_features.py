"""Queue arguments and policies on a real node: message TTL (queue and per message),
dead-lettering with x-death, max-length with drop-head, queue expiry, priorities,
single active consumer, auto-delete, the equivalence checks and argument validation,
and policies set with rabbitmqctl applying to queues."""
import os
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import ch, conn, connect, drain, eventually, node, pump  # noqa: E402,F401


def count(ch, q):
    return ch.queue_declare(q, passive=True).method.message_count


def test_queue_ttl_dead_letters_with_x_death(ch):
    ch.exchange_declare("dlx", "fanout")
    dead = ch.queue_declare("", exclusive=True).method.queue
    ch.queue_bind(dead, "dlx")
    q = ch.queue_declare("", exclusive=True, arguments={
        "x-message-ttl": 100, "x-dead-letter-exchange": "dlx"}).method.queue
    ch.basic_publish("", q, b"expiring", pika.BasicProperties(headers={"h": "v"}))
    assert eventually(lambda: count(ch, dead) == 1)
    assert count(ch, q) == 0
    method, props, body = ch.basic_get(dead, auto_ack=True)
    assert body == b"expiring"
    death = props.headers["x-death"][0]
    assert death["reason"] == "expired" and death["queue"] == q and death["count"] == 1
    assert death["exchange"] == "" and death["routing-keys"] == [q]
    assert props.headers["x-first-death-reason"] == "expired"
    assert props.headers["h"] == "v"


def test_per_message_expiration_and_rejection_dead_letter_routing_key(ch):
    dead = ch.queue_declare("", exclusive=True).method.queue
    q = ch.queue_declare("", exclusive=True, arguments={
        "x-dead-letter-exchange": "", "x-dead-letter-routing-key": dead}).method.queue
    ch.basic_publish("", q, b"short", pika.BasicProperties(expiration="50"))
    ch.basic_publish("", q, b"kept")
    assert eventually(lambda: count(ch, dead) == 1)
    method, _, body = ch.basic_get(q)
    assert body == b"kept"
    ch.basic_reject(method.delivery_tag, requeue=False)
    got = drain(ch, dead, timeout=0.2)
    assert [b for _, _, b in got] == [b"short", b"kept"]
    assert got[0][1].headers["x-death"][0]["original-expiration"] == "50"
    assert got[0][1].expiration is None
    assert got[1][1].headers["x-death"][0]["reason"] == "rejected"


def test_max_length_drops_the_head(ch):
    q = ch.queue_declare("", exclusive=True, arguments={"x-max-length": 2}).method.queue
    for b in (b"1", b"2", b"3"):
        ch.basic_publish("", q, b)
    assert [b for _, _, b in drain(ch, q, timeout=0.2)] == [b"2", b"3"]


def test_max_length_bytes(ch):
    q = ch.queue_declare("", exclusive=True, arguments={"x-max-length-bytes": 10}).method.queue
    for b in (b"12345", b"67890", b"abc"):
        ch.basic_publish("", q, b)
    assert [b for _, _, b in drain(ch, q, timeout=0.2)] == [b"67890", b"abc"]


def test_queue_expires_when_unused(ch):
    ch.queue_declare("expiring-queue", arguments={"x-expires": 200})
    time.sleep(0.5)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("expiring-queue", passive=True)
    assert e.value.reply_code == 404


def test_priorities(ch):
    q = ch.queue_declare("", exclusive=True, arguments={"x-max-priority": 5}).method.queue
    for p in (1, 9, 3, 0):
        ch.basic_publish("", q, str(p).encode(), pika.BasicProperties(priority=p))
    assert [b for _, _, b in drain(ch, q, timeout=0.2)] == [b"9", b"3", b"1", b"0"]


def test_single_active_consumer(node):
    # Consumers on separate connections: after a basic.cancel, pika's blocking adapter
    # stops dispatching deliveries to the other consumers on the same connection.
    ca, cb = connect(node), connect(node)
    ch, ch_b = ca.channel(), cb.channel()
    q = ch.queue_declare("sac", arguments={"x-single-active-consumer": True}).method.queue
    a, b = [], []
    tag_a = ch.basic_consume(q, lambda c, m, p, body: a.append(body), auto_ack=True)
    ch_b.basic_consume(q, lambda c, m, p, body: b.append(body), auto_ack=True)
    for i in range(4):
        ch.basic_publish("", q, str(i).encode())
    pump(ca, lambda: len(a) == 4)
    cb.process_data_events(time_limit=0.1)
    ch.basic_cancel(tag_a)
    ch.basic_publish("", q, b"after")
    pump(cb, lambda: b)
    assert a == [b"0", b"1", b"2", b"3"] and b == [b"after"]
    ch.queue_delete(q)
    ca.close()
    cb.close()


def test_auto_delete_queue_goes_with_its_last_consumer(conn):
    ch = conn.channel()
    ch.queue_declare("auto-del", auto_delete=True)
    tag = ch.basic_consume("auto-del", lambda *a: None)
    ch.basic_cancel(tag)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("auto-del", passive=True)
    assert e.value.reply_code == 404


def test_exclusive_queue_is_locked_to_its_connection_and_deleted_with_it(node):
    owner = connect(node)
    q = owner.channel().queue_declare("mine", exclusive=True).method.queue
    other = connect(node)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        other.channel().basic_get(q)
    assert e.value.reply_code == 405
    assert e.value.reply_text.startswith(
        "RESOURCE_LOCKED - cannot obtain exclusive access to locked queue 'mine' in vhost '/'")
    owner.close()
    other.channel().queue_declare("mine", exclusive=True)  # free again
    other.close()


@pytest.mark.parametrize("first,second,text", [
    ({"durable": False}, {"durable": True},
     "PRECONDITION_FAILED - inequivalent arg 'durable' for queue 'eq' in vhost '/': "
     "received 'true' but current is 'false'"),
    ({"arguments": {"x-message-ttl": 100}}, {"arguments": {"x-message-ttl": 200}},
     "PRECONDITION_FAILED - inequivalent arg 'x-message-ttl' for queue 'eq' in vhost '/': "
     "received the value '200' of type 'signedint' but current is the value '100' of type 'signedint'"),
    ({}, {"arguments": {"x-max-length": 5}},
     "PRECONDITION_FAILED - inequivalent arg 'x-max-length' for queue 'eq' in vhost '/': "
     "received the value '5' of type 'signedint' but current is none"),
])
def test_redeclaration_must_be_equivalent(conn, first, second, text):
    ch = conn.channel()
    ch.queue_delete("eq")
    ch.queue_declare("eq", **first)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("eq", **second)
    assert (e.value.reply_code, e.value.reply_text) == (406, text)
    conn.channel().queue_delete("eq")


@pytest.mark.parametrize("args,text", [
    ({"x-message-ttl": -1}, "{value_negative,-1}"),
    ({"x-message-ttl": "soon"}, "{unacceptable_type,longstr}"),
    ({"x-max-priority": 300}, "{value_too_large,300,255}"),
    ({"x-overflow": "explode"}, "{invalid_overflow,<<\"explode\">>}"),
])
def test_invalid_arguments_are_refused(conn, args, text):
    name = next(iter(args))
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        conn.channel().queue_declare("badargs", arguments=args)
    assert e.value.reply_code == 406
    assert e.value.reply_text == (f"PRECONDITION_FAILED - invalid arg '{name}' for queue 'badargs' "
                                  f"in vhost '/': {text}")


def test_delete_if_empty_and_if_unused(conn):
    ch = conn.channel()
    q = ch.queue_declare("del-checks").method.queue
    ch.basic_publish("", q, b"m")
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_delete(q, if_empty=True)
    assert e.value.reply_text == "PRECONDITION_FAILED - queue 'del-checks' in vhost '/' is not empty"
    ch = conn.channel()
    ch.basic_consume(q, lambda *a: None)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        conn.channel().queue_delete(q, if_unused=True)
    assert e.value.reply_text == "PRECONDITION_FAILED - queue 'del-checks' in vhost '/' in use"
    assert conn.channel().queue_delete(q).method.message_count == 0  # the consumer had it


def test_policy_sets_ttl_and_operator_policy_caps_it(node, conn):
    assert node.ctl("set_policy", "short", "^pol\\.", '{"message-ttl": 100000, "max-length": 10}',
                    "--apply-to", "queues").returncode == 0
    assert node.ctl("set_operator_policy", "cap", "^pol\\.", '{"max-length": 2}',
                    "--apply-to", "queues").returncode == 0
    ch = conn.channel()
    q = ch.queue_declare("pol.q").method.queue
    for b in (b"1", b"2", b"3"):
        ch.basic_publish("", q, b)
    assert [b for _, _, b in drain(ch, q, timeout=0.2)] == [b"2", b"3"]
    # A policy set later applies to the existing queue too.
    assert node.ctl("set_policy", "short", "^pol\\.", '{"message-ttl": 50}', "--apply-to",
                    "queues").returncode == 0
    ch.basic_publish("", q, b"soon gone")
    assert eventually(lambda: count(ch, q) == 0)
    node.ctl("clear_policy", "short")
    node.ctl("clear_operator_policy", "cap")
    ch.queue_delete(q)
