"""Clustering with warrenctl as operators do it with rabbitmqctl: three real nodes on
loopback, each with its own name, ports and data directory, sharing a cookie and a
runtime directory (as nodes on one host share epmd). Transcripts follow
shared/reference/rabbitmq-3.10.8/cluster.txt."""
import json
import os
import shutil
import sys
import tempfile
import time

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "lib"))
from amqp_fixture import eventually  # noqa: E402
from warren_node import Node  # noqa: E402


@pytest.fixture
def root():
    d = tempfile.mkdtemp(prefix="warren-cluster-")
    nodes = []
    yield d, nodes
    for n in nodes:
        n.kill()
    shutil.rmtree(d, ignore_errors=True)


def make_nodes(root, count, config=None):
    """Starts `count` more nodes (with `config`, when given); every node of the root."""
    d, nodes = root
    for i in range(count):
        n = Node(root=d, config=config)
        n.start()
        nodes.append(n)
    return nodes


def ok(r):
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def join(node, seed, *flags):
    ok(node.ctl("stop_app"))
    ok(node.ctl("reset"))
    r = ok(node.ctl("join_cluster", *flags, seed.name))
    assert r.stdout == f"Clustering node {node.name} with {seed.name}\n"
    ok(node.ctl("start_app"))


def publish_persistent(node, queue, bodies):
    """Declares durable `queue` through `node` and publishes `bodies` to it, persistent
    and confirmed."""
    import pika
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port))
    ch = c.channel()
    ch.queue_declare(queue, durable=True)
    ch.confirm_delivery()
    for body in bodies:
        ch.basic_publish("", queue, body, pika.BasicProperties(delivery_mode=2))
    c.close()


def status(node):
    return json.loads(ok(node.ctl("cluster_status", "--formatter", "json")).stdout)


def users(node):
    r = ok(node.ctl("list_users", "--formatter", "json"))
    return {u["user"] for u in json.loads(r.stdout)}


@pytest.fixture
def three(root):
    n1, n2, n3 = make_nodes(root, 3)
    join(n2, n1)
    join(n3, n2)  # through a member that is not the first node
    return n1, n2, n3


def test_the_operator_sequence_makes_one_cluster_of_three(three):
    n1, n2, n3 = three
    names = sorted(n.name for n in three)
    for n in three:
        s = status(n)
        assert sorted(s["disk_nodes"]) == names
        assert s["ram_nodes"] == []
        assert sorted(s["running_nodes"]) == names
        assert sorted(s["versions"]) == names
        assert s["partitions"] == {}
        # Every running member reports its listeners, the inter-node one first.
        for m in three:
            first = s["listeners"][m.name][0]
            assert first["protocol"] == "clustering"
            assert first["purpose"] == "inter-node and CLI tool communication"
    text = ok(n1.ctl("cluster_status")).stdout
    assert text.startswith(f"Cluster status of node {n1.name} ...\n")
    disk = text.split("Disk Nodes")[1].split("Running Nodes")[0]
    assert [l for l in disk.splitlines() if "@" in l] == names


def test_metadata_changes_on_one_node_are_on_every_node(three):
    n1, n2, n3 = three
    ok(n1.ctl("add_user", "alice", "secret"))
    ok(n3.ctl("add_vhost", "orders"))
    ok(n2.ctl("set_permissions", "-p", "orders", "alice", ".*", ".*", ".*"))
    ok(n3.ctl("set_policy", "-p", "orders", "ttl", "^q", '{"message-ttl": 1000}'))
    ok(n2.ctl("set_user_tags", "alice", "monitoring"))
    for n in three:
        assert eventually(lambda: "alice" in users(n))
        assert eventually(lambda: "orders" in n.ctl("list_vhosts").stdout)
        perms = ok(n.ctl("list_permissions", "-p", "orders", "--formatter", "json")).stdout
        assert {"user": "alice", "configure": ".*", "write": ".*", "read": ".*"} in json.loads(perms)
        pol = json.loads(ok(n.ctl("list_policies", "-p", "orders", "--formatter", "json")).stdout)
        assert [p["name"] for p in pol] == ["ttl"]
        assert ok(n.ctl("authenticate_user", "alice", "secret")).returncode == 0
    # Errors come back from the leader with rabbitmqctl's words and codes.
    r = n3.ctl("add_user", "alice", "again")
    assert r.returncode == 70
    assert 'User "alice" already exists' in r.stderr
    r = n2.ctl("delete_user", "nobody")
    assert r.returncode == 67
    ok(n2.ctl("delete_user", "alice"))
    for n in three:
        assert eventually(lambda: "alice" not in users(n))


