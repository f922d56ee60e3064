#!/usr/bin/python3
"""A three-node warren cluster on loopback, side by side with a three-node RabbitMQ
3.10.8 cluster (Debian's rabbitmq-server) on the same host when --rabbitmq is given:
`cluster_status` and `join_cluster` wall time, how long a user added on one node takes
to be listed by the two others, and publish-to-consume throughput with the producer on
one node and the consumer on another, against the same on one node.

    tests/bench/cluster_bench.py --bin-dir build/bin [--rabbitmq] [--seconds 5]

Every figure is the wall time of the CLI call or of the poll loop as an operator sees
it, so RabbitMQ's include its CLI's Erlang start (about a second). warren-perf is the
load generator for both. Not a test: it prints a Markdown table; run it on a quiet
machine.
"""
import argparse
import json
import os
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

import pika

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import RabbitMQ, alive, kill_pid, pids_named  # noqa: E402


def free_ports(n):
    """`n` distinct ports the kernel says are free on loopback (held open together)."""
    socks = []
    try:
        for _ in range(n):
            s = socket.socket()
            s.bind(("127.0.0.1", 0))
            socks.append(s)
        return [s.getsockname()[1] for s in socks]
    finally:
        for s in socks:
            s.close()


def ok(r, what):
    if r.returncode != 0:
        raise RuntimeError(f"{what} exited {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}")
    return r


def timed(fn, *args):
    """(milliseconds, result) of fn(*args)."""
    t0 = time.perf_counter()
    r = fn(*args)
    return (time.perf_counter() - t0) * 1000, r


class WarrenNode:
    def __init__(self, cluster, name, port, dist_port):
        self.cluster = cluster
        self.name = name
        self.port = port
        self.pid = None
        self.env = {"PATH": os.environ["PATH"], "HOME": cluster.root,
                    "WARREN_NODENAME": name, "WARREN_NODE_PORT": str(port),
                    "WARREN_DIST_PORT": str(dist_port), "WARREN_BASE": cluster.root + "/base",
                    "WARREN_RUN_DIR": cluster.root + "/run"}

    def start(self):
        ok(subprocess.run([os.path.join(self.cluster.bin_dir, "warren-server"), "-detached"],
                          env=self.env, capture_output=True, text=True, timeout=60),
           f"warren-server {self.name}")
        with open(f"{self.cluster.root}/base/data/{self.name}.pid") as f:
            self.pid = int(f.read())

    def ctl(self, *args, timeout=120):
        return subprocess.run([os.path.join(self.cluster.bin_dir, "warrenctl"), "-n", self.name,
                               *args], env=self.env, capture_output=True, text=True,
                              timeout=timeout)

    def users(self):
        r = ok(self.ctl("list_users", "--formatter", "json"), f"list_users on {self.name}")
        return {u["user"] for u in json.loads(r.stdout)}

    def stop(self):
        if self.pid is not None:
            kill_pid(self.pid, signal.SIGTERM)
            if alive(self.pid):
                kill_pid(self.pid)
            self.pid = None


class WarrenCluster:
    name = "warren"
    tool = "warrenctl"

    def __init__(self, bin_dir):
        self.bin_dir = bin_dir
        self.root = tempfile.mkdtemp(prefix="warren-cluster-bench-")
        ports = free_ports(6)
        # One base (so one cookie) and one run directory: nodes on one host find each
        # other there, as RabbitMQ nodes do through epmd.
        self.nodes = [WarrenNode(self, f"benchw{i + 1}@localhost", ports[2 * i], ports[2 * i + 1])
                      for i in range(3)]

    def boot(self):
        for n in self.nodes:
            n.start()

    def stop(self):
        for n in self.nodes:
            n.stop()
        shutil.rmtree(self.root, ignore_errors=True)

    def users(self, node):
        return node.users()


class RabbitNode(RabbitMQ):
    def users(self):
        r = ok(self.ctl("list_users", "--formatter", "json"), f"list_users on {self.node}")
        return {u["user"] for u in json.loads(r.stdout)}

    @property
    def name(self):
        return self.node


