"""Partitions between running members, made with the transport's fault switch
(docs/clustering.md, "Testing partitions"): each node reads the file
WARREN_TEST_CUT_FILE names, listing the nodes its network to is cut. The minority side
refuses metadata changes and pauses (pause_minority); nothing committed is lost when
the network heals."""
import json
import os
import socket
import sys
import tempfile
import threading
import time
import shutil
import signal

import pika
import pytest

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "lib"))
from amqp_fixture import eventually  # noqa: E402
from test_cluster import join, ok, publish_persistent, users  # noqa: E402
from warren_node import Node, free_port  # noqa: E402


@pytest.fixture
def cuttable(request):
    """Three members, each cuttable. The parameter is the partition handling, or
    (handling, "plugins"): the test plugins installed, each node serving the events
    plugin's routes on its own `test_port` once enabled."""
    param = getattr(request, "param", None)
    handling, with_plugins = (param[0], True) if isinstance(param, tuple) else (param, False)
    config = f"cluster_partition_handling: {handling}\n" if handling else ""
    d = tempfile.mkdtemp(prefix="warren-partition-")
    plugins_dir = os.environ.get("WARREN_TEST_PLUGINS_DIR") if with_plugins else None
    nodes = []
    try:
        for i in range(3):
            cut = os.path.join(d, f"cut{i}")
            open(cut, "w").close()
            env = {"WARREN_TEST_CUT_FILE": cut}
            test_port = free_port()
            if plugins_dir:
                env["WARREN_PLUGINS_DIR"] = plugins_dir
            n = Node(root=d, env=env,
                     config=config + (f"warren.test_plugin.port: {test_port}\n" if plugins_dir else "")
                     or None)
            n.test_port = test_port
            n.cut_file = cut
            n.start()
            nodes.append(n)
        n1, n2, n3 = nodes
        join(n2, n1)
        join(n3, n2)
        yield nodes
    finally:
        for n in nodes:
            n.kill()
        shutil.rmtree(d, ignore_errors=True)


def cut(node, *others):
    with open(node.cut_file, "w") as f:
        f.write("".join(o.name + "\n" for o in others))


def isolate(node, *others):
    """Cuts the network between `node` and each of `others`, both ways."""
    cut(node, *others)
    for o in others:
        cut(o, node)


def accepts_amqp(node):
    try:
        socket.create_connection(("127.0.0.1", node.port), timeout=1).close()
        return True
    except OSError:
        return False


def test_the_minority_refuses_changes_and_pauses_and_nothing_committed_is_lost(cuttable):
    n1, n2, n3 = cuttable
    publish_persistent(n1, "kept", [f"before{i}".encode() for i in range(10)])
    ok(n1.ctl("add_user", "before", "pw"))
    assert eventually(lambda: "before" in users(n3))

    # n3 is cut off from the two others, which keep a majority.
    isolate(n3, n1, n2)
    assert eventually(lambda: not accepts_amqp(n3), timeout=15), "pause_minority stops serving"
    # Paused, it refuses as a stopped app does (RabbitMQ's paused node too).
    r = n3.ctl("add_user", "minority", "pw")
    assert r.returncode == 64 and "requires the 'rabbit' app to be running" in r.stderr, r
    # The majority side goes on: a user, and messages published through n2.
    ok(n1.ctl("add_user", "during", "pw"))
    publish_persistent(n2, "kept", [f"during{i}".encode() for i in range(5)])
    assert "minority" not in users(n1)

    # Healed: n3 serves again and has everything committed meanwhile.
    for n in cuttable:
        cut(n)
    assert eventually(lambda: accepts_amqp(n3), timeout=20)
    assert eventually(lambda: {"before", "during"} <= users(n3), timeout=10)
    assert "minority" not in users(n3)
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
    ch = c.channel()
    assert eventually(lambda: ch.queue_declare("kept", passive=True).method.message_count == 15)
    bodies = [ch.basic_get("kept", auto_ack=True)[2] for _ in range(15)]
    assert bodies == [f"before{i}".encode() for i in range(10)] + [f"during{i}".encode() for i in range(5)]
    c.close()


