"""Permissions as RabbitMQ checks them on every AMQP operation: configure for
declare and delete, write to publish and bind into a queue, read to consume, get,
purge and bind from an exchange; topic permissions on topic exchanges; a permission
change takes effect on open connections."""
import os
import sys

import pika
import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, node  # noqa: E402,F401


@pytest.fixture(scope="module")
def limited(node):
    assert node.ctl("add_user", "lim", "pw").returncode == 0
    # configure: own.*; write: own.* and amq.topic; read: own.* and amq.topic
    assert node.ctl("set_permissions", "lim", "^own\\.", "^(own\\..*|amq\\.topic)$",
                    "^(own\\..*|amq\\.topic)$").returncode == 0
    admin = connect(node)
    ch = admin.channel()
    ch.queue_declare("theirs")
    ch.exchange_declare("their.x", "fanout")
    admin.close()
    return node


def refused(limited, action):
    c = connect(limited, user="lim", password="pw")
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        action(c.channel())
    c.close()
    assert e.value.reply_code == 403
    return e.value.reply_text


def test_allowed_operations(limited):
    c = connect(limited, user="lim", password="pw")
    ch = c.channel()
    ch.queue_declare("own.q")
    ch.exchange_declare("own.x", "direct")
    ch.queue_bind("own.q", "own.x", "k")
    ch.basic_publish("own.x", "k", b"m")
    assert ch.basic_get("own.q", auto_ack=True)[2] == b"m"
    ch.queue_delete("own.q")
    ch.exchange_delete("own.x")
    c.close()


def test_configure_refused(limited):
    assert refused(limited, lambda ch: ch.queue_declare("other.q")) == (
        "ACCESS_REFUSED - access to queue 'other.q' in vhost '/' refused for user 'lim'")
    assert refused(limited, lambda ch: ch.queue_delete("theirs")) == (
        "ACCESS_REFUSED - access to queue 'theirs' in vhost '/' refused for user 'lim'")


def test_read_refused(limited):
    assert refused(limited, lambda ch: ch.basic_get("theirs")) == (
        "ACCESS_REFUSED - access to queue 'theirs' in vhost '/' refused for user 'lim'")
    assert refused(limited, lambda ch: ch.basic_consume("theirs", lambda *a: None)) == (
        "ACCESS_REFUSED - access to queue 'theirs' in vhost '/' refused for user 'lim'")


def test_write_refused_on_publish_and_default_exchange(limited):
    assert refused(limited, lambda ch: (ch.basic_publish("their.x", "", b"m"),
                                        ch.queue_declare("own.probe"))) == (
        "ACCESS_REFUSED - access to exchange 'their.x' in vhost '/' refused for user 'lim'")
    assert refused(limited, lambda ch: (ch.basic_publish("", "theirs", b"m"),
                                        ch.queue_declare("own.probe"))) == (
        "ACCESS_REFUSED - access to exchange 'amq.default' in vhost '/' refused for user 'lim'")


def test_topic_permissions(limited):
    assert limited.ctl("set_topic_permissions", "lim", "amq.topic", "^{username}\\.",
                       "^{username}\\.").returncode == 0
    c = connect(limited, user="lim", password="pw")
    ch = c.channel()
    ch.queue_declare("own.t", exclusive=True)
    ch.queue_bind("own.t", "amq.topic", "lim.#")
    ch.basic_publish("amq.topic", "lim.news", b"ok")
    assert ch.basic_get("own.t", auto_ack=True)[2] == b"ok"
    c.close()
    assert refused(limited, lambda ch: (ch.basic_publish("amq.topic", "other.news", b"m"),
                                        ch.queue_declare("own.probe"))) == (
        "ACCESS_REFUSED - write access to topic 'other.news' in exchange 'amq.topic' in vhost '/' "
        "refused for user 'lim'")


def test_permission_change_applies_to_open_connections(limited):
    c = connect(limited, user="lim", password="pw")
    ch = c.channel()
    ch.queue_declare("own.live")
    assert limited.ctl("set_permissions", "lim", "^$", "^$", "^$").returncode == 0
    with pytest.raises(pika.exceptions.ChannelClosedByBroker) as e:
        ch.queue_declare("own.live2")
    assert e.value.reply_code == 403
    c.close()