class RabbitCluster:
    name = "RabbitMQ 3.10.8"
    tool = "rabbitmqctl"

    def __init__(self):
        # One HOME holding the cookie the three nodes and rabbitmqctl share.
        self.home = tempfile.mkdtemp(prefix="rabbit-cluster-bench-")
        cookie = os.path.join(self.home, ".erlang.cookie")
        with open(cookie, "w") as f:
            f.write("WARRENCLUSTERBENCHCOOKIE")
        os.chmod(cookie, 0o400)
        self.nodes = [RabbitNode(node=f"benchr{i + 1}@localhost", direct=True, home=self.home)
                      for i in range(3)]
        self.epmd_before = pids_named("epmd")

    def boot(self):
        for n in self.nodes:
            n.launch()
        for n in self.nodes:
            n.await_started()

    def stop(self):
        for n in self.nodes:
            n.stop()
        for pid in pids_named("epmd") - self.epmd_before:
            kill_pid(pid)
        shutil.rmtree(self.home, ignore_errors=True)

    def users(self, node):
        return node.users()


def join(node, seed):
    """stop_app, reset, join_cluster <seed>, start_app on `node`; the join's milliseconds."""
    ok(node.ctl("stop_app"), f"stop_app on {node.name}")
    ok(node.ctl("reset"), f"reset on {node.name}")
    ms, r = timed(node.ctl, "join_cluster", seed.name)
    ok(r, f"join_cluster {seed.name} on {node.name}")
    ok(node.ctl("start_app"), f"start_app on {node.name}")
    return ms


def cluster_members(node):
    r = ok(node.ctl("cluster_status", "--formatter", "json"), f"cluster_status on {node.name}")
    s = json.loads(r.stdout)
    return sorted(s["running_nodes"]), sorted(s["disk_nodes"])


def wait_for_full_cluster(cluster, timeout=60):
    names = sorted(n.name for n in cluster.nodes)
    deadline = time.time() + timeout
    while True:
        if all(cluster_members(n) == (names, names) for n in cluster.nodes):
            return
        if time.time() > deadline:
            raise RuntimeError(f"{cluster.name}: not every node lists all three as running: "
                               + "; ".join(f"{n.name}: {cluster_members(n)}" for n in cluster.nodes))
        time.sleep(0.2)


def propagation(cluster, users, prefix):
    """add_user on node 1, then poll list_users on nodes 2 and 3 (one thread each, back
    to back) until both list the user; the add_user milliseconds, the milliseconds from
    its return until the later of the two polls that first listed it, and every poll's
    own milliseconds."""
    n1, others = cluster.nodes[0], cluster.nodes[1:]
    add_ms, visible_ms, poll_ms = [], [], []
    for i in range(users):
        user = f"{prefix}{i}"
        ms, r = timed(n1.ctl, "add_user", user, "pw")
        ok(r, f"add_user {user} on {n1.name}")
        t0 = time.perf_counter()
        add_ms.append(ms)
        seen = {}

        def poll(node):
            deadline = time.perf_counter() + 30
            while time.perf_counter() < deadline:
                p0 = time.perf_counter()
                found = user in cluster.users(node)
                poll_ms.append((time.perf_counter() - p0) * 1000)
                if found:
                    seen[node.name] = (time.perf_counter() - t0) * 1000
                    return

        threads = [threading.Thread(target=poll, args=(n,)) for n in others]
        for t in threads:
            t.start()
        for t in threads:
            t.join()
        if len(seen) != len(others):
            raise RuntimeError(f"{cluster.name}: {user} not listed on every node after 30 s: {seen}")
        visible_ms.append(max(seen.values()))
    return add_ms, visible_ms, poll_ms


def perf_argv(bin_dir, port, *args):
    return [os.path.join(bin_dir, "warren-perf"), "-h", f"amqp://guest:guest@127.0.0.1:{port}/%2F",
            "--json", *args]


def perf_summary(proc_or_result, what):
    out, err, code = proc_or_result
    if code != 0:
        raise RuntimeError(f"warren-perf {what} exited {code}: {err.strip()}")
    return json.loads(out.strip().splitlines()[-1])


def single_node_rate(bin_dir, node, seconds):
    r = subprocess.run(perf_argv(bin_dir, node.port, "-x", "1", "-y", "1", "-s", "16", "-a",
                                 "-u", "bench-single", "-z", str(seconds)),
                       capture_output=True, text=True, timeout=seconds + 120)
    return perf_summary((r.stdout, r.stderr, r.returncode), "single-node")["receive_rate"]


def consumer_count(port, queue):
    conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port, heartbeat=0))
    try:
        return conn.channel().queue_declare(queue, passive=True).method.consumer_count
    finally:
        conn.close()


