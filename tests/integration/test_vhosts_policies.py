"""Vhosts, policies and parameters on a real node: exact empty listings, durability
across a restart, what deleting a vhost takes with it, refused changes leaving the
state alone, and the admin operations' answers on the control socket."""
import json
import os
import socket
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from warren_node import Node  # noqa: E402


def ctl(node, *args, tool="rabbitmqctl"):
    return node.ctl(*args, tool=tool)


def ok(node, *args):
    r = ctl(node, *args)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r.stdout


def call(node, method, path, body=None):
    """One request on the node's control socket; returns (status, decoded body)."""
    payload = b"" if body is None else json.dumps(body).encode()
    head = (f"{method} {path} HTTP/1.1\r\nHost: localhost\r\n"
            f"Content-Type: application/json\r\nContent-Length: {len(payload)}\r\n"
            "Connection: close\r\n\r\n").encode()
    with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as s:
        s.settimeout(30)
        s.connect(os.path.join(node.run_dir, node.name + ".sock"))
        s.sendall(head + payload)
        data = b""
        while True:
            chunk = s.recv(65536)
            if not chunk:
                break
            data += chunk
    header, _, content = data.partition(b"\r\n\r\n")
    status = int(header.split(b" ", 2)[1])
    return status, (json.loads(content) if content.strip() else None)


def test_empty_listings_print_one_empty_line():
    with Node() as n:
        for args, banner in (
                (["list_policies"], 'Listing policies for vhost "/" ...\n'),
                (["list_operator_policies"], 'Listing operator policy overrides for vhost "/" ...\n'),
                (["list_parameters"], 'Listing runtime parameters for vhost "/" ...\n'),
                (["list_global_parameters"], "Listing global runtime parameters ...\n"),
                (["list_vhost_limits"], 'Listing limits for vhost "/" ...\n'),
                (["list_vhost_limits", "--global"], "Listing limits for all vhosts ...\n")):
            assert ok(n, *args) == banner + "\n", args
            assert ok(n, *args, "-q") == "\n", args
            assert ok(n, *args, "--formatter", "json") == "[]\n", args


def test_everything_survives_a_restart():
    n = Node()
    try:
        n.start()
        ok(n, "add_vhost", "qa", "--description", "QA env", "--tags", "a,b",
           "--default-queue-type", "quorum")
        ok(n, "trace_on", "-p", "qa")
        ok(n, "set_vhost_limits", "-p", "qa", '{"max-queues": 7}')
        ok(n, "set_policy", "-p", "qa", "--priority", "3", "--apply-to", "queues", "ttl", "^t",
           '{"message-ttl": 100}')
        ok(n, "set_operator_policy", "-p", "qa", "cap", "^", '{"max-length": 9}')
        ok(n, "set_global_parameter", "k", '[1, "two"]')
        before = [ok(n, *a) for a in (
            ["list_vhosts", "name", "description", "tags", "default_queue_type", "tracing"],
            ["list_vhost_limits", "--global"], ["list_policies", "-p", "qa"],
            ["list_operator_policies", "-p", "qa"], ["list_global_parameters"])]
        n.stop()
        n.start()
        after = [ok(n, *a) for a in (
            ["list_vhosts", "name", "description", "tags", "default_queue_type", "tracing"],
            ["list_vhost_limits", "--global"], ["list_policies", "-p", "qa"],
            ["list_operator_policies", "-p", "qa"], ["list_global_parameters"])]
        assert after == before
        assert "qa\tQA env\t[a, b]\tquorum\ttrue" in after[0]
        assert 'qa\t{"max-queues":7}' in after[1]
        assert 'qa\tttl\t^t\tqueues\t{"message-ttl":100}\t3' in after[2]
        assert 'k\t[1,"two"]' in after[4]
    finally:
        n.cleanup()


def test_deleting_a_vhost_takes_its_policies_limits_and_parameters():
    with Node() as n:
        ok(n, "add_vhost", "dev")
        ok(n, "set_policy", "-p", "dev", "p", "^", '{"expires": 1000}')
        ok(n, "set_operator_policy", "-p", "dev", "o", "^", '{"expires": 500}')
        ok(n, "set_vhost_limits", "-p", "dev", '{"max-connections": 1}')
        ok(n, "trace_on", "-p", "dev")
        ok(n, "delete_vhost", "dev")
        ok(n, "add_vhost", "dev")
        assert ok(n, "list_policies", "-p", "dev", "-q") == "\n"
        assert ok(n, "list_operator_policies", "-p", "dev", "-q") == "\n"
        assert ok(n, "list_parameters", "-p", "dev", "-q") == "\n"
        assert ok(n, "list_vhost_limits", "-p", "dev", "-q") == "\n"
        assert "dev\tfalse" in ok(n, "list_vhosts", "name", "tracing")


