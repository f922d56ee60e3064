"""Vhost and user limits as RabbitMQ enforces them: max-connections per vhost and per
user at connection.open, max-channels per user at channel.open, max-queues per vhost
at queue.declare; each refusal with RabbitMQ's code and text, and lifting a limit
takes effect at once."""
import os
import sys

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, node  # noqa: E402,F401


def ctl(node, *args):
    r = node.ctl(*args)
    assert r.returncode == 0, r.stderr
    return r


@pytest.fixture
def limited_vhost(node):
    ctl(node, "add_vhost", "lim")
    ctl(node, "set_permissions", "-p", "lim", "guest", ".*", ".*", ".*")
    yield "lim"
    ctl(node, "delete_vhost", "lim")


def test_vhost_connection_limit(node, limited_vhost):
    ctl(node, "set_vhost_limits", "-p", "lim", '{"max-connections": 1}')
    first = connect(node, vhost="lim")
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError) as e:
        connect(node, vhost="lim")
    assert ("(530) \"NOT_ALLOWED - access to vhost 'lim' refused for user 'guest': "
            "connection limit (1) is reached\"") in str(e.value)
    # Other vhosts are not affected.
    connect(node).close()
    first.close()
    connect(node, vhost="lim").close()
    ctl(node, "set_vhost_limits", "-p", "lim", '{"max-connections": 0}')
    with pytest.raises(pika.exceptions.ProbableAccessDeniedError):
        connect(node, vhost="lim")
    ctl(node, "clear_vhost_limits", "-p", "lim")
    connect(node, vhost="lim").close()


def test_user_connection_and_channel_limits(node):
    ctl(node, "add_user", "lu", "pw")
    ctl(node, "set_permissions", "lu", ".*", ".*", ".*")
    ctl(node, "set_user_limits", "lu", '{"max-connections": 2, "max-channels": 3}')
    try:
        a = connect(node, user="lu", password="pw", host="127.0.0.1")
        b = connect(node, user="lu", password="pw")
        with pytest.raises(pika.exceptions.ProbableAccessDeniedError) as e:
            connect(node, user="lu", password="pw")
        assert ("(530) \"NOT_ALLOWED - Connection refused for user 'lu': "
                "user connection limit (2) is reached\"") in str(e.value)
        # Channels count over all of the user's connections.
        a.channel()
        a.channel()
        b.channel()
        with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
            b.channel()
        assert e.value.reply_code == 530
        assert e.value.reply_text == ("NOT_ALLOWED - number of channels opened for user 'lu' has "
                                      "reached the maximum allowed user limit of (3)")
        a.close()
        # guest is not limited by lu's limits.
        g = connect(node)
        for _ in range(5):
            g.channel()
        g.close()
    finally:
        ctl(node, "delete_user", "lu")


def test_vhost_queue_limit(node, limited_vhost):
    ctl(node, "set_vhost_limits", "-p", "lim", '{"max-queues": 2}')
    conn = connect(node, vhost="lim")
    ch = conn.channel()
    ch.queue_declare("q1")
    ch.queue_declare("q2")
    ch.queue_declare("q1")  # existing queues are not new ones
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("q3")
    assert e.value.reply_code == 406
    assert e.value.reply_text == ("PRECONDITION_FAILED - cannot declare queue 'q3': queue limit "
                                  "in vhost 'lim' (2) is reached")
    r = node.ctl("declare_queue", "-p", "lim", "q3")
    assert r.returncode != 0 and "queue limit in vhost 'lim' (2) is reached" in r.stderr
    ch = conn.channel()
    ch.queue_delete("q2")
    ch.queue_declare("q3")
    conn.close()