def test_a_permission_change_reaches_open_connections_on_every_member(three):
    import pika
    n1, n2, n3 = three
    ok(n1.ctl("add_user", "lim", "pw"))
    ok(n1.ctl("set_permissions", "lim", ".*", ".*", ".*"))
    assert eventually(lambda: "lim" in users(n2))
    c = pika.BlockingConnection(pika.ConnectionParameters(
        "127.0.0.1", n2.port, credentials=pika.PlainCredentials("lim", "pw")))
    ch = c.channel()
    ch.queue_declare("lim.before")
    ok(n1.ctl("set_permissions", "lim", "^$", "^$", "^$"))
    assert eventually(lambda: '"configure": "^$"' in n2.ctl(
        "list_user_permissions", "lim", "--formatter", "json").stdout.replace('":"', '": "'))
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("lim.after")
    assert e.value.reply_code == 403
    c.close()


def test_join_refusals(root):
    n1, n2 = make_nodes(root, 2)
    ok(n2.ctl("add_user", "kept", "pw"))
    r = n2.ctl("join_cluster", n1.name)
    assert r.returncode == 64
    assert "this command requires the 'rabbit' app to be stopped on the target node" in r.stderr
    ok(n2.ctl("stop_app"))
    r = n2.ctl("join_cluster", n2.name)
    assert r.returncode == 70
    assert r.stderr == f"Error:\nError: cannot cluster node with itself: {n2.name}\n"
    r = n2.ctl("join_cluster", "nosuch@localhost")
    assert r.returncode == 69
    assert "nosuch@localhost" in r.stderr
    r = n2.ctl("join_cluster", "rabbit@")
    assert r.returncode == 65
    assert "rabbit@" in r.stderr
    # Still standalone, with what it held: a join that cannot start wipes nothing.
    ok(n2.ctl("start_app"))
    assert status(n2)["disk_nodes"] == [n2.name]
    assert "kept" in users(n2)


def test_members_running_several_shards_use_each_others_queues(root):
    """Every shard of every member reaches every other's queues: connections land on
    the shards in turn, each declares a queue there, and clients of the other member
    publish to and consume from all of them."""
    import pika
    seed = make_nodes(root, 1, "warren.shards: 3\n")[-1]
    n2 = make_nodes(root, 1, "warren.shards: 2\n")[-1]
    join(n2, seed)

    def connect(node):
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", node.port, heartbeat=0))
        return c, c.channel()

    # Three connections to the seed cover its three shards, two to n2 its two.
    queues = []
    conns = []
    for node, count in ((seed, 3), (n2, 2)):
        for i in range(count):
            c, ch = connect(node)
            q = f"{node.name.split('@')[0]}-{i}"
            ch.queue_declare(q, durable=True)
            queues.append(q)
            conns.append((node, c, ch))
    for node in (seed, n2):
        assert eventually(lambda: all(f'"{q}"' in node.ctl("export_definitions", "-").stdout
                                      for q in queues))
    # Every connection publishes to every queue, confirmed.
    for node, c, ch in conns:
        ch.confirm_delivery()
        for q in queues:
            ch.basic_publish("", q, f"{node.name}>{q}".encode(),
                             pika.BasicProperties(delivery_mode=2))
    # Every queue, drained through a connection of the member that does not hold it.
    for node, c, ch in conns:
        other = [x for x in conns if x[0] is not node][0]
        q = queues[conns.index((node, c, ch))]
        got = []
        for _ in range(len(conns)):
            m = None
            for _ in range(100):
                m = other[2].basic_get(q, auto_ack=True)
                if m[0]:
                    break
                time.sleep(0.05)
            assert m[0], f"{q} through {other[0].name}"
            got.append(m[2].decode())
        assert sorted(got) == sorted(f"{x[0].name}>{q}" for x in conns)
    for _, c, _ in conns:
        c.close()
    # Listings name the member that holds each queue; its pid names the shard.
    rows = json.loads(ok(n2.ctl("list_queues", "name", "pid", "--formatter", "json")).stdout)
    pids = {r["name"]: r["pid"] for r in rows}
    assert sorted(pids) == sorted(queues)
    for node, shards in ((seed, 3), (n2, 2)):
        mine = [pids[q] for q in queues if q.startswith(node.name.split("@")[0] + "-")]
        assert all(p.startswith(f"<{node.name}.") for p in mine), mine
        assert sorted(p.rstrip(">").rsplit(".", 1)[1] for p in mine) == [str(i) for i in range(shards)]
    # A member that leaves takes the queues of all its shards with it.
    ok(n2.ctl("stop_app"))
    mine = sorted(q for q in queues if q.startswith(n2.name.split("@")[0] + "-"))
    rows = json.loads(ok(seed.ctl("list_queues", "name", "state", "--formatter", "json")).stdout)
    assert sorted(r["name"] for r in rows if r["state"] == "down") == mine
    ok(seed.ctl("forget_cluster_node", n2.name))
    rows = json.loads(ok(seed.ctl("list_queues", "name", "--formatter", "json")).stdout)
    assert sorted(r["name"] for r in rows) == sorted(set(queues) - set(mine))


