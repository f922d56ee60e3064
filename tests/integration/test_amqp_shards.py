"""A node with two shards (warren.shards: 2): connections are handed to the shards in
turn, a queue is held by the shard of the connection that declared it, and every
connection uses every queue. Two connections opened one after the other are on
different shards, whichever shard the first one landed on; a connection moves to the
shard holding the queue it first uses, unless it declares that queue itself."""
import json
import os
import struct
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import (connect, eventually, frame, get_when_there, longstr,  # noqa: E402
                          method, pump, raw_connect, read_frame, shortstr, table)
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
    for delivery, _, body in ch.consume(queue, inactivity_timeout=10):
        assert delivery is not None, f"only {len(got)} of {n} messages came"
        got.append(body)
        ch.basic_ack(delivery.delivery_tag)
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


def test_unset_shard_count_is_one_per_core_and_serves_every_durable_queue(node):
    # Four shards each hold a durable queue; the node then restarts without
    # warren.shards. One shard per usable core is the default, but never fewer than
    # hold durable queues: all four are served, nothing is lost.
    node.ctl("stop")
    with open(os.path.join(node.root, "warren.yaml"), "w") as f:
        f.write("warren.shards: 4\n")
    node.start()
    conns = [connect(node) for _ in range(4)]
    for i, c in enumerate(conns):
        ch = c.channel()
        ch.queue_declare(f"d{i}", durable=True)
        publish(ch, f"d{i}", [f"{i}".encode()])
        c.close()
    assert sorted(shard_of(q["pid"]) for q in rows(node, "list_queues", "pid")) == [0, 1, 2, 3]
    node.ctl("stop")
    with open(os.path.join(node.root, "warren.yaml"), "w") as f:
        f.write("")
    node.start()
    expected = max(len(os.sched_getaffinity(0)), 4)

    def last_count():
        said = [line for line in open(node.log_file) if "the broker runs on" in line]
        return said and f"runs on {expected} shard(s)" in said[-1]
    assert eventually(last_count)
    c = connect(node)
    ch = c.channel()
    for i in range(4):
        assert ch.queue_declare(f"d{i}", passive=True).method.message_count == 1
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
    cch.queue_declare("the-clients-own")  # so it stays on its shard
    replies = []
    cch.basic_consume("amq.rabbitmq.reply-to", lambda c, m, p, b: replies.append((p, b)),
                      auto_ack=True)
    sch.queue_declare("rpc", exclusive=True)
    for i in range(3):
        cch.basic_publish("", "rpc", f"ping{i}".encode(),
                          pika.BasicProperties(reply_to="amq.rabbitmq.reply-to", correlation_id=str(i)))
    # The address names the client's shard; the server's shard sends the replies there.
    for _ in range(3):
        method, props, body = get_when_there(sch, "rpc")
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


def test_a_direct_reply_to_client_moves_with_its_reply_consumer_to_the_servers_shard(node):
    server = named(node, "server")
    sch = server.channel()
    sch.queue_declare("rpc")
    home = shard_of(rows(node, "list_queues", "name", "pid")[0]["pid"])
    requests = []
    sch.basic_consume("rpc", lambda c, m, p, b: requests.append((p, b)), auto_ack=True)
    clients = [named(node, f"client{i}") for i in range(2)]  # one lands elsewhere
    replies = {i: [] for i in range(2)}
    for i, c in enumerate(clients):
        ch = c.channel()
        ch.basic_consume("amq.rabbitmq.reply-to",
                         lambda c_, m, p, b, i=i: replies[i].append((p.correlation_id, b)),
                         auto_ack=True)
        for n in range(3):
            ch.basic_publish("", "rpc", f"ping{n}".encode(),
                             pika.BasicProperties(reply_to="amq.rabbitmq.reply-to",
                                                  correlation_id=f"{i}.{n}"))
    pump(server, lambda: len(requests) == 6)
    # Every address names the server's shard: the clients moved there before their
    # first request carried it.
    for p, body in requests:
        assert p.reply_to.endswith("~" + node.name + ("" if home == 0 else f"/{home}"))
        sch.basic_publish("", p.reply_to, body.replace(b"ping", b"pong"),
                          pika.BasicProperties(correlation_id=p.correlation_id))
    for i, c in enumerate(clients):
        pump(c, lambda i=i: len(replies[i]) == 3)
        assert replies[i] == [(f"{i}.{n}", f"pong{n}".encode()) for n in range(3)]
    assert set(shards_by_name(node).values()) == {home}
    for c in [server, *clients]:
        c.close()


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


