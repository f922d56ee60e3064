"""Plugins on real nodes: warren-plugins enables and disables them online and offline,
the Prometheus plugin is scraped with a real Prometheus text parser, the random
exchange routes, and the loader refuses what it must (unknown names, a malformed
enabled plugins file, a plugin that fails to start, a wrong ABI, a missing entry point,
a missing plugins directory) while the node keeps running."""
import glob
import json
import os
import re
import shutil
import sys
import tempfile
import urllib.error
import urllib.request

import pika
import pytest
from prometheus_client.parser import text_string_to_metric_families

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from amqp_fixture import connect, eventually  # noqa: E402
from warren_node import Node, free_port  # noqa: E402


# The node's plugin ABI version, as lib/plugin/api.h states it.
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "lib", "plugin",
                       "api.h")) as _f:
    ABI = int(re.search(r"kAbiVersion = (\d+);", _f.read()).group(1))


@pytest.fixture
def plugins_dir():
    """The built plugins and the test-only ones, side by side in a temporary directory."""
    d = tempfile.mkdtemp(prefix="warren-plugins-")
    for src in (os.environ["WARREN_BUILT_PLUGINS_DIR"], os.environ["WARREN_TEST_PLUGINS_DIR"]):
        for f in glob.glob(os.path.join(src, "*.so")) + glob.glob(os.path.join(src, "*.plugin.json")):
            os.symlink(f, os.path.join(d, os.path.basename(f)))
    yield d
    shutil.rmtree(d, ignore_errors=True)


def make_node(plugins_dir, enabled=None, extra_config=""):
    prom, test = free_port(), free_port()
    n = Node(config=f"prometheus.tcp.port: {prom}\nwarren.test_plugin.port: {test}\n" + extra_config,
             env={"WARREN_PLUGINS_DIR": plugins_dir})
    n.prom_port, n.test_port = prom, test
    n.enabled_file = os.path.join(n.base, "enabled_plugins")
    if enabled is not None:
        os.makedirs(n.base, exist_ok=True)
        with open(n.enabled_file, "w") as f:
            f.write(enabled)
    return n


@pytest.fixture
def node(plugins_dir):
    n = make_node(plugins_dir)
    n.start()
    yield n
    n.cleanup()


def plugins(node, *args):
    return node.ctl(*args, tool="warren-plugins")


def http_get(port, path):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=5) as r:
            return r.status, r.headers.get("Content-Type"), r.read().decode()
    except urllib.error.HTTPError as e:
        return e.code, None, e.read().decode()
    except OSError:
        return None, None, None


def scrape(node, path="/metrics"):
    status, ctype, body = http_get(node.prom_port, path)
    assert status == 200, body
    assert ctype == "text/plain; version=0.0.4; charset=utf-8"
    samples = {}
    for family in text_string_to_metric_families(body):
        for s in family.samples:
            samples[(s.name, tuple(sorted(s.labels.items())))] = s.value
    return samples


def value(samples, name, **labels):
    return samples[(name, tuple(sorted(labels.items())))]


def read(path):
    with open(path) as f:
        return f.read()


def test_list_shows_only_built_plugins_with_status_header(node):
    r = plugins(node, "list")
    assert r.returncode == 0, r.stderr
    lines = r.stdout.splitlines()
    assert lines[:4] == ['Listing plugins with pattern ".*" ...',
                         " Configured: E = explicitly enabled; e = implicitly enabled",
                         f" | Status: * = running on {node.name}",
                         " |/"]
    names = [line[5:].split()[0] for line in lines[4:]]
    assert "rabbitmq_prometheus" in names and "rabbitmq_random_exchange" in names
    # Only plugins that exist: none of RabbitMQ's that warren has not built yet.
    assert "rabbitmq_mqtt" not in names and "rabbitmq_management" not in names
    # The broken test plugins are listed (their manifests are sound) but the list says
    # nothing is wrong until they are enabled.
    assert all(line.startswith("[  ] ") for line in lines[4:])

    m = plugins(node, "list", "-m", "prometheus")
    assert m.stdout == 'Listing plugins with pattern "prometheus" ...\nrabbitmq_prometheus\n'
    j = json.loads(plugins(node, "list", "--formatter", "json", "prometheus").stdout)
    assert j == {"format": "normal", "status": "running", "plugins": [
        {"enabled": "not_enabled", "name": "rabbitmq_prometheus", "running": False,
         "running_version": None, "version": j["plugins"][0]["version"]}]}
    assert bytes(j["plugins"][0]["version"]).decode()  # Erlang-style character codes