def test_a_node_with_another_cookie_is_refused(root):
    d, nodes = root
    n1 = make_nodes(root, 1)[0]
    other = tempfile.mkdtemp(prefix="warren-cookie-", dir=d)
    cookie = os.path.join(other, ".cookie")
    with open(cookie, "w") as f:
        f.write("NOTTHESAMECOOKIE")
    os.chmod(cookie, 0o400)
    n2 = Node(root=d, env={"WARREN_COOKIE_FILE": cookie})
    n2.start()
    nodes.append(n2)
    ok(n2.ctl("stop_app"))
    r = n2.ctl("join_cluster", n1.name)
    assert r.returncode == 69
    assert "the cookie does not match" in r.stderr
    assert "NOTTHESAMECOOKIE" not in r.stderr
    assert eventually(lambda: "with the wrong cookie" in open(n1.log_file).read())
    assert status(n1)["disk_nodes"] == [n1.name]


def test_reset_leaves_the_cluster_and_tells_the_others(three):
    n1, n2, n3 = three
    ok(n2.ctl("stop_app"))
    ok(n2.ctl("reset"))
    ok(n2.ctl("start_app"))
    assert sorted(status(n1)["disk_nodes"]) == sorted([n1.name, n3.name])
    assert status(n2)["disk_nodes"] == [n2.name]
    # As in RabbitMQ, forgetting it afterwards finds nothing to forget.
    r = n1.ctl("forget_cluster_node", n2.name)
    assert r.returncode == 69
    assert r.stderr == "Error:\n{:not_a_cluster_node, 'The node selected is not in the cluster.'}\n"
    # The two that remain still replicate.
    ok(n3.ctl("add_user", "bob", "pw"))
    assert eventually(lambda: "bob" in users(n1))
    assert "bob" not in users(n2)


def test_a_sharded_member_killed_comes_back_with_every_shards_queues(root):
    """Durable queues on both shards of a member survive its kill -9 with every
    confirmed message; meanwhile the other member names the node that is down."""
    import pika
    seed, n2 = make_nodes(root, 2, "warren.shards: 2\n")
    join(n2, seed)
    # A third member keeps the majority while the seed is down (no pause_minority).
    join(make_nodes(root, 1)[-1], seed)
    for q in ("k0", "k1"):  # one connection each: one queue on each shard of the seed
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", seed.port))
        ch = c.channel()
        ch.queue_declare(q, durable=True)
        ch.confirm_delivery()
        for i in range(5):
            ch.basic_publish("", q, f"{q}-{i}".encode(), pika.BasicProperties(delivery_mode=2))
        c.close()
    for q in ("k0", "k1"):
        assert eventually(lambda: f'"{q}"' in n2.ctl("export_definitions", "-").stdout)
    seed.kill()
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n2.port))
    for q in ("k0", "k1"):
        with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
            c.channel().basic_get(q)
        assert e.value.reply_code == 404
        assert f"home node '{seed.name}' of durable queue '{q}'" in e.value.reply_text
    c.close()
    seed.start()
    ok(seed.ctl("await_startup"))
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n2.port))
    ch = c.channel()
    for q in ("k0", "k1"):
        assert eventually(
            lambda: ch.queue_declare(q, passive=True).method.message_count == 5, timeout=15)
        got = [ch.basic_get(q, auto_ack=True)[2] for _ in range(5)]
        assert got == [f"{q}-{i}".encode() for i in range(5)]
    c.close()


