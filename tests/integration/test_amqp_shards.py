"""A node with two shards (warren.shards: 2): connections are handed to the shards in
turn, a queue is held by the shard of the connection that declared it, and every
connection uses every queue. Two connections opened one after the other are on
different shards, whichever shard the first one landed on."""
import json
import os
import sys

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, eventually, pump  # noqa: E402
from warren_node import Node  # noqa: E402


@pytest.fixture
def node():
    n = Node(config="warren.shards: 2\n")
    n.start()
    yield n
    n.cleanup()


def ok(r):
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def rows(node, *args):
    return json.loads(ok(node.ctl(*args, "--formatter", "json")).stdout)


def publish(ch, queue, bodies):
    ch.confirm_delivery()
    for b in bodies:
        ch.basic_publish("", queue, b, pika.BasicProperties(delivery_mode=2))


def drain(ch, queue, n):
    got = []
    for method, _, body in ch.consume(queue, inactivity_timeout=10):
        assert method is not None, f"only {len(got)} of {n} messages came"
        got.append(body)
        ch.basic_ack(method.delivery_tag)
        if len(got) == n:
            break
    ch.cancel()
    return got


def queue_on_each_shard(node, names, bodies, transient_too=False):
    """Two connections, one on each shard, each declaring one of `names` (durable) and
    publishing `bodies` to it, confirmed. The connections stay open."""
    conns = [connect(node), connect(node)]
    for c, q in zip(conns, names):
        ch = c.channel()
        ch.queue_declare(q, durable=True)
        if transient_too:
            ch.queue_declare(q + "-transient")
        publish(ch, q, bodies)
    return conns


def test_each_shard_uses_the_queues_the_other_holds(node):
    c1, c2 = connect(node), connect(node)
    ch1, ch2 = c1.channel(), c2.channel()
    ch1.queue_declare("by-first", durable=True)
    ch2.queue_declare("by-second", durable=True)
    bodies = [f"m{i}".encode() for i in range(500)]
    # Each connection publishes to the queue the other one's shard holds, confirmed.
    publish(ch2, "by-first", bodies)
    publish(ch1, "by-second", bodies)
    counts = {q["name"]: q["messages"] for q in rows(node, "list_queues", "name", "messages")}
    assert counts == {"by-first": 500, "by-second": 500}
    # Node-wide listings gather every shard's rows, each once.
    assert sorted(q["name"] for q in rows(node, "list_queues", "name")) == ["by-first", "by-second"]
    assert len(rows(node, "list_connections", "name")) == 2
    assert drain(ch2, "by-first", 500) == bodies
    assert drain(ch1, "by-second", 500) == bodies
    c1.close()
    c2.close()


def test_operators_reach_the_queues_of_every_shard(node):
    c1, c2 = queue_on_each_shard(node, ("op-a", "op-b"), [b"x", b"y", b"z"])
    for q in ("op-a", "op-b"):
        got = rows(node, "get", q, "--count", "1", "--ack-mode", "ack")
        assert [g["payload"] for g in got] == ["x"]
        r = ok(node.ctl("purge_queue", q))
        assert "Purging queue" in r.stdout
        assert {x["name"]: x["messages"] for x in rows(node, "list_queues", "name", "messages")}[q] == 0
        ok(node.ctl("delete_queue", q))
    assert rows(node, "list_queues", "name") == []
    c1.close()
    c2.close()


def test_a_permission_change_reaches_connections_on_every_shard(node):
    ok(node.ctl("add_user", "lim", "pw"))
    ok(node.ctl("set_permissions", "lim", ".*", ".*", ".*"))
    creds = pika.PlainCredentials("lim", "pw")
    conns = [pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, credentials=creds))
             for _ in range(2)]
    chans = [c.channel() for c in conns]
    for i, ch in enumerate(chans):
        ch.queue_declare(f"lim-{i}")
    ok(node.ctl("set_permissions", "lim", "^$", "^$", "^$"))
    for i, ch in enumerate(chans):
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            ch.queue_declare(f"lim-after-{i}")
        assert e.value.reply_code == 403
    for c in conns:
        c.close()


def test_confirmed_messages_of_both_shards_survive_kill_9(node):
    bodies = [f"p{i}".encode() for i in range(300)]
    queue_on_each_shard(node, ("kept-a", "kept-b"), bodies)
    node.kill()
    node.start()
    c = connect(node)
    ch = c.channel()
    for q in ("kept-a", "kept-b"):
        assert ch.queue_declare(q, passive=True).method.message_count == 300
        assert drain(ch, q, 300) == bodies
    c.close()