def test_prometheus_enabled_online_scraped_and_disabled(node):
    assert http_get(node.prom_port, "/metrics")[0] is None
    r = plugins(node, "enable", "rabbitmq_prometheus")
    assert r.returncode == 0, r.stderr
    assert r.stdout == (f"Enabling plugins on node {node.name}:\nrabbitmq_prometheus\n"
                        "The following plugins have been configured:\n  rabbitmq_prometheus\n"
                        f"Applying plugin configuration to {node.name}...\n"
                        "The following plugins have been enabled:\n  rabbitmq_prometheus\n\n"
                        "started 1 plugins.\n")
    assert read(node.enabled_file) == "[rabbitmq_prometheus].\n"
    assert plugins(node, "list", "-E").stdout.splitlines()[4].startswith("[E*] rabbitmq_prometheus ")
    assert "Enabled plugins:\n\n * rabbitmq_prometheus\n" in node.ctl("status").stdout

    before = scrape(node)
    assert value(before, "rabbitmq_identity_info", rabbitmq_node=node.name,
                 rabbitmq_cluster=node.name) == 1
    assert value(before, "rabbitmq_process_resident_memory_bytes") > 1_000_000
    assert value(before, "rabbitmq_queues") == 0

    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("prom-q")
    ch.confirm_delivery()
    for i in range(25):
        ch.basic_publish("", "prom-q", b"x" * 10)
    during = scrape(node)
    assert value(during, "rabbitmq_connections") == 1
    assert value(during, "rabbitmq_channels") == 1
    assert value(during, "rabbitmq_queues") == 1
    assert value(during, "rabbitmq_queue_messages_ready") == 25
    assert value(during, "rabbitmq_global_messages_received_total") - \
        value(before, "rabbitmq_global_messages_received_total") == 25
    assert value(during, "rabbitmq_global_messages_confirmed_total") >= 25
    per = scrape(node, "/metrics/per-object")
    assert value(per, "rabbitmq_queue_messages_ready", vhost="/", queue="prom-q") == 25
    assert value(per, "rabbitmq_queue_consumers", vhost="/", queue="prom-q") == 0

    for _ in range(10):
        method, _, _ = ch.basic_get("prom-q", auto_ack=False)
        ch.basic_ack(method.delivery_tag)
    conn.close()
    after = scrape(node)
    assert value(after, "rabbitmq_queue_messages_ready") == 15
    assert value(after, "rabbitmq_global_messages_delivered_total") - \
        value(during, "rabbitmq_global_messages_delivered_total") == 10
    assert value(after, "rabbitmq_global_messages_acknowledged_total") - \
        value(during, "rabbitmq_global_messages_acknowledged_total") == 10
    assert value(after, "rabbitmq_connections") == 0

    listeners = node.ctl("listeners", tool="warren-diagnostics").stdout
    assert f"port: {node.prom_port}, protocol: http/prometheus" in listeners

    r = plugins(node, "disable", "rabbitmq_prometheus")
    assert r.returncode == 0, r.stderr
    assert r.stdout.endswith("The following plugins have been disabled:\n  rabbitmq_prometheus\n\n"
                             "stopped 1 plugins.\n")
    assert read(node.enabled_file) == "[].\n"
    assert http_get(node.prom_port, "/metrics")[0] is None
    again = plugins(node, "disable", "rabbitmq_prometheus")
    assert again.returncode == 0 and again.stdout.endswith("Plugin configuration unchanged.\n")


def test_random_exchange_serves_every_shard(plugins_dir):
    """Connections on both shards declare and publish through x-random exchanges: the
    plugin's type routes on each shard's thread."""
    node = make_node(plugins_dir, enabled="[rabbitmq_random_exchange].\n",
                     extra_config="warren.shards: 2\n")
    try:
        node.start()
        conns = [connect(node), connect(node)]  # one on each shard
        for i, conn in enumerate(conns):
            ch = conn.channel()
            ch.exchange_declare(f"rnd{i}", "x-random")
            for q in ("s1", "s2"):
                ch.queue_declare(q)
                ch.queue_bind(q, f"rnd{i}")
        for conn in conns:
            ch = conn.channel()
            ch.confirm_delivery()
            for i in range(2):
                for _ in range(100):
                    ch.basic_publish(f"rnd{i}", "k", b"m")
        ch = conns[0].channel()
        counts = [ch.queue_declare(q, passive=True).method.message_count for q in ("s1", "s2")]
        assert sum(counts) == 400
        assert all(c > 100 for c in counts), counts
        for conn in conns:
            conn.close()
    finally:
        node.cleanup()