def test_forget_the_leader_of_two_from_the_other(root):
    """The first node leads; the second forgets it once its app is stopped, the usual
    way out of a two-node cluster. The leader hands over to the asking node, which
    then removes it."""
    seed, n2 = make_nodes(root, 2)
    join(n2, seed)
    ok(seed.ctl("stop_app"))
    r = ok(n2.ctl("forget_cluster_node", seed.name, timeout=15))
    assert r.stdout == f"Removing node {seed.name} from the cluster\n"
    assert status(n2)["disk_nodes"] == [n2.name]
    ok(n2.ctl("add_user", "after", "pw"))  # n2 alone is the cluster's majority
    assert "after" in users(n2)


def test_forget_cluster_node(three):
    n1, n2, n3 = three
    r = n1.ctl("forget_cluster_node", n3.name)
    assert r.returncode == 69
    assert r.stdout == f"Removing node {n3.name} from the cluster\n"
    assert (f"RabbitMQ on node {n3.name} must be stopped with 'rabbitmqctl -n {n3.name} stop_app' "
            "before it can be removed") in r.stderr
    r = n1.ctl("forget_cluster_node", "nosuch@localhost")
    assert r.returncode == 69
    # n3 holds a durable queue and declared a non-durable exchange, bound to n1's queue.
    ok(n1.ctl("declare_queue", "kept-q", "--durable"))
    ok(n3.ctl("declare_queue", "held-by-n3", "--durable"))
    ok(n3.ctl("declare_exchange", "n3-x", "fanout"))
    ok(n3.ctl("bind", "n3-x", "kept-q"))
    assert eventually(lambda: '"held-by-n3"' in n1.ctl("export_definitions", "-").stdout)
    ok(n3.ctl("stop_app"))
    ok(n1.ctl("forget_cluster_node", n3.name))
    assert sorted(status(n1)["disk_nodes"]) == sorted([n1.name, n2.name])
    assert eventually(lambda: sorted(status(n2)["disk_nodes"]) == sorted([n1.name, n2.name]))
    # Its queue and exchange went with it, as RabbitMQ's forget_cluster_node deletes the
    # queues the node held: the name is free for a new queue, which works.
    for n in (n1, n2):
        assert eventually(lambda: "held-by-n3" not in n.ctl("list_queues", "name").stdout)
        assert eventually(lambda: "n3-x" not in n.ctl("list_exchanges", "name").stdout)
    assert "kept-q" in ok(n2.ctl("list_queues", "name")).stdout
    ok(n2.ctl("declare_queue", "held-by-n3", "--durable"))
    ok(n1.ctl("publish", "--routing-key", "held-by-n3", "fresh"))
    assert '"fresh"' in ok(n1.ctl("get", "held-by-n3", "--formatter", "json")).stdout
    # The forgotten node may not come back as if nothing happened...
    r = n3.ctl("start_app")
    assert r.returncode == 69
    assert "inconsistent_cluster" in r.stderr
    assert f"but {n1.name} disagrees" in r.stderr or f"but {n2.name} disagrees" in r.stderr
    # ...until it is reset.
    ok(n3.ctl("reset"))
    ok(n3.ctl("start_app"))
    assert status(n3)["disk_nodes"] == [n3.name]