def cross_node(bin_dir, consumer_node, producer_node, queue, messages, timeout, home_node=None):
    """A consumer (its own warren-perf, auto-ack) on `consumer_node` declares `queue` and
    consumes; once it is consuming, a producer on `producer_node` publishes `messages`
    16-byte messages to the same queue name. With `home_node`, the queue is declared
    there first (as warren-perf declares it), so it lives on a third member. Returns
    (sent, received, seconds from the producer's start until the consumer had them all
    or gave up at `timeout`)."""
    procs = []
    if home_node is not None:
        conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", home_node.port))
        conn.channel().queue_declare(queue, durable=False, auto_delete=False)
        conn.close()
        time.sleep(0.5)  # every member knows it before the consumer declares it too
    try:
        cons = subprocess.Popen(perf_argv(bin_dir, consumer_node.port, "-x", "0", "-y", "1", "-a",
                                          "-u", queue, "-D", str(messages), "-z", str(timeout)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(cons)
        deadline = time.time() + 30
        while True:
            try:
                if consumer_count(consumer_node.port, queue) >= 1:
                    break
            except pika.exceptions.AMQPError:
                pass
            if cons.poll() is not None or time.time() > deadline:
                out, err = cons.communicate()
                raise RuntimeError(f"the consumer on {consumer_node.name} did not start: {err.strip()}")
            time.sleep(0.05)
        t0 = time.perf_counter()
        prod = subprocess.Popen(perf_argv(bin_dir, producer_node.port, "-x", "1", "-y", "0",
                                          "-s", "16", "-u", queue, "-C", str(messages),
                                          "-z", str(timeout)),
                                stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        procs.append(prod)
        cout, cerr = cons.communicate(timeout=timeout + 60)
        elapsed = time.perf_counter() - t0
        pout, perr = prod.communicate(timeout=timeout + 60)
        c = perf_summary((cout, cerr, cons.returncode), f"consumer on {consumer_node.name}")
        p = perf_summary((pout, perr, prod.returncode), f"producer on {producer_node.name}")
        return p["sent"], c["received"], elapsed
    finally:
        for p in procs:
            if p.poll() is None:
                kill_pid(p.pid)
                p.wait()


def measure(cluster, args, cli_runs, users, join_cycles):
    out = {}
    n1, n2, n3 = cluster.nodes
    print(f"{cluster.name}: booting three nodes", file=sys.stderr, flush=True)
    cluster.boot()
    first = [join(n2, n1), join(n3, n2)]
    joins = [first[1]]
    for _ in range(join_cycles - 1):
        # node3 leaves (reset tells the others) and joins again through node2.
        joins.append(join(n3, n2))
    wait_for_full_cluster(cluster)
    out["join_first"] = first
    out["join"] = statistics.median(joins)
    out["join_n"] = len(joins)
    print(f"{cluster.name}: join_cluster ms {first} then {joins}", file=sys.stderr, flush=True)

    status = []
    for _ in range(cli_runs):
        ms, r = timed(n1.ctl, "cluster_status")
        ok(r, f"cluster_status on {n1.name}")
        status.append(ms)
    out["status"] = statistics.median(status)
    out["status_n"] = cli_runs

    add_ms, visible_ms, poll_ms = propagation(cluster, users, "benchuser")
    out["add_user"] = statistics.median(add_ms)
    out["visible_median"] = statistics.median(visible_ms)
    out["visible_max"] = max(visible_ms)
    out["poll"] = statistics.median(poll_ms)
    out["users"] = users
    print(f"{cluster.name}: add_user ms {[round(x, 1) for x in add_ms]}; visible on both ms "
          f"{[round(x, 1) for x in visible_ms]}", file=sys.stderr, flush=True)

    single = single_node_rate(args.bin_dir, n1, args.seconds)
    out["single"] = single
    # A short probe first, so a cluster that does not carry messages between nodes is
    # found in seconds; then a run of about --seconds at the single-node rate.
    sent, received, elapsed = cross_node(args.bin_dir, n1, n3, "bench-cross-probe", 1000, 5)
    if received < sent or sent == 0:
        detail = n3.ctl("list_queues", "--quiet", "--no-table-headers", "name",
                        "messages").stdout.strip().replace("\n", "; ")
        print(f"{cluster.name}: producer on {n3.name} sent {sent}, consumer on {n1.name} received "
              f"{received}: no cross-node queue access (queues on {n3.name}: {detail})",
              file=sys.stderr, flush=True)
        out["cross"] = None
        out["three"] = None
    else:
        messages = max(int(single * args.seconds), 1000)
        sent, received, elapsed = cross_node(args.bin_dir, n1, n3, "bench-cross", messages,
                                             args.seconds * 4 + 10)
        out["cross"] = received / elapsed
        print(f"{cluster.name}: cross-node sent {sent}, received {received} in {elapsed:.2f} s",
              file=sys.stderr, flush=True)
        # The shape: the queue on node1, the producer on node3, the consumer on node2.
        sent, received, elapsed = cross_node(args.bin_dir, n2, n3, "bench-three", messages,
                                             args.seconds * 4 + 10, home_node=n1)
        out["three"] = received / elapsed
        print(f"{cluster.name}: three members sent {sent}, received {received} in "
              f"{elapsed:.2f} s", file=sys.stderr, flush=True)
    print(f"{cluster.name}: {out}", file=sys.stderr, flush=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default="build/bin")
    ap.add_argument("--rabbitmq", action="store_true")
    ap.add_argument("--runs", type=int, default=20, help="cluster_status calls per broker")
    ap.add_argument("--users", type=int, default=20, help="users added on warren")
    ap.add_argument("--rabbitmq-users", type=int, default=5, help="users added on RabbitMQ")
    ap.add_argument("--join-cycles", type=int, default=5,
                    help="joins of node3 through node2 on warren (the first included)")
    ap.add_argument("--rabbitmq-join-cycles", type=int, default=3)
    ap.add_argument("--seconds", type=int, default=5, help="warren-perf run length")
    args = ap.parse_args()
    args.bin_dir = os.path.abspath(args.bin_dir)

    results = {}
    w = WarrenCluster(args.bin_dir)
    try:
        results["warren"] = measure(w, args, args.runs, args.users, args.join_cycles)
    finally:
        w.stop()
    if args.rabbitmq:
        r = RabbitCluster()
        try:
            results["RabbitMQ 3.10.8"] = measure(r, args, args.runs, args.rabbitmq_users,
                                                 args.rabbitmq_join_cycles)
        finally:
            r.stop()

    def ms(v):
        return f"{v:,.1f} ms"

    def rate(v):
        return "n/a (not implemented)" if v is None else f"{v:,.0f} msg/s"

    def ratio(key):
        return lambda o: ("n/a (not implemented)" if o[key] is None
                          else f"{o[key] / o['single']:.0%}")

    def n_of(key, fmt):
        return lambda o: f"{fmt(o[key])} (n={o[key + '_n']})"

    rows = [
        ("`cluster_status`, median", n_of("status", ms), "≤ 20 ms"),
        ("`join_cluster` (node3 through node2), median of stop_app/reset/join/start_app "
         "cycles", n_of("join", ms), "≤ 1 s"),
        ("`join_cluster` node2 → node1, node3 → node2 (first joins)",
         lambda o: " / ".join(ms(x) for x in o["join_first"]), "≤ 1 s"),
        ("`add_user` on node1, median", lambda o: ms(o["add_user"]), ""),
        ("user listed by `list_users` on node2 and node3, after `add_user` returns: median",
         lambda o: f"{ms(o['visible_median'])} (n={o['users']})", "≤ 50 ms"),
        ("same, max", lambda o: ms(o["visible_max"]), "≤ 50 ms"),
        ("one `list_users` poll, median (the floor of the two rows above)",
         lambda o: ms(o["poll"]), ""),
        ("publish → consume on node1 (1 producer, 1 consumer, 16 B, auto-ack)",
         lambda o: rate(o["single"]), ""),
        ("publish on node3 → consume on node1, same queue", lambda o: rate(o["cross"]), ""),
        ("cross-node / single-node throughput", ratio("cross"), "≥ 50%"),
        ("publish on node3 → queue on node1 → consume on node2", lambda o: rate(o["three"]), ""),
        ("same, / single-node throughput", ratio("three"), "≥ 50%"),
    ]
    names = list(results)
    print("| measure | " + " | ".join(names) + " | target |")
    print("|---|" + "---|" * len(names) + "---|")
    for label, cell, target in rows:
        print(f"| {label} | " + " | ".join(cell(results[n]) for n in names) + f" | {target} |")
    return 0


if __name__ == "__main__":
    sys.exit(main())