def shard_of(pid):
    """The shard in a pid "<node.creation.serial.shard>"."""
    return int(pid.rstrip(">").rsplit(".", 1)[1])


def shards_by_name(node):
    """Each connection's shard, by the connection_name its client gave."""
    return {c["client_properties"].get("connection_name"): shard_of(c["pid"])
            for c in rows(node, "list_connections", "pid", "client_properties")}


def named(node, name):
    return connect(node, client_properties={"connection_name": name})


def test_a_connection_moves_to_the_shard_holding_the_queue_it_uses(node):
    setup = named(node, "setup")
    setup.channel().queue_declare("work", durable=True)
    home = shard_of(rows(node, "list_queues", "name", "pid")[0]["pid"])
    # Connections land on the shards in turn: of the next two, one lands elsewhere;
    # each moves to the queue's shard when it first uses the queue, with what its
    # channels had set up before (prefetch, confirms).
    consumer, producer = named(node, "consumer"), named(node, "producer")
    assert set(shards_by_name(node).values()) == {0, 1}
    cch = consumer.channel()
    cch.basic_qos(prefetch_count=7)
    got = []
    cch.basic_consume("work", lambda ch, m, p, body: got.append((m.delivery_tag, body)))
    pch = producer.channel()
    pch.confirm_delivery()
    bodies = [f"m{i}".encode() for i in range(300)]
    for b in bodies:  # pika checks each confirm's delivery tag against its publish
        pch.basic_publish("", "work", b, pika.BasicProperties(delivery_mode=2), mandatory=True)
    assert shards_by_name(node) == {"setup": home, "consumer": home, "producer": home}
    chans = rows(node, "list_channels", "prefetch_count", "confirm", "consumer_count")
    assert {(c["prefetch_count"], c["confirm"], c["consumer_count"]) for c in chans} >= {
        (7, False, 1), (0, True, 0)}
    # The prefetch set before the move holds: seven at a time until they are acked.
    pump(consumer, lambda: len(got) == 7)
    pump(consumer, lambda: False, timeout=0.3)
    assert len(got) == 7
    while len(got) < 300:
        cch.basic_ack(len(got), multiple=True)
        n = min(len(got) + 7, 300)
        pump(consumer, lambda: len(got) == n)
        assert len(got) == n
    assert [b for _, b in got] == bodies
    assert [t for t, _ in got] == list(range(1, 301))
    # Once on its shard, a connection stays there, whatever it uses next.
    elsewhere = named(node, "elsewhere")
    elsewhere.channel().queue_declare("other")
    other_shard = shards_by_name(node)["elsewhere"]
    pch.basic_publish("", "other", b"x")
    assert shards_by_name(node)["producer"] == home
    assert shards_by_name(node)["elsewhere"] == other_shard
    assert len(rows(node, "list_connections", "name")) == 4
    for c in (setup, consumer, producer, elsewhere):
        c.close()
    assert eventually(lambda: rows(node, "list_connections", "name") == [])


def test_transactions_and_gets_carry_over_a_move_and_exclusive_owners_stay(node):
    setup = named(node, "setup")
    sch = setup.channel()
    sch.queue_declare("txq")
    home = shard_of(rows(node, "list_queues", "name", "pid")[0]["pid"])
    movers = [named(node, f"mover{i}") for i in range(2)]  # one lands elsewhere
    for m in movers:
        ch = m.channel()
        ch.tx_select()
        ch.basic_publish("", "txq", b"uncommitted until commit")  # moves here
        assert sch.queue_declare("txq", passive=True).method.message_count == 0
        ch.tx_commit()
        method, _, body = ch.basic_get("txq", auto_ack=False)
        assert body == b"uncommitted until commit" and method.delivery_tag == 1
        ch.tx_commit()  # the get's ack, in the transaction
    assert {s for n, s in shards_by_name(node).items() if n.startswith("mover")} == {home}
    assert sch.queue_declare("txq", passive=True).method.message_count == 0
    # A connection owning an exclusive queue stays with it, whatever it uses next.
    owners = [named(node, f"owner{i}") for i in range(2)]
    for o in owners:
        och = o.channel()
        mine = och.queue_declare("", exclusive=True).method.queue
        och.basic_publish("", "txq", b"x")
        och.basic_publish("", mine, b"mine")
        assert och.basic_get(mine, auto_ack=True)[2] == b"mine"
    assert {s for n, s in shards_by_name(node).items() if n.startswith("owner")} == {0, 1}
    for c in [setup, *movers, *owners]:
        c.close()