def test_a_ram_node_is_listed_as_such(root):
    n1, n2 = make_nodes(root, 2)
    join(n2, n1, "--ram")
    s = status(n1)
    assert s["disk_nodes"] == [n1.name]
    assert s["ram_nodes"] == [n2.name]
    ok(n2.ctl("add_user", "carol", "pw"))
    assert eventually(lambda: "carol" in users(n1))


def test_a_stopped_member_is_not_running_and_catches_up_on_restart(three):
    n1, n2, n3 = three
    n3.kill()
    assert eventually(lambda: sorted(status(n1)["running_nodes"]) == sorted([n1.name, n2.name]))
    assert len(status(n1)["disk_nodes"]) == 3
    for i in range(20):
        ok(n1.ctl("add_user", f"u{i}", "pw"))
    n3.start()
    assert eventually(lambda: {f"u{i}" for i in range(20)} <= users(n3), timeout=10)
    assert eventually(lambda: len(status(n1)["running_nodes"]) == 3)


def test_changes_reported_done_survive_kill_9_of_a_follower_and_the_leader(three):
    """add_user runs in a loop against the members still up while one member and then
    the first (the leader, as nothing has moved leadership) are killed with SIGKILL
    and restarted; every user reported as added is on every node afterwards."""
    import random
    import threading
    n1, n2, n3 = three
    done, stop = [], threading.Event()
    down = set()

    def writer():
        i = 0
        while not stop.is_set():
            up = [n for n in three if n.name not in down]
            target = random.choice(up)
            r = target.ctl("add_user", f"k{i}", "pw", timeout=30)
            if r.returncode == 0:
                done.append(f"k{i}")
            i += 1

    t = threading.Thread(target=writer)
    t.start()
    try:
        for victim in (n3, n1):
            time.sleep(1.0)
            down.add(victim.name)
            victim.kill()
            time.sleep(2.5)  # the others carry on (and elect a new leader)
            victim.start()
            down.discard(victim.name)
        time.sleep(1.0)
    finally:
        stop.set()
        t.join()
    print(f"{len(done)} users added while members were killed")
    assert len(done) > 20
    for n in three:
        assert eventually(lambda: set(done) <= users(n), timeout=15), \
            f"{n.name} lacks {sorted(set(done) - users(n))[:5]}"


def test_change_cluster_node_type(root):
    n1, n2 = make_nodes(root, 2)
    join(n2, n1)
    r = n2.ctl("change_cluster_node_type", "ram")
    assert r.returncode == 64
    assert "this command requires the 'rabbit' app to be stopped" in r.stderr
    r = n2.ctl("change_cluster_node_type", "bogus")
    assert r.returncode == 65
    assert "Error (argument validation): Bad argument: The node type must be either disc or ram." in r.stderr
    ok(n2.ctl("stop_app"))
    r = ok(n2.ctl("change_cluster_node_type", "ram"))
    assert r.stdout == f"Turning {n2.name} into a ram node\n"
    r = ok(n2.ctl("change_cluster_node_type", "ram"))
    assert r.stdout == f"Turning {n2.name} into a ram node\nNode type is already ram\n"
    s = status(n1)
    assert s["disk_nodes"] == [n1.name] and s["ram_nodes"] == [n2.name]
    # The last disc node stays one.
    ok(n1.ctl("stop_app"))
    r = n1.ctl("change_cluster_node_type", "ram")
    assert r.returncode == 69
    assert "Cannot convert the only disc node to ram" in r.stderr
    ok(n1.ctl("start_app"))
    ok(n2.ctl("change_cluster_node_type", "disc"))
    ok(n2.ctl("start_app"))
    assert sorted(status(n1)["disk_nodes"]) == sorted([n1.name, n2.name])
    # A standalone node has no type to change.
    d, nodes = root
    n3 = Node(root=d)
    n3.start()
    nodes.append(n3)
    ok(n3.ctl("stop_app"))
    r = n3.ctl("change_cluster_node_type", "ram")
    assert r.returncode == 69
    assert "non_clustered_node" in r.stderr


