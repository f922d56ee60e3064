"""Debian's amqp-tools (built on librabbitmq, the C client) against a real node:
declare, publish with headers and properties, get, consume with prefetch and acks,
exchanges and bindings, delete, and a refused login."""
import os
import subprocess
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, node  # noqa: E402,F401

def tool(node, name, *args, input=None, password="guest"):
    url = f"amqp://guest:{password}@127.0.0.1:{node.port}"
    return subprocess.run([name, "--url", url, *args], capture_output=True, input=input,
                          timeout=30)


def ok(node, name, *args, input=None):
    r = tool(node, name, *args, input=input)
    assert r.returncode == 0, (name, args, r.stderr)
    return r.stdout


def test_declare_publish_get_delete(node):
    assert ok(node, "amqp-declare-queue", "-q", "tools.q", "-d").strip() == b"tools.q"
    ok(node, "amqp-publish", "-r", "tools.q", "-b", "hello", "-C", "text/plain",
       "-H", "x-source: amqp-tools", "-p")
    ch = connect(node).channel()
    method, props, body = ch.basic_get("tools.q", auto_ack=False)
    assert body == b"hello"
    assert props.content_type == "text/plain" and props.delivery_mode == 2
    assert props.headers == {"x-source": "amqp-tools"}
    ch.basic_nack(method.delivery_tag, requeue=True)
    assert ok(node, "amqp-get", "-q", "tools.q") == b"hello"
    assert tool(node, "amqp-get", "-q", "tools.q").returncode != 0  # empty now
    ok(node, "amqp-delete-queue", "-q", "tools.q")
    ch.connection.close()


def test_consume_with_prefetch_and_acks(node):
    ok(node, "amqp-declare-queue", "-q", "tools.c")
    for i in range(5):
        ok(node, "amqp-publish", "-r", "tools.c", "-b", f"m{i}")
    out = ok(node, "amqp-consume", "-q", "tools.c", "-c", "5", "-p", "2", "cat")
    assert out == b"m0m1m2m3m4"
    ch = connect(node).channel()
    assert ch.queue_declare("tools.c", passive=True).method.message_count == 0
    ch.connection.close()


def test_line_buffered_publish_through_an_exchange(node):
    ok(node, "amqp-declare-queue", "-q", "tools.lines")
    ch = connect(node).channel()
    ch.queue_bind("tools.lines", "amq.direct", "lines")
    ok(node, "amqp-publish", "-e", "amq.direct", "-r", "lines", "-l", input=b"one\ntwo\nthree\n")
    assert ch.queue_declare("tools.lines", passive=True).method.message_count == 3
    ch.connection.close()


def test_refused_login(node):
    r = tool(node, "amqp-get", "-q", "x", password="wrong")
    assert r.returncode != 0
    assert b"ACCESS_REFUSED" in r.stderr or b"login" in r.stderr.lower()