@pytest.mark.parametrize("cuttable", ["autoheal", "ignore"], indirect=True)
def test_with_autoheal_or_ignore_the_minority_serves_clients_but_changes_nothing(cuttable):
    n1, n2, n3 = cuttable
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n1.port))
    c.channel().queue_declare("far", durable=True)
    c.close()
    assert eventually(lambda: '"far"' in n3.ctl("export_definitions", "-").stdout)
    isolate(n3, n1, n2)
    # (The cut takes effect within a second: probed with a change that may go through.)
    assert eventually(lambda: "no leader" in n3.ctl("add_user", "probe", "pw").stderr, timeout=15)
    r = n3.ctl("add_user", "minority", "pw")
    assert r.returncode != 0 and "no leader" in r.stderr, r
    assert accepts_amqp(n3), "it keeps serving clients"
    # cluster_status on the majority side lists the partition (a stopped member is not one).
    s = json.loads(ok(n1.ctl("cluster_status", "--formatter", "json")).stdout)
    assert s["partitions"] == {n1.name: [n3.name]}
    assert f"Node {n1.name} cannot communicate with {n3.name}" in ok(n1.ctl("cluster_status")).stdout
    # Its clients cannot reach the queue across the cut: RabbitMQ's words for a down home.
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        c.channel().basic_get("far")
    assert e.value.reply_code == 404 and "is down or inaccessible" in e.value.reply_text
    c.close()
    ok(n1.ctl("add_user", "majority", "pw"))
    for n in cuttable:
        cut(n)
    assert eventually(lambda: "majority" in users(n3), timeout=15)
    s = json.loads(ok(n1.ctl("cluster_status", "--formatter", "json")).stdout)
    assert s["partitions"] == {}
    assert "minority" not in users(n1) and "minority" not in users(n3)


def traffic(node, queue):
    """Publishes to and gets from `queue` on `node` in a loop, on a thread of its own,
    until the event is set: (the pauses between operations, the event, the thread)."""
    gaps, stop = [], threading.Event()

    def run():
        t = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port))
        ch = t.channel()
        last = time.monotonic()
        while not stop.is_set():
            ch.basic_publish("", queue, b"x")
            assert ch.basic_get(queue, auto_ack=True)[0] is not None
            now = time.monotonic()
            gaps.append(now - last)
            last = now
        t.close()

    worker = threading.Thread(target=run)
    worker.start()
    return gaps, stop, worker


@pytest.mark.parametrize("cuttable", ["ignore"], indirect=True)
def test_listing_queues_while_a_member_is_silent_does_not_stop_the_nodes_traffic(cuttable):
    """list_queues asks every member for its queues and waits for a silent one (its
    process paused); only the operator's request waits, not the node."""
    n1, n2, n3 = cuttable
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n1.port))
    c.channel().queue_declare("n1-traffic")
    c.close()
    os.kill(n3.pid, signal.SIGSTOP)  # connected, and silent
    gaps, stop, worker = traffic(n1, "n1-traffic")
    try:
        time.sleep(0.3)
        started = time.monotonic()
        listed = ok(n1.ctl("list_queues", "name", "--timeout", "4"))
        waited = time.monotonic() - started
        time.sleep(0.3)
    finally:
        stop.set()
        worker.join()
        os.kill(n3.pid, signal.SIGCONT)
    assert "n1-traffic" in listed.stdout
    assert waited > 1.5, waited  # it did wait for n3 (half the timeout)
    print(f"longest pause in traffic {max(gaps):.3f} s over {len(gaps)} operations")
    assert len(gaps) > 100 and max(gaps) < 0.5, (len(gaps), max(gaps))


