"""One broker across members (docs/clustering.md, "Queues across members"): a classic
queue lives on the member that declared it, and a client connected to any member
publishes to it, consumes from it, acks, gets, purges and deletes it, with ordering,
prefetch and publisher confirms kept end to end. Three real nodes on loopback; pika
clients connect to different members."""
import os
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "lib"))
from amqp_fixture import eventually  # noqa: E402
from test_cluster import join, make_nodes, ok, root, three  # noqa: E402,F401


def connect(node):
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, heartbeat=0))
    return c, c.channel()


def known_everywhere(nodes, queue):
    for n in nodes:
        assert eventually(lambda: f'"{queue}"' in n.ctl("export_definitions", "-").stdout)


def not_found_everywhere(nodes, passive_declare):
    """Waits until `passive_declare(channel)` answers 404 on every member."""
    for n in nodes:
        def gone():
            c, ch = connect(n)
            try:
                passive_declare(ch)
                return False
            except pika.exceptions.ChannelClosedByBroker as e:
                return e.reply_code == 404
            finally:
                if c.is_open:
                    c.close()
        assert eventually(gone, timeout=10), n.name


def fill(nodes, queue, bodies):
    """Declares durable `queue` on nodes[0] with persistent `bodies` in it, and waits
    until every member knows of it."""
    c, ch = connect(nodes[0])
    ch.queue_declare(queue, durable=True)
    for body in bodies:
        ch.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
    c.close()
    known_everywhere(nodes, queue)


def test_publish_through_one_member_and_consume_through_another(three):
    n1, n2, n3 = three
    c1, ch1 = connect(n1)
    ch1.queue_declare("orders", durable=True)
    c1.close()
    known_everywhere(three, "orders")
    # A durable exchange declared and bound through a third member routes there too.
    c2, ch2 = connect(n2)
    ch2.exchange_declare("shop", "direct", durable=True)
    ch2.queue_bind("orders", "shop", "new")
    c3, ch3 = connect(n3)
    ch3.confirm_delivery()
    count = 600
    for i in range(count):
        ex, key = ("shop", "new") if i % 2 else ("", "orders")
        ch3.basic_publish(ex, key, str(i).encode(),
                          pika.BasicProperties(delivery_mode=2, headers={"n": i}),
                          mandatory=True)
    # Every publish was confirmed (pika raises on a nack or a return).
    assert ch2.queue_declare("orders", passive=True).method.message_count == count
    ch2.basic_qos(prefetch_count=10)
    got = []
    unacked_seen = []

    def on_message(ch, method, props, body):
        got.append((int(body), props.headers["n"], method.redelivered))
        unacked_seen.append(len(got))
        if len(got) % 5 == 0:
            ch.basic_ack(method.delivery_tag, multiple=True)
        if len(got) == count:
            ch.stop_consuming()

    ch2.basic_consume("orders", on_message)
    deadline = time.time() + 30
    while len(got) < count and time.time() < deadline:
        c2.process_data_events(time_limit=1)
    assert [g[0] for g in got] == list(range(count)), "in publish order, each once"
    assert all(g[0] == g[1] for g in got), "headers round-trip"
    assert not any(g[2] for g in got)
    c2.close()
    c3.close()
    # Nothing is left on the member that holds it.
    c1, ch1 = connect(n1)
    assert ch1.queue_declare("orders", passive=True).method.message_count == 0
    c1.close()


def test_prefetch_is_kept_across_members(three):
    n1, n2, _ = three
    c1, ch1 = connect(n1)
    ch1.queue_declare("work", durable=True)
    for i in range(50):
        ch1.basic_publish("", "work", str(i).encode())
    c2, ch2 = connect(n2)
    ch2.basic_qos(prefetch_count=3)
    held = []
    ch2.basic_consume("work", lambda ch, m, p, b: held.append(m.delivery_tag))
    c2.process_data_events(time_limit=1)
    assert len(held) == 3, "no more than the prefetch without acks"
    # The member holding the queue sees the rest waiting and the deliveries unacked.
    info = ch1.queue_declare("work", passive=True).method
    assert info.consumer_count == 1
    assert info.message_count <= 47
    ch2.basic_ack(held[-1], multiple=True)
    c2.process_data_events(time_limit=1)
    assert len(held) == 6
    c2.close()
    # Closing the consumer's connection requeues what it had not acked.
    assert eventually(lambda: ch1.queue_declare("work", passive=True).method.message_count == 47)
    c1.close()


