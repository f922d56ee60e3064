"""warren-perf against a real node: every message sent arrives, with confirms and with
manual acks, and a refused login is a clear error with exit code 1."""
import json
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import node  # noqa: E402,F401
from warren_node import binary  # noqa: E402


def perf(node, *args, password="guest"):
    uri = f"amqp://guest:{password}@127.0.0.1:{node.port}/%2F"
    return subprocess.run([binary("warren-perf"), "-h", uri, *args], capture_output=True,
                          text=True, timeout=120)


def test_confirms_and_manual_acks_lose_nothing(node):
    r = perf(node, "-x", "2", "-y", "1", "-u", "perf-q", "-C", "20000", "-D", "40000",
             "-c", "100", "-q", "50", "-m", "10", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["sent"] == 40000
    assert summary["received"] == 40000
    assert summary["send_rate"] > 0


def test_autoack_with_exchange_and_persistent_messages(node):
    r = perf(node, "-e", "perf-x", "-t", "topic", "-k", "a.b", "-u", "perf-q2", "-C", "10000",
             "-D", "10000", "-a", "-f", "persistent", "--json")
    assert r.returncode == 0, r.stderr
    summary = json.loads(r.stdout.strip().splitlines()[-1])
    assert summary["received"] == 10000
    # As PerfTest does, a persistent run declares its queue durable.
    assert "perf-q2\ttrue" in node.ctl("list_queues", "name", "durable").stdout


def test_refused_login(node):
    r = perf(node, "-C", "1", password="wrong")
    assert r.returncode == 1
    assert "ACCESS_REFUSED" in r.stderr
