"""A C client on Debian's librabbitmq (rabbitmq-c 0.11) round-trips persistent messages
with publisher confirms, consumer acks and basic.get (tests/clients/librabbitmq_client.c)."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import node  # noqa: E402,F401


def test_librabbitmq_round_trip(node):
    client = os.path.join(os.environ["WARREN_BIN_DIR"], "librabbitmq_client")
    r = subprocess.run([client, "127.0.0.1", str(node.port), "c-queue", "500"],
                       capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stderr
    assert r.stdout == "ok 500\n"
    listed = node.ctl("list_queues", "name", "durable", "messages").stdout
    assert "c-queue\ttrue\t0" in listed