def test_get_purge_and_delete_through_another_member(three):
    n1, n2, n3 = three
    fill(three, "jobs", [f"job{i}".encode() for i in range(5)])
    c2, ch2 = connect(n2)
    # Redeclaring with other properties is refused as on the member that holds it.
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch2.queue_declare("jobs", durable=False)
    assert e.value.reply_code == 406
    ch2 = c2.channel()
    method, props, body = ch2.basic_get("jobs")
    assert body == b"job0" and method.message_count == 4 and not method.redelivered
    ch2.basic_nack(method.delivery_tag, requeue=True)
    method, _, body = ch2.basic_get("jobs", auto_ack=True)
    assert body == b"job0" and method.redelivered
    method, _, body = ch2.basic_get("jobs")
    assert body == b"job1"
    ch2.basic_ack(method.delivery_tag)
    c3, ch3 = connect(n3)
    assert ch3.queue_purge("jobs").method.message_count == 3
    assert ch3.basic_get("jobs") == (None, None, None)
    assert ch3.queue_delete("jobs").method.message_count == 0
    # Gone everywhere; declared again through n3, it lives on n3.
    for n in three:
        assert eventually(lambda: '"jobs"' not in n.ctl("export_definitions", "-").stdout)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch2.queue_declare("jobs", passive=True)
    assert e.value.reply_code == 404
    ch3.queue_declare("jobs", durable=True)
    ch3.basic_publish("", "jobs", b"again")
    c1, ch1 = connect(n1)
    assert eventually(lambda: ch1.queue_declare("jobs", passive=True).method.message_count == 1)
    c1.close()
    c2.close()
    c3.close()


def test_an_exclusive_consumer_holds_the_queue_across_members(three):
    n1, n2, n3 = three
    c1, ch1 = connect(n1)
    ch1.queue_declare("solo", durable=True)
    ch1.basic_consume("solo", lambda *a: None, exclusive=True)
    c2, ch2 = connect(n2)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch2.basic_consume("solo", lambda *a: None)
    assert e.value.reply_code == 403
    assert "in exclusive use" in e.value.reply_text
    c1.close()
    c2.close()


def test_when_the_queues_member_stops_consumers_are_cancelled_and_it_comes_back(three):
    n1, n2, n3 = three
    fill(three, "ledger", [f"m{i}".encode() for i in range(10)])
    c2, ch2 = connect(n2)
    cancelled = []
    ch2.add_on_cancel_callback(lambda frame: cancelled.append(frame))
    ch2.basic_qos(prefetch_count=4)
    held = []
    ch2.basic_consume("ledger", lambda ch, m, p, b: held.append(b))
    c2.process_data_events(time_limit=1)
    assert len(held) == 4
    n1.kill()
    deadline = time.time() + 10
    while not cancelled and time.time() < deadline:
        c2.process_data_events(time_limit=0.5)
    assert cancelled, "the consumer is told its queue is gone (basic.cancel)"
    # While n1 is down its queue answers NOT_FOUND naming the node, as in RabbitMQ.
    ch = c2.channel()
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.basic_get("ledger")
    assert e.value.reply_code == 404
    assert f"home node '{n1.name}' of durable queue 'ledger'" in e.value.reply_text
    # A confirmed publish to it is nacked, not lost silently.
    c3, ch3 = connect(n3)
    ch3.confirm_delivery()
    with pytest.raises(pika.exceptions.NackError):
        ch3.basic_publish("", "ledger", b"lost", pika.BasicProperties(delivery_mode=2))
    c3.close()
    c2.close()
    # Back with every persistent message, the 4 unacked ones included.
    n1.start()
    ok(n1.ctl("await_startup"))
    c2, ch2 = connect(n2)
    assert eventually(
        lambda: ch2.queue_declare("ledger", passive=True).method.message_count == 10, timeout=15)
    bodies = []
    for _ in range(10):
        _, _, body = ch2.basic_get("ledger", auto_ack=True)
        bodies.append(body)
    assert bodies == [f"m{i}".encode() for i in range(10)]
    c2.close()


def test_a_non_durable_queue_is_known_to_every_member_until_its_member_restarts(three):
    n1, n2, n3 = three
    c1, ch1 = connect(n1)
    ch1.queue_declare("scratch", durable=False)
    ch1.queue_bind("scratch", "amq.direct", "tmp")
    c1.close()
    c2, ch2 = connect(n2)
    assert eventually(lambda: connect(n2)[1].queue_declare("scratch", passive=True) is not None)
    ch2.basic_publish("amq.direct", "tmp", b"through a binding")
    ch2.basic_publish("", "scratch", b"by its name")
    c2.close()
    c3, ch3 = connect(n3)
    assert eventually(lambda: ch3.queue_declare("scratch", passive=True).method.message_count == 2)
    assert ch3.basic_get("scratch", auto_ack=True)[2] == b"through a binding"
    c3.close()
    # Not in the definitions: it is no definition, as on a standalone node.
    assert '"scratch"' not in n1.ctl("export_definitions", "-").stdout
    # It goes with its member's restart, everywhere.
    ok(n1.ctl("stop"))
    n1.start()
    ok(n1.ctl("await_startup"))
    not_found_everywhere(three, lambda ch: ch.queue_declare("scratch", passive=True))