@pytest.mark.parametrize("cuttable", ["ignore"], indirect=True)
def test_a_declaration_waiting_for_a_leader_does_not_stop_the_nodes_other_traffic(cuttable):
    n1, n2, n3 = cuttable
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
    c.channel().queue_declare("local-traffic", durable=True)
    c.close()

    # One client keeps publishing and getting on n3 while another declares a queue
    # there just after n3 is cut off, and operators add a user and declare a queue
    # there: all wait (for the leader n3 can no longer reach, then for an election) and
    # fail.
    operators = {}

    def operator(*args):
        started = time.monotonic()
        r = n3.ctl(*args)
        operators[args[0]] = (r, time.monotonic() - started)

    gaps, stop, worker = traffic(n3, "local-traffic")
    try:
        time.sleep(0.5)
        isolate(n3, n1, n2)
        time.sleep(1.5)  # the cut takes effect within a second
        d = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
        commands = [threading.Thread(target=operator, args=("add_user", "needs-a-leader", "pw")),
                    threading.Thread(target=operator, args=("declare_queue", "operators-queue"))]
        for t in commands:
            t.start()
        started = time.monotonic()
        with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
            d.channel().queue_declare("needs-a-leader", durable=True)
        waited = time.monotonic() - started
        for t in commands:
            t.join()
    finally:
        stop.set()
        worker.join()
    assert e.value.reply_code == 541, e.value
    assert waited > 1, waited
    for r, operator_waited in operators.values():
        assert r.returncode != 0 and "no leader" in r.stderr, r
        assert operator_waited > 1, operators
    # The refused declaration left nothing behind.
    assert "operators-queue" not in ok(n3.ctl("list_queues", "name", "--local")).stdout
    print(f"longest pause in traffic {max(gaps):.3f} s over {len(gaps)} operations")
    assert len(gaps) > 100 and max(gaps) < 1.0, (len(gaps), max(gaps))

    # Leaderless for longer than an election takes, n3 refuses changes at once.
    assert eventually(lambda: "no leader" in n3.ctl("add_user", "probe", "pw").stderr, timeout=15)
    time.sleep(5)
    started = time.monotonic()
    r = n3.ctl("add_user", "fast", "pw")
    assert r.returncode != 0 and "no leader" in r.stderr, r
    assert time.monotonic() - started < 1.5
    d = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
    started = time.monotonic()
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        d.channel().queue_declare("needs-a-leader", durable=True)
    assert e.value.reply_code == 541 and "no leader" in e.value.reply_text
    assert time.monotonic() - started < 1.5

    # Healed, the declaration goes through n3 again.
    for n in cuttable:
        cut(n)
    assert eventually(lambda: n3.ctl("add_user", "after", "pw").returncode == 0, timeout=15)
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n3.port))
    c.channel().queue_declare("needs-a-leader", durable=True)
    c.close()
    assert eventually(lambda: '"needs-a-leader"' in n1.ctl("export_definitions", "-").stdout)


@pytest.mark.parametrize("cuttable", [("ignore", "plugins")], indirect=True)
def test_a_plugins_admin_call_waiting_for_a_leader_holds_up_nothing_and_survives_a_disable(cuttable):
    """A plugin's HTTP handler runs on a fiber: its admin call waits for the cluster
    without stopping the node, and the plugin, disabled meanwhile, stays until the
    handler is done."""
    import urllib.request
    n1, n2, n3 = cuttable
    assert n3.ctl("enable", "warren_test_events", tool="warren-plugins").returncode == 0
    isolate(n3, n1, n2)
    time.sleep(1.5)  # the cut takes effect within a second
    answer = {}

    def put_user():
        req = urllib.request.Request(f"http://127.0.0.1:{n3.test_port}/users/via-plugin", method="PUT")
        try:
            urllib.request.urlopen(req, timeout=30)
        except urllib.error.HTTPError as e:
            answer["status"], answer["body"] = e.code, json.loads(e.read())

    waiting = threading.Thread(target=put_user)
    waiting.start()
    time.sleep(0.3)
    # The node answers its operators while the plugin's call waits.
    started = time.monotonic()
    assert "guest" in ok(n3.ctl("list_users")).stdout
    assert time.monotonic() - started < 1.0
    disabled = n3.ctl("disable", "warren_test_events", tool="warren-plugins")
    assert disabled.returncode == 0, disabled.stderr
    waiting.join()
    assert answer["status"] == 500 and "no leader" in answer["body"]["error"], answer
    assert ok(n3.ctl("status"))

    # A declaration the cluster refuses is undone without plugins hearing of it: they
    # never heard of its creation either.
    assert n3.ctl("enable", "warren_test_events", tool="warren-plugins").returncode == 0
    r = n3.ctl("declare_queue", "refused-q")
    assert r.returncode != 0 and "no leader" in r.stderr, r
    with urllib.request.urlopen(f"http://127.0.0.1:{n3.test_port}/events", timeout=5) as e:
        events = json.loads(e.read())
    assert [e for e in events if e["name"] == "refused-q"] == []