def test_cluster_name_and_await_online_nodes(three):
    n1, n2, n3 = three
    r = ok(n2.ctl("set_cluster_name", "orders-cluster"))
    assert r.stdout == "Setting cluster name to orders-cluster ...\n"
    for n in three:
        assert eventually(lambda: status(n)["cluster_name"] == "orders-cluster")
    r = ok(n1.ctl("await_online_nodes", "3", "--timeout", "10"))
    assert r.stdout == (f"Will wait for at least 3 nodes to join the cluster of {n1.name}. "
                        "Timeout: 10 seconds.\n")
    r = n1.ctl("await_online_nodes", "4", "--timeout", "1")
    assert r.returncode == 75
    r = n1.ctl("await_online_nodes", "many")
    assert r.returncode == 65
    assert "Bad argument: the node count must be a positive integer." in r.stderr


def test_a_queue_is_held_by_the_member_that_declared_it(three):
    import pika
    n1, n2, n3 = three

    def channel(n):
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n.port))
        return c, c.channel()

    c1, ch1 = channel(n1)
    ch1.queue_declare("orders", durable=True)
    ch1.basic_publish("", "orders", b"hello", pika.BasicProperties(delivery_mode=2))
    c1.close()
    # Every member knows where it is (the replicated definitions); only n1 holds it.
    for n in three:
        assert eventually(lambda: '"orders"' in n.ctl("export_definitions", "-").stdout)
    # Declared again through another member, it is the same queue (its stand-in there
    # asks n1): one message, not a second, empty queue.
    c3, ch3 = channel(n3)
    assert ch3.queue_declare("orders", durable=True).method.message_count == 1
    c3.close()
    # The other members did not take it over: its message is still where it was.
    c1, ch1 = channel(n1)
    method, _, body = ch1.basic_get("orders", auto_ack=True)
    assert body == b"hello"
    c1.close()


@pytest.mark.parametrize("how", ["stop", "kill"])
def test_the_whole_cluster_restarts_with_its_metadata_and_messages(three, how):
    """All members stop (gracefully, or with SIGKILL) and start again one by one: a
    member alone waits for a majority before its app starts, then every member has the
    metadata and the first one still has its persistent messages."""
    import pika
    n1, n2, n3 = three
    ok(n2.ctl("add_user", "dora", "pw"))
    ok(n3.ctl("add_vhost", "after"))
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n1.port))
    ch = c.channel()
    ch.confirm_delivery()
    ch.queue_declare("kept", durable=True)
    for i in range(50):
        ch.basic_publish("", "kept", str(i).encode(), pika.BasicProperties(delivery_mode=2))
    c.close()
    for n in three:
        n.stop() if how == "stop" else n.kill()
    n1.start()
    # Alone, it cannot know that its metadata is current: its app waits.
    time.sleep(0.5)
    r = n1.ctl("list_users")
    assert r.returncode != 0
    n2.start()
    n3.start()
    for n in three:
        assert eventually(lambda: n.ctl("list_users").returncode == 0, timeout=15)
        assert "dora" in users(n)
        assert "after" in ok(n.ctl("list_vhosts")).stdout
    assert eventually(lambda: "kept\t50" in n1.ctl("list_queues", "name", "messages").stdout)
    assert sorted(status(n3)["running_nodes"]) == sorted(n.name for n in three)


def test_a_member_cut_off_from_the_majority_refuses_changes_and_pauses(three):
    """cluster_partition_handling is pause_minority by default: with two of three
    members gone, the one left cannot change metadata and stops serving clients; it
    serves again as soon as a majority is back, with nothing committed lost."""
    import socket
    n1, n2, n3 = three
    ok(n1.ctl("add_user", "before", "pw"))
    n2.kill()
    n3.kill()

    def amqp_open(n):
        try:
            socket.create_connection(("127.0.0.1", n.port), timeout=1).close()
            return True
        except OSError:
            return False

    r = n1.ctl("add_user", "during", "pw", timeout=60)
    assert r.returncode == 69
    assert "a majority of its disc nodes is not reachable" in r.stderr
    r = n1.ctl("add_user", "during2", "pw", timeout=60)
    assert r.returncode == 69
    assert "the cluster has no leader" in r.stderr
    assert eventually(lambda: not amqp_open(n1), timeout=10)
    assert "pause_minority: cannot reach a majority" in open(n1.log_file).read()
    n2.start()
    assert eventually(lambda: amqp_open(n1), timeout=15)
    assert eventually(lambda: n1.ctl("add_user", "after", "pw").returncode == 0, timeout=10)
    for n in (n1, n2):
        assert eventually(lambda: {"before", "after"} <= users(n))
        assert "during2" not in users(n)