def test_random_exchange_routes_each_message_to_one_binding(node):
    assert plugins(node, "enable", "rabbitmq_random_exchange").returncode == 0
    conn = connect(node)
    ch = conn.channel()
    ch.exchange_declare("rnd", "x-random")
    for q in ("r1", "r2", "r3"):
        ch.queue_declare(q)
        ch.queue_bind(q, "rnd", routing_key="ignored")
    for i in range(300):
        ch.basic_publish("rnd", "any-key", b"m")
    counts = [ch.queue_declare(q, passive=True).method.message_count for q in ("r1", "r2", "r3")]
    assert sum(counts) == 300
    assert all(c > 30 for c in counts), counts
    assert "rnd\tx-random" in node.ctl("list_exchanges", "name", "type").stdout
    conn.close()
    # Once the plugin is off, the type cannot be declared any more.
    assert plugins(node, "disable", "rabbitmq_random_exchange").returncode == 0
    conn = connect(node)
    with pytest.raises(pika.exceptions.ConnectionClosedByBroker) as e:
        conn.channel().exchange_declare("rnd2", "x-random")
    assert e.value.reply_code == 503
    assert e.value.reply_text == "COMMAND_INVALID - unknown exchange type 'x-random'"


def test_interface_events_admin_metrics_and_parameters(node):
    r = node.ctl("set_parameter", "warren-test-component", "p1", '{"uri": "amqp://x"}')
    assert r.returncode != 0 and "component warren-test-component not found" in r.stderr
    assert plugins(node, "enable", "warren_test_events").returncode == 0
    r = node.ctl("set_parameter", "warren-test-component", "p1", '{"uri": 5}')
    assert r.returncode != 0 and "uri must be a string" in r.stderr
    assert node.ctl("set_parameter", "warren-test-component", "p1", '{"uri": "amqp://x"}').returncode == 0

    conn = connect(node)
    ch = conn.channel()
    ch.queue_declare("ev-q")
    ch.exchange_declare("ev-x", "fanout")
    ch.exchange_delete("ev-x")
    ch.queue_delete("ev-q")
    conn.close()
    assert node.ctl("set_policy", "ev-p", "^ev", '{"max-length": 5}').returncode == 0

    def events():
        status, _, body = http_get(node.test_port, "/events")
        return [(e["event"], e["vhost"], e["name"]) for e in json.loads(body)] if status == 200 else []
    assert eventually(lambda: ("policy.changed", "/", "") in events())
    seen = events()
    for e in [("queue.created", "/", "ev-q"), ("exchange.created", "/", "ev-x"),
              ("exchange.deleted", "/", "ev-x"), ("queue.deleted", "/", "ev-q")]:
        assert e in seen
    kinds = [k for k, _, _ in seen]
    assert "connection.created" in kinds and "connection.closed" in kinds
    assert kinds.index("queue.created") < kinds.index("queue.deleted")

    status, _, body = http_get(node.test_port, "/users")
    assert status == 200 and [u["user"] for u in json.loads(body)] == ["guest"]
    node.ctl("declare_queue", "metrics-q")
    assert "//metrics-q" in http_get(node.test_port, "/queues")[2]

    # Disabled: its routes, listener and component go with it.
    assert plugins(node, "disable", "warren_test_events").returncode == 0
    assert http_get(node.test_port, "/events")[0] is None
    r = node.ctl("set_parameter", "warren-test-component", "p2", '{"uri": "amqp://x"}')
    assert r.returncode != 0 and "component warren-test-component not found" in r.stderr