def test_a_moved_connection_counts_once_towards_the_limits(node):
    ok(node.ctl("add_user", "mu", "pw"))
    ok(node.ctl("set_permissions", "mu", ".*", ".*", ".*"))
    ok(node.ctl("set_user_limits", "mu", '{"max-connections": 2, "max-channels": 3}'))
    connect(node).channel().queue_declare("held")
    creds = pika.PlainCredentials("mu", "pw")

    def user_connection():
        return pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port,
                                                                 credentials=creds))
    a, b = user_connection(), user_connection()
    for c in (a, b):  # one of them moves
        c.channel().queue_declare("held", passive=True)
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError):
        user_connection()
    a.channel()
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        a.channel()
    assert e.value.reply_code == 530
    b.close()
    # What the closed connections held is counted no more, on either shard.
    c, d = user_connection(), user_connection()
    c.channel(), c.channel(), d.channel()
    c.close()
    d.close()


def pipelined(node, name):
    """A raw connection through the handshake whose next writes carry many frames."""
    s = raw_connect(node)
    s.sendall(b"AMQP\x00\x00\x09\x01")
    read_frame(s)  # start
    s.sendall(method(0, 10, 11, table({"connection_name": name}) + shortstr("PLAIN") +
                     longstr(b"\x00guest\x00guest") + shortstr("en_US")))
    read_frame(s)  # tune
    s.sendall(method(0, 10, 31, struct.pack(">HIH", 2047, 131072, 0)) +
              method(0, 10, 40, shortstr("/") + shortstr("") + b"\x00"))
    assert read_frame(s)[2][:4] == struct.pack(">HH", 10, 41)  # open-ok
    return s


def publish_frames(queue, body, split=None):
    """basic.publish on channel 1 to the default exchange, its header and its body (in
    two frames when `split`)."""
    head = method(1, 60, 40, b"\x00\x00" + shortstr("") + shortstr(queue) + b"\x00")
    header = frame(2, 1, struct.pack(">HHQH", 60, 0, len(body), 0))
    if split is None:
        return head + header + frame(3, 1, body)
    return head + header + frame(3, 1, body[:split]) + frame(3, 1, body[split:])


def test_input_sent_ahead_of_a_move_is_handled_on_the_new_shard_in_order(node):
    setup = named(node, "setup")
    setup.channel().queue_declare("ahead")
    home = shard_of(rows(node, "list_queues", "name", "pid")[0]["pid"])
    # The next raw connection is on the other shard. One write carries channel.open,
    # confirm.select and five publishes to the queue: the first publish moves the
    # connection, and everything after it is handled there, in order. The last
    # publish's body is cut mid-frame, so its remainder arrives at the new shard.
    s = pipelined(node, "ahead")
    assert shards_by_name(node)["ahead"] != home
    body = b"x" * 3000
    batch = (method(1, 20, 10, shortstr("")) + method(1, 85, 10, b"\x00") +
             b"".join(publish_frames("ahead", f"p{i}".encode()) for i in range(4)) +
             publish_frames("ahead", body, split=1000))
    cut = len(batch) - 1500
    s.sendall(batch[:cut])
    time.sleep(0.3)
    s.sendall(batch[cut:])
    acked = 0
    kinds = []
    while acked < 5:
        ftype, channel, payload = read_frame(s)
        cls, mth = struct.unpack(">HH", payload[:4])
        kinds.append((cls, mth))
        if (cls, mth) == (60, 80):
            tag, multiple = struct.unpack(">Q?", payload[4:13])
            assert tag > acked
            acked = tag
    assert kinds[:2] == [(20, 11), (85, 11)]
    assert shards_by_name(node)["ahead"] == home
    assert drain(setup.channel(), "ahead", 5) == [b"p0", b"p1", b"p2", b"p3", body]
    # A bad frame in the same write as a move: the methods before it are handled on
    # the new shard, then the connection closes with 501.
    extra = []
    while True:  # connections land on the shards in turn: one of two lands elsewhere
        s2 = pipelined(node, f"bad{len(extra)}")
        if shards_by_name(node)[f"bad{len(extra)}"] != home:
            break
        extra.append(s2)
    s2.sendall(method(1, 20, 10, shortstr("")) + publish_frames("ahead", b"kept") +
               struct.pack(">BHI", 8, 0, 0) + b"\x00")
    frames = []
    while (f := read_frame(s2)) is not None:
        frames.append(f)
        if f[0] == 1 and f[2][:4] == struct.pack(">HH", 10, 50):
            break
    assert struct.unpack(">H", frames[-1][2][4:6])[0] == 501
    assert drain(setup.channel(), "ahead", 1) == [b"kept"]
    for sock in [s, s2, *extra]:
        sock.close()
    setup.close()