def test_fewer_shards_than_hold_durable_queues_refuse_to_start_the_app(node):
    queue_on_each_shard(node, ("kept-0", "kept-1"), [b"one", b"two"], transient_too=True)
    ok(node.ctl("stop"))
    with open(os.path.join(node.root, "warren.yaml"), "w") as f:
        f.write("warren.shards: 1\n")
    node.start(check=False)
    assert eventually(lambda: "set warren.shards to at least 2" in open(node.log_file).read())
    # Nothing was lost: with the shards back, both queues have their messages.
    node.ctl("stop")
    with open(os.path.join(node.root, "warren.yaml"), "w") as f:
        f.write("warren.shards: 2\n")
    node.start()
    c = connect(node)
    ch = c.channel()
    for q in ("kept-0", "kept-1"):
        assert ch.queue_declare(q, passive=True).method.message_count == 2
    names = sorted(q["name"] for q in rows(node, "list_queues", "name"))
    assert names == ["kept-0", "kept-1"]  # the non-durable ones went with the restart
    c.close()


def test_an_exclusive_queue_takes_messages_from_every_shard_and_stays_locked(node):
    owner, other = connect(node), connect(node)
    och, xch = owner.channel(), other.channel()
    q = och.queue_declare("", exclusive=True).method.queue  # server-named, as RPC clients do
    och.queue_bind(q, "amq.topic", "events.#")
    xch.confirm_delivery()
    xch.basic_publish("", q, b"direct")
    xch.basic_publish("amq.topic", "events.one", b"routed")
    assert drain(och, q, 2) == [b"direct", b"routed"]
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        xch.queue_declare(q, passive=True)
    assert e.value.reply_code == 405
    xch = other.channel()
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        xch.basic_get(q)
    assert e.value.reply_code == 405
    owner.close()
    assert eventually(lambda: rows(node, "list_queues", "name") == [])
    # And the bindings went with it, on every shard.
    assert eventually(lambda: [b for b in rows(node, "list_bindings", "source_name", "destination_name")
                               if b["destination_name"] == q] == [])
    other.close()


def test_direct_reply_to_answers_come_back_from_the_other_shard(node):
    client, server = connect(node), connect(node)
    cch, sch = client.channel(), server.channel()
    replies = []
    cch.basic_consume("amq.rabbitmq.reply-to", lambda c, m, p, b: replies.append((p, b)),
                      auto_ack=True)
    sch.queue_declare("rpc", exclusive=True)
    for i in range(3):
        cch.basic_publish("", "rpc", f"ping{i}".encode(),
                          pika.BasicProperties(reply_to="amq.rabbitmq.reply-to", correlation_id=str(i)))
    # The address names the client's shard; the server's shard sends the replies there.
    for _ in range(3):
        method = None
        for _ in range(100):
            method, props, body = sch.basic_get("rpc", auto_ack=True)
            if method:
                break
            server.sleep(0.01)
        assert props.reply_to.startswith("amq.rabbitmq.reply-to.")
        sch.basic_publish("", props.reply_to, body.replace(b"ping", b"pong"),
                          pika.BasicProperties(correlation_id=props.correlation_id))
    pump(client, lambda: len(replies) == 3)
    assert [(p.correlation_id, b) for p, b in replies] == [("0", b"pong0"), ("1", b"pong1"), ("2", b"pong2")]
    # A made-up address reaches nobody, and the publisher is not harmed.
    sch.basic_publish("", "amq.rabbitmq.reply-to.xyz~nobody@nowhere", b"lost")
    sch.basic_publish("", "amq.rabbitmq.reply-to.xyz~" + node.name + "/7", b"lost")
    assert sch.queue_declare("rpc", passive=True).method.message_count == 0
    client.close()
    server.close()


def test_connection_and_channel_limits_count_every_shard(node):
    ok(node.ctl("add_user", "lu", "pw"))
    ok(node.ctl("set_permissions", "lu", ".*", ".*", ".*"))
    ok(node.ctl("set_user_limits", "lu", '{"max-connections": 2, "max-channels": 3}'))
    creds = dict(credentials=pika.PlainCredentials("lu", "pw"))
    a, b = (pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, **creds))
            for _ in range(2))
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError) as e:
        pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, **creds))
    assert "user connection limit (2) is reached" in str(e.value)
    a.channel(), a.channel(), b.channel()
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        b.channel()
    assert e.value.reply_code == 530
    assert "maximum allowed user limit of (3)" in e.value.reply_text
    a.close()
    # What a closed connection held is counted no more, on any shard.
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, **creds))
    for _ in range(3):
        c.channel()
    c.close()