def queue_rows(node, *args):
    r = ok(node.ctl("list_queues", "--formatter", "json", *args))
    return json.loads(r.stdout)


def queue_names(node, *flags):
    return sorted(r["name"] for r in queue_rows(node, "name", *flags))


def pid_node(pid):
    """The node a pid-like identifier <node.creation.serial.0> names."""
    return pid[1:-1].rsplit(".", 3)[0]


def declare_one_queue_on_each(three):
    for i, n in enumerate(three, 1):
        ok(n.ctl("declare_queue", "--durable", f"q{i}", "--arguments", '{"x-max-length": 10}'))


def test_list_queues_lists_every_members_queues_with_their_node(three):
    n1, n2, n3 = three
    declare_one_queue_on_each(three)
    ok(n1.ctl("declare_queue", "transient"))  # not durable: only its node knows it
    held = {"q1": n1.name, "q2": n2.name, "q3": n3.name, "transient": n1.name}
    for n in three:
        rows = queue_rows(n, "name", "pid", "state")
        assert {r["name"]: pid_node(r["pid"]) for r in rows} == held
        assert {r["state"] for r in rows} == {"running"}
    text = ok(n3.ctl("list_queues", "name", "pid")).stdout
    assert text.startswith("Timeout: 60.0 seconds ...\nListing queues for vhost / ...\nname\tpid\n")
    assert f"\nq1\t<{n1.name}." in text
    # --local: the queues the node holds itself; --online: every member is up.
    assert queue_names(n1, "--local") == ["q1", "transient"]
    assert queue_names(n2, "--local") == ["q2"]
    assert queue_names(n2, "--online") == sorted(held)
    assert queue_names(n2, "--offline") == []


@pytest.mark.parametrize("how", ["stop_app", "kill"])
def test_the_queues_of_a_member_that_is_down_are_listed_as_down(three, how):
    n1, n2, n3 = three
    declare_one_queue_on_each(three)
    ok(n3.ctl("declare_queue", "transient3"))  # goes with its node's app
    if how == "kill":
        n3.kill()
    else:
        ok(n3.ctl("stop_app"))
    columns = ["name", "pid", "state", "durable", "auto_delete", "arguments", "messages",
               "consumers", "type"]
    rows = {r["name"]: r for r in queue_rows(n1, *columns)}
    assert sorted(rows) == ["q1", "q2", "q3"]
    assert rows["q1"]["state"] == rows["q2"]["state"] == "running"
    # As RabbitMQ lists a queue of a down node: what the metadata knows, the rest empty.
    assert rows["q3"] == {"name": "q3", "pid": f"<{n3.name}.0.0.0>", "state": "down",
                          "durable": True, "auto_delete": False,
                          "arguments": {"x-max-length": 10}, "messages": "", "consumers": "",
                          "type": "classic"}
    text = ok(n2.ctl("list_queues", "name", "state", "messages", "arguments")).stdout
    assert 'q3\tdown\t\t[{"x-max-length",10}]\n' in text
    assert queue_names(n1, "--offline") == ["q3"]
    assert queue_names(n1, "--online") == ["q1", "q2"]
    assert queue_names(n1, "--online", "--offline") == ["q1", "q2", "q3"]
    assert queue_names(n1, "--local") == ["q1"]
    # Back up, its queues are its own again.
    if how == "kill":
        n3.start()
    else:
        ok(n3.ctl("start_app"))
    assert eventually(lambda: queue_names(n1, "--offline") == [], timeout=10)
    assert {r["name"]: r["state"] for r in queue_rows(n1, "name", "state")} == \
        {"q1": "running", "q2": "running", "q3": "running"}


