"""Resource alarms block publishing connections as RabbitMQ does: a connection that
publishes during a memory alarm is sent connection.blocked and no longer read, while
consumers keep draining; the alarm shows in check_local_alarms."""
import os
import sys
import time

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, node_fixture, pump  # noqa: E402


# Any node uses more than 1 MB: the memory alarm is on from boot.
node = node_fixture("vm_memory_high_watermark:\n  absolute: 1MB\n")


def test_alarm_shows_in_diagnostics(node):
    r = node.ctl("check_local_alarms", tool="warren-diagnostics")
    assert r.returncode != 0
    assert r.stderr == f"Error:\nMemory alarm on node {node.name}\n"


def test_publisher_is_blocked_and_consumer_keeps_draining(node):
    consumer = connect(node)
    cch = consumer.channel()
    cch.queue_declare("alarm.q")
    blocked = []
    publisher = connect(node)
    publisher.add_on_connection_blocked_callback(lambda c, frame: blocked.append(frame.method.reason))
    pch = publisher.channel()
    pch.basic_publish("", "alarm.q", b"first")
    pump(publisher, lambda: blocked)
    assert blocked == ["low on memory"]
    # The blocked connection is no longer read: what it publishes now waits.
    pch.basic_publish("", "alarm.q", b"held back")
    time.sleep(0.3)
    got = []
    cch.basic_consume("alarm.q", lambda c, m, p, b: got.append(b), auto_ack=True)
    pump(consumer, lambda: len(got) >= 1)
    consumer.process_data_events(time_limit=0.3)
    assert got == [b"first"]
    consumer.close()