def test_refused_changes_leave_the_stored_policy_alone():
    with Node() as n:
        ok(n, "set_policy", "p", "^q", '{"max-length": 5}')
        for definition, apply_to in (('{"max-length": -1}', "all"), ('{"bogus": 1}', "all"),
                                     ('{"max-length": 1}', "streams"), ("{", "all")):
            r = ctl(n, "set_policy", "--apply-to", apply_to, "p", "^", definition)
            assert r.returncode == 69, (definition, r.stderr)
        assert ok(n, "list_policies", "-q") == (
            "vhost\tname\tpattern\tapply-to\tdefinition\tpriority\n"
            '/\tp\t^q\tall\t{"max-length":5}\t0\n')


def test_policies_are_per_vhost_and_listed_by_priority():
    with Node() as n:
        ok(n, "add_vhost", "other")
        ok(n, "set_policy", "--priority", "9", "high", "^", '{"max-length": 1}')
        ok(n, "set_policy", "--priority", "-2", "low", "^", '{"max-length": 2}')
        ok(n, "set_policy", "mid", "^", '{"max-length": 3}')
        ok(n, "set_policy", "-p", "other", "elsewhere", "^", '{"max-length": 4}')
        names = [line.split("\t")[1] for line in ok(n, "list_policies", "-s").splitlines()]
        assert names == ["low", "mid", "high"]
        assert ok(n, "list_policies", "-p", "other", "-s").startswith("other\telsewhere\t")
        r = ctl(n, "list_policies", "-q", tool="rabbitmq-diagnostics")
        assert r.returncode == 0 and "high" in r.stdout


def test_app_must_be_running():
    with Node() as n:
        ok(n, "stop_app")
        for args in (["set_policy", "p", "^", '{"max-length": 1}'], ["list_parameters"],
                     ["set_global_parameter", "k", "1"], ["list_vhosts"]):
            r = ctl(n, *args)
            assert r.returncode == 64, args
            assert "requires the 'rabbit' app to be running" in r.stderr
        ok(n, "start_app")


def test_control_socket_operations():
    with Node() as n:
        status, body = call(n, "PUT", "/api/policies/%2F/p", {"definition": {"max-length": 1}})
        assert status == 400
        assert body["reason"] == "Validation failed\n\nKey \"pattern\" not found in p\n"
        status, body = call(n, "PUT", "/api/policies/%2F/p",
                            {"pattern": "^", "definition": {"max-length": 1}, "priority": "5"})
        assert status == 400
        assert "priority should be a number, actually was <<\"5\">>" in body["reason"]
        status, _ = call(n, "PUT", "/api/policies/%2F/p",
                         {"pattern": "^", "definition": {"max-length": 1}})
        assert status == 200
        ok(n, "add_vhost", "dev")
        status, _ = call(n, "PUT", "/api/policies/dev/q",
                         {"pattern": "^a", "definition": {"ha-mode": "all"}, "priority": 2,
                          "apply-to": "exchanges"})
        assert status == 200
        status, rows = call(n, "GET", "/api/policies")
        assert status == 200
        assert [(r["vhost"], r["name"], r["definition"], r["apply-to"]) for r in rows] == [
            ("/", "p", {"max-length": 1}, "all"), ("dev", "q", {"ha-mode": "all"}, "exchanges")]
        status, body = call(n, "GET", "/api/policies/nosuchvhost")
        assert status == 404 and body["reason"] == "Virtual host 'nosuchvhost' does not exist"
        status, body = call(n, "PUT", "/api/vhost-limits/dev", {"value": {"max-queues": 3}})
        assert status == 200
        status, rows = call(n, "GET", "/api/parameters/vhost-limits")
        assert rows == [{"vhost": "dev", "component": "vhost-limits", "name": "limits",
                         "value": {"max-queues": 3}}]
        status, rows = call(n, "GET", "/api/vhost-limits")
        assert rows == [{"vhost": "dev", "value": {"max-queues": 3}}]
        status, body = call(n, "PUT", "/api/parameters/shovel/%2F/s", {"value": {"src-uri": "x"}})
        assert status == 400
        assert body["reason"] == "Validation failed\n\ncomponent shovel not found\n"
        status, body = call(n, "POST", "/api/vhosts/x", {"default_queue_type": "fifo"})
        assert status == 400 and body["reason"] == "fifo is not a valid queue type"
        status, rows = call(n, "GET", "/api/vhosts")
        assert [r["name"] for r in rows] == ["/", "dev"]
        assert rows[0]["cluster_state"] == {n.name: "running"}