def holders(node):
    """{queue: the member holding it} from the replicated definitions."""
    import json
    d = json.loads(ok(node.ctl("export_definitions", "-")).stdout)
    return {q["name"]: q.get("node") for q in d["queues"]}


def test_queue_master_locators_place_new_queues(three):
    n1, n2, n3 = three
    c1, ch1 = connect(n1)
    for name in ("a1", "a2"):
        ch1.queue_declare(name, durable=True)  # client-local, the default
    ch1.queue_declare("placed", durable=True, arguments={"x-queue-master-locator": "min-masters"})
    # Declared through n1, it lives on a member holding fewer queues, and n1 uses it.
    assert holders(n1)["placed"] in (n2.name, n3.name)
    ch1.basic_publish("", "placed", b"over there")
    assert eventually(lambda: ch1.queue_declare("placed", passive=True).method.message_count == 1)
    # The policy does it too; the argument wins over it.
    ok(n1.ctl("set_policy", "spread", "^spread", '{"queue-master-locator":"random"}',
              "--apply-to", "queues"))
    assert eventually(lambda: "spread" in n1.ctl("list_policies").stdout)
    for i in range(12):
        ch1.queue_declare(f"spread{i}", durable=True)
    ch1.queue_declare("spread-local", durable=True,
                      arguments={"x-queue-master-locator": "client-local"})
    placed = holders(n1)
    assert len({placed[f"spread{i}"] for i in range(12)}) > 1, "random spreads them"
    assert placed["spread-local"] == n1.name
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch1.queue_declare("bad", durable=True, arguments={"x-queue-master-locator": "nearest"})
    assert e.value.reply_code == 406
    assert "invalid arg 'x-queue-master-locator'" in e.value.reply_text
    c1.close()


def test_a_home_that_stops_answering_is_taken_for_down(three):
    import signal
    n1, n2, _ = three
    fill(three, "frozen", [b"x"])
    c2, ch2 = connect(n2)
    assert ch2.queue_declare("frozen", passive=True).method.message_count == 1
    os.kill(n1.pid, signal.SIGSTOP)
    try:
        t0 = time.time()
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            ch2.basic_get("frozen")
        assert e.value.reply_code == 404
        assert "is down or inaccessible" in e.value.reply_text
        assert 10 < time.time() - t0 < 30
    finally:
        os.kill(n1.pid, signal.SIGCONT)
    # Answering again, it is used again (a second after the failure).
    def count():
        try:
            return c2.channel().queue_declare("frozen", passive=True).method.message_count
        except pika.exceptions.ChannelClosedByBroker:
            return None
    assert eventually(lambda: count() == 1)
    c2.close()