def test_dependencies_enable_implicitly_and_disable_dependents(node):
    r = plugins(node, "enable", "warren_test_dependent")
    assert r.returncode == 0, r.stderr
    assert "The following plugins have been configured:\n  warren_test_dependent\n  warren_test_events\n" in r.stdout
    assert r.stdout.endswith("The following plugins have been enabled:\n  warren_test_dependent\n"
                             "  warren_test_events\n\nstarted 2 plugins.\n")
    assert read(node.enabled_file) == "[warren_test_dependent].\n"
    listed = plugins(node, "list", "-e", "warren_test").stdout.splitlines()[4:]
    assert [line[:4] for line in listed] == ["[E*]", "[e*]"]
    ok = plugins(node, "is_enabled", "warren_test_dependent", "warren_test_events")
    assert ok.returncode == 0
    assert ok.stdout.splitlines()[-1] == \
        f"Plugins warren_test_dependent, warren_test_events are enabled on node {node.name}"
    # Disabling the dependency takes the explicitly enabled dependent with it.
    r = plugins(node, "disable", "warren_test_events")
    assert r.returncode == 0, r.stderr
    assert "All plugins have been disabled.\n" in r.stdout
    assert read(node.enabled_file) == "[].\n"
    no = plugins(node, "is_enabled", "warren_test_events")
    assert no.returncode == 69
    assert no.stderr == (f"Error:\nPlugin warren_test_events is not enabled on node {node.name}. "
                         "Enabled plugins and dependencies: \n")


def test_unknown_plugin_is_refused(node):
    r = plugins(node, "enable", "rabbitmq_nosuchplugin")
    assert r.returncode == 70
    assert r.stdout == f"Enabling plugins on node {node.name}:\nrabbitmq_nosuchplugin\n"
    assert r.stderr == "Error:\n{:plugins_not_found, [:rabbitmq_nosuchplugin]}\n"
    assert not os.path.exists(node.enabled_file)
    r = plugins(node, "enable")
    assert r.returncode == 64 and "not enough arguments" in r.stderr


def test_plugin_that_fails_to_start_leaves_the_node_running(node):
    r = plugins(node, "enable", "warren_test_failing")
    assert r.returncode == 70
    assert ("Plugin warren_test_failing failed to start on node " + node.name +
            ": the test plugin refuses to start") in r.stderr
    assert node.ctl("ping", tool="warren-diagnostics").returncode == 0
    listed = plugins(node, "list", "failing")
    assert listed.stdout.splitlines()[4].startswith("[E ] warren_test_failing")
    assert "Plugin warren_test_failing failed to start" in listed.stderr
    assert "failed to start: the test plugin refuses to start" in read(node.log_file)
    # What it registered before failing is gone: the listener on port 0 is not listed.
    assert "http/test" not in node.ctl("listeners", tool="warren-diagnostics").stdout


@pytest.mark.parametrize("name, message", [
    ("warren_test_wrong_abi", f"was built for plugin ABI {ABI + 1}, this node speaks {ABI}; rebuild it"),
    ("warren_test_no_entry", "has no entry point warren_plugin_entry"),
])
def test_bad_shared_objects_are_refused(node, name, message):
    r = plugins(node, "enable", name)
    assert r.returncode == 70
    assert message in r.stderr
    assert node.ctl("ping", tool="warren-diagnostics").returncode == 0


def test_malformed_enabled_plugins_file(plugins_dir):
    n = make_node(plugins_dir, enabled="[rabbitmq_prometheus,\nrabbitmq_random_exchange\n")
    try:
        n.start()
        assert "line 3: expected ',' or ']' after rabbitmq_random_exchange; no plugins were loaded" \
            in read(n.log_file)
        assert http_get(n.prom_port, "/metrics")[0] is None
        listed = plugins(n, "list")
        assert listed.returncode == 0
        assert "line 3: expected ',' or ']'" in listed.stderr
        r = plugins(n, "enable", "rabbitmq_prometheus")
        assert r.returncode == 65
        assert "Fix the file, or replace its list with 'warren-plugins set'" in r.stderr
        # set repairs it.
        r = plugins(n, "set", "rabbitmq_prometheus")
        assert r.returncode == 0, r.stderr
        assert read(n.enabled_file) == "[rabbitmq_prometheus].\n"
        assert eventually(lambda: http_get(n.prom_port, "/metrics")[0] == 200)
    finally:
        n.cleanup()