def test_a_silent_member_does_not_hold_list_queues_past_its_timeout(three):
    import signal
    n1, n2, n3 = three
    declare_one_queue_on_each(three)
    os.kill(n3.pid, signal.SIGSTOP)  # connected, but answers nothing
    try:
        start = time.time()
        r = ok(n1.ctl("list_queues", "name", "state", "--timeout", "2"))
        assert time.time() - start < 2
        assert r.stdout.endswith("name\tstate\nq1\trunning\nq2\trunning\nq3\tdown\n")
    finally:
        os.kill(n3.pid, signal.SIGCONT)


def test_force_boot_recovers_a_cluster_that_lost_its_majority(three):
    import pika
    n1, n2, n3 = three
    ok(n1.ctl("add_user", "kept", "pw"))
    publish_persistent(n1, "survivor", [f"m{i}".encode() for i in range(5)])
    # Refused while the app runs, as rabbitmqctl refuses it.
    r = n1.ctl("force_boot")
    assert r.returncode == 64 and "requires the 'rabbit' app to be stopped" in r.stderr, r
    # node2 and node3 are lost for good; node1 alone cannot start its app.
    for n in (n2, n3):
        n.kill()
    ok(n1.ctl("stop"))
    n1.start()
    r = n1.ctl("await_startup", "--timeout", "3")
    assert r.returncode != 0
    # Online (the app is waiting), then offline: both leave the mark for the next boot.
    r = ok(n1.ctl("force_boot"))
    assert r.stdout == ""
    ok(n1.ctl("stop"))
    r = ok(n1.ctl("force_boot"))
    assert r.stdout == ""
    n1.start()
    ok(n1.ctl("await_startup", "--timeout", "20"))
    s = status(n1)
    assert s["disk_nodes"] == [n1.name] and s["running_nodes"] == [n1.name]
    assert "kept" in users(n1)
    ok(n1.ctl("add_user", "after", "pw"))  # it leads alone: changes commit again
    c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", n1.port))
    ch = c.channel()
    assert [ch.basic_get("survivor", auto_ack=True)[2] for _ in range(5)] == \
        [f"m{i}".encode() for i in range(5)]
    c.close()


def test_update_cluster_nodes_checks_membership_through_the_seed(three, root):
    n1, n2, n3 = three
    r = n3.ctl("update_cluster_nodes", n1.name)
    assert r.returncode == 64 and "requires the 'rabbit' app to be stopped" in r.stderr, r
    ok(n3.ctl("stop_app"))
    r = ok(n3.ctl("update_cluster_nodes", n1.name))
    assert r.stdout == f"Will seed {n3.name} from {n1.name} on next start\n"
    ok(n3.ctl("start_app"))
    # A node that is not in the seed's cluster is told so.
    alone = make_nodes(root, 1)[-1]
    ok(alone.ctl("stop_app"))
    r = alone.ctl("update_cluster_nodes", n1.name)
    assert r.returncode == 69, r
    assert "{:inconsistent_cluster, 'The nodes provided do not have this node as part of the " \
           "cluster.'}" in r.stderr


def test_forget_cluster_node_offline_removes_a_lost_member_at_the_next_boot(three):
    n1, n2, n3 = three
    r = n1.ctl("forget_cluster_node", "--offline", n3.name)
    assert r.returncode == 64 and "requires the 'rabbit' app to be stopped" in r.stderr, r
    n3.kill()  # lost for good
    for n in (n1, n2):
        ok(n.ctl("stop"))
    # A name that is no node name is refused before anything is recorded.
    r = n1.ctl("forget_cluster_node", "--offline", "no@such@node")
    assert r.returncode == 65, r
    # node1 is down: the CLI leaves the list in its data directory.
    r = ok(n1.ctl("forget_cluster_node", "--offline", n3.name))
    assert r.stdout == f"Removing node {n3.name} from the cluster\n"
    for n in (n1, n2):
        n.start()
    for n in (n1, n2):
        ok(n.ctl("await_startup", "--timeout", "20"))
    for n in (n1, n2):
        assert eventually(lambda: sorted(status(n)["disk_nodes"]) == sorted([n1.name, n2.name]))
    ok(n2.ctl("add_user", "two_of_two", "pw"))
    assert eventually(lambda: "two_of_two" in users(n1))