def test_two_members_declaring_the_same_new_queue_at_once_make_one(three):
    import threading
    n1, n2, n3 = three
    names = [f"race{i}" for i in range(20)]
    start = threading.Barrier(2)
    errors = []

    def declare_all(node):
        try:
            c, ch = connect(node)
            start.wait()
            for name in names:
                ch.queue_declare(name, durable=True)
            c.close()
        except Exception as e:  # noqa: BLE001 - reported below
            errors.append(e)

    threads = [threading.Thread(target=declare_all, args=(n,)) for n in (n1, n2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(30)
    assert not errors
    c3, ch3 = connect(n3)
    for name in names:
        ch3.basic_publish("", name, b"one")
    c3.close()
    # Each name is one queue: its one message is seen through both declaring members.
    for n in (n1, n2):
        c, ch = connect(n)
        for name in names:
            assert eventually(lambda: ch.queue_declare(name, passive=True).method.message_count == 1), name
        c.close()


def test_a_non_durable_exchange_routes_on_every_member_until_its_member_restarts(three):
    n1, n2, n3 = three
    c1, ch1 = connect(n1)
    ch1.exchange_declare("pidbox", "fanout", durable=False)
    c1.close()
    c2, ch2 = connect(n2)
    assert eventually(lambda: connect(n2)[1].exchange_declare("pidbox", "fanout", passive=True))
    ch2.queue_declare("inbox", durable=True)
    ch2.queue_bind("inbox", "pidbox")
    c2.close()
    c3, ch3 = connect(n3)
    assert eventually(lambda: connect(n3)[1].exchange_declare("pidbox", "fanout", passive=True))
    ch3.basic_publish("pidbox", "", b"to everyone")
    assert eventually(lambda: ch3.queue_declare("inbox", passive=True).method.message_count == 1)
    c3.close()
    assert '"pidbox"' not in n1.ctl("export_definitions", "-").stdout
    ok(n1.ctl("stop"))
    n1.start()
    ok(n1.ctl("await_startup"))
    not_found_everywhere(three, lambda ch: ch.exchange_declare("pidbox", "fanout", passive=True))


def test_changes_through_a_member_keep_their_order_and_reach_every_member(three):
    """Declarations, bindings and deletions a channel makes are committed without
    stopping the node: each method's reply waits for its own commit, later methods
    wait behind it, and every member ends with what the client did last."""
    n1, n2, n3 = three
    c, ch = connect(n2)
    ch.exchange_declare("ordered-x", "direct", durable=True)
    for i in range(15):
        ch.queue_declare("ordered-q", durable=True)
        ch.queue_bind("ordered-q", "ordered-x", f"k{i}")
        if i % 3 == 2:
            ch.queue_unbind("ordered-q", "ordered-x", f"k{i}")
            ch.queue_delete("ordered-q")
    # The last round (i = 14) deleted it; declared again, bound with no-wait, and used
    # at once through the same connection.
    ch.queue_declare("ordered-q", durable=True)
    ch.queue_bind("ordered-q", "ordered-x", "last", arguments=None)
    ch.basic_publish("ordered-x", "last", b"routed")
    assert ch.basic_get("ordered-q", auto_ack=True)[2] == b"routed"
    c.close()

    def bindings(node):
        import json
        d = json.loads(ok(node.ctl("export_definitions", "-")).stdout)
        return sorted(b["routing_key"] for b in d["bindings"]
                      if b["source"] == "ordered-x" and b["destination"] == "ordered-q")
    for n in three:
        assert eventually(lambda: bindings(n) == ["last"]), (n.name, bindings(n))
    # Every member routes through the binding to the queue on n2.
    for n in (n1, n3):
        c, ch = connect(n)
        ch.confirm_delivery()
        ch.basic_publish("ordered-x", "last", b"from " + n.name.encode(), mandatory=True)
        c.close()
    c, ch = connect(n2)
    got = sorted(ch.basic_get("ordered-q", auto_ack=True)[2] for _ in range(2))
    assert got == sorted([b"from " + n.name.encode() for n in (n1, n3)])
    c.close()
    # An operator's commands through that member return once committed there.
    for _ in range(5):
        ok(n2.ctl("delete_queue", "ordered-q"))
        assert '"ordered-q"' not in ok(n2.ctl("export_definitions", "-")).stdout
        ok(n2.ctl("declare_queue", "ordered-q", "--durable"))
        assert '"ordered-q"' in ok(n2.ctl("export_definitions", "-")).stdout


def test_operators_purge_get_and_delete_a_queue_through_any_member(three):
    """warrenctl purge_queue, get and delete_queue sent to a member that does not hold
    the queue are carried out by the member that does."""
    import json
    n1, n2, n3 = three
    fill(three, "admin-q", [f"m{i}".encode() for i in range(4)])
    rows = json.loads(ok(n2.ctl("get", "admin-q", "--count", "2", "--ack-mode", "requeue",
                                "--formatter", "json")).stdout)
    assert [r["payload"] for r in rows] == ["m0", "m1"]
    rows = json.loads(ok(n3.ctl("get", "admin-q", "--formatter", "json")).stdout)
    assert [r["payload"] for r in rows] == ["m0"] and rows[0]["redelivered"]
    ok(n2.ctl("purge_queue", "admin-q"))
    c, ch = connect(n1)
    assert ch.queue_declare("admin-q", passive=True).method.message_count == 0
    ch.basic_publish("", "admin-q", b"left")
    c.close()
    r = n3.ctl("delete_queue", "admin-q", "--if-empty")
    assert r.returncode != 0 and "not empty" in r.stderr, r
    out = ok(n3.ctl("delete_queue", "admin-q")).stdout
    assert "1 ready message" in out, out
    not_found_everywhere(three, lambda ch: ch.queue_declare("admin-q", passive=True))
    # A queue nobody has is reported as on one node.
    r = n2.ctl("purge_queue", "admin-q")
    assert r.returncode != 0 and "not_found" in r.stderr, r


def test_a_members_non_durable_queues_go_when_it_is_down_for_net_ticktime(root):
    """As at RabbitMQ's nodedown: a member silent for net_ticktime loses its non-durable
    queues and exchanges (their names are free again on the others); its durable queues
    are only down until it returns."""
    from warren_node import Node
    d, nodes = root
    for _ in range(3):
        n = Node(root=d, config="net_ticktime: 2\n")
        n.start()
        nodes.append(n)
    n1, n2, n3 = nodes
    join(n2, n1)
    join(n3, n2)
    c3, ch3 = connect(n3)
    ch3.queue_declare("scratch3", durable=False)
    ch3.queue_declare("kept3", durable=True)
    ch3.exchange_declare("x3", "fanout", durable=False)
    c3.close()
    for n in (n1, n2):
        assert eventually(lambda: connect(n)[1].queue_declare("scratch3", passive=True) is not None)
    n3.kill()
    not_found_everywhere([n1, n2], lambda ch: ch.queue_declare("scratch3", passive=True))
    not_found_everywhere([n1, n2], lambda ch: ch.exchange_declare("x3", passive=True))
    c1, ch1 = connect(n1)
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch1.basic_get("kept3")
    assert e.value.reply_code == 404 and "is down or inaccessible" in e.value.reply_text
    # The name is free: declared again through n1, the queue lives on n1.
    ch1 = c1.channel()
    ch1.queue_declare("scratch3", durable=False)
    ch1.basic_publish("", "scratch3", b"on n1")
    c1.close()
    # n3 returns: it uses n1's queue, and its durable queue is back.
    n3.start()
    ok(n3.ctl("await_startup"))

    def count_through_n3():
        c, ch = connect(n3)
        try:
            return ch.queue_declare("scratch3", passive=True).method.message_count
        except pika.exceptions.ChannelClosedByBroker:
            return None
        finally:
            if c.is_open:
                c.close()
    # (n3 removing its own old records as it starts leaves n1's newer queue alone.)
    assert eventually(lambda: count_through_n3() == 1)
    c3, ch3 = connect(n3)
    assert ch3.basic_get("scratch3", auto_ack=True)[2] == b"on n1"
    assert ch3.queue_declare("kept3", passive=True).method.message_count == 0
    c3.close()


def test_an_exclusive_queue_takes_publishes_from_every_member_and_stays_locked(three):
    n1, n2, _ = three
    c1, ch1 = connect(n1)
    q = ch1.queue_declare("", exclusive=True).method.queue
    ch1.queue_bind(q, "amq.topic", "replies.#")
    c2, ch2 = connect(n2)

    def known_on_n2():  # locked once n2 knows it, not found before
        ch = c2.channel()
        try:
            ch.queue_declare(q, passive=True)
        except pika.exceptions.ChannelClosedByBroker as e:
            return e.reply_code == 405
        return False
    assert eventually(known_on_n2)
    ch2.confirm_delivery()
    ch2.basic_publish("", q, b"direct")
    ch2.basic_publish("amq.topic", "replies.x", b"routed")
    got = []
    for method, _, body in ch1.consume(q, inactivity_timeout=10):
        assert method is not None
        got.append(body)
        if len(got) == 2:
            break
    assert got == [b"direct", b"routed"]
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch2.basic_consume(q, lambda *a: None)
    assert e.value.reply_code == 405
    c1.close()
    # It goes with its connection, everywhere.
    assert eventually(lambda: q not in ok(n2.ctl("list_queues", "name")).stdout)
    c2.close()


def test_direct_reply_to_answers_through_another_member(three):
    from amqp_fixture import pump
    n1, n2, _ = three
    client, cch = connect(n1)
    server, sch = connect(n2)
    replies = []
    cch.basic_consume("amq.rabbitmq.reply-to", lambda c, m, p, b: replies.append(b), auto_ack=True)
    sch.queue_declare("rpc.work", durable=True)
    known_everywhere(three, "rpc.work")
    cch.basic_publish("", "rpc.work", b"ping", pika.BasicProperties(reply_to="amq.rabbitmq.reply-to"))
    assert eventually(lambda: sch.queue_declare("rpc.work", passive=True).method.message_count == 1)
    _, props, _ = sch.basic_get("rpc.work", auto_ack=True)
    sch.basic_publish("", props.reply_to, b"pong")
    pump(client, lambda: replies)
    assert replies == [b"pong"]
    client.close()
    server.close()