def test_offline_changes_apply_at_boot(plugins_dir):
    n = make_node(plugins_dir)
    try:
        r = plugins(n, "enable", "rabbitmq_prometheus")  # the node is down: offline
        assert r.returncode == 0, r.stderr
        assert r.stdout.endswith("set 1 plugins.\nOffline change; changes will take effect at "
                                 "broker restart.\n")
        listed = plugins(n, "list", "prometheus").stdout.splitlines()
        assert listed[2] == f" | Status: [failed to contact {n.name} - status not shown]"
        assert listed[4].startswith("[E ] rabbitmq_prometheus")
        online = plugins(n, "enable", "--online", "rabbitmq_random_exchange")
        assert online.returncode == 69
        n.start()
        assert http_get(n.prom_port, "/metrics")[0] == 200
        assert plugins(n, "list", "-E").stdout.splitlines()[4].startswith("[E*] rabbitmq_prometheus")
        r = plugins(n, "directories", "--formatter", "json")
        assert json.loads(r.stdout) == {"enabled_plugins_file": n.enabled_file,
                                        "plugins_dir": plugins_dir,
                                        "plugins_expand_dir": plugins_dir}
        # Offline while it runs: the file changes, the running plugin stays.
        r = plugins(n, "disable", "--offline", "rabbitmq_prometheus")
        assert r.returncode == 0 and read(n.enabled_file) == "[].\n"
        assert http_get(n.prom_port, "/metrics")[0] == 200
    finally:
        n.cleanup()


def test_missing_plugins_directory(plugins_dir):
    n = make_node("/nonexistent/warren-plugins")
    try:
        n.start()
        listed = plugins(n, "list")
        assert listed.returncode == 0
        assert len(listed.stdout.splitlines()) == 4
        assert "the plugins directory /nonexistent/warren-plugins does not exist" in listed.stderr
        r = plugins(n, "enable", "rabbitmq_prometheus")
        assert r.returncode == 70
        assert "{:plugins_not_found, [:rabbitmq_prometheus]}" in r.stderr
        assert "does not exist; set WARREN_PLUGINS_DIR" in r.stderr
    finally:
        n.cleanup()


def test_durable_exchange_of_a_plugin_type_across_restarts(plugins_dir):
    n = make_node(plugins_dir, enabled="[rabbitmq_random_exchange].\n")
    try:
        n.start()
        conn = connect(n)
        ch = conn.channel()
        ch.exchange_declare("rnd-durable", "x-random", durable=True)
        ch.queue_declare("rd-q", durable=True)
        ch.queue_bind("rd-q", "rnd-durable")
        conn.close()
        n.stop()
        n.start()
        # The plugin starts before the engine, so the exchange comes back and routes.
        assert "rnd-durable\tx-random" in n.ctl("list_exchanges", "name", "type").stdout
        conn = connect(n)
        ch = conn.channel()
        ch.basic_publish("rnd-durable", "", b"after restart")
        assert ch.queue_declare("rd-q", passive=True).method.message_count == 1
        conn.close()
        # Without the plugin it is not restored (the log says why), but it stays in the
        # metadata: enabling the plugin and restarting brings it back.
        assert plugins(n, "disable", "rabbitmq_random_exchange").returncode == 0
        n.stop()
        n.start()
        assert "rnd-durable" not in n.ctl("list_exchanges", "name").stdout
        assert "type 'x-random' (is its plugin enabled?)" in read(n.log_file)
        assert plugins(n, "enable", "rabbitmq_random_exchange").returncode == 0
        n.stop()
        n.start()
        assert "rnd-durable\tx-random" in n.ctl("list_exchanges", "name", "type").stdout
    finally:
        n.cleanup()


def test_per_object_metrics_on_metrics_when_configured(plugins_dir):
    n = make_node(plugins_dir, enabled="[rabbitmq_prometheus].\n",
                  extra_config="prometheus.return_per_object_metrics: true\n")
    try:
        n.start()
        assert n.ctl("declare_queue", "po-q").returncode == 0
        samples = scrape(n, "/metrics")
        assert value(samples, "rabbitmq_queue_messages_ready", vhost="/", queue="po-q") == 0
    finally:
        n.cleanup()


def test_prometheus_with_a_bad_port_setting_fails_clearly(plugins_dir):
    n = make_node(plugins_dir)
    path = n.env["WARREN_CONFIG_FILE"]
    text = read(path).replace(f"prometheus.tcp.port: {n.prom_port}", "prometheus.tcp.port: not-a-port")
    with open(path, "w") as f:
        f.write(text)
    try:
        n.start()
        r = plugins(n, "enable", "rabbitmq_prometheus")
        assert r.returncode == 70
        assert ("Plugin rabbitmq_prometheus failed to start on node " + n.name +
                ": prometheus.tcp.port must be a port number, not 'not-a-port'") in r.stderr
        assert n.ctl("ping", tool="warren-diagnostics").returncode == 0
    finally:
        n.cleanup()
