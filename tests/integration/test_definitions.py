"""export_definitions / import_definitions against real nodes: RabbitMQ's own export
imports whole (hashes kept, so its users log in), a round trip between two nodes
loses nothing, a bad entry imports nothing, and an import that changes nothing does
not write to the metadata log."""
import base64
import hashlib
import json
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from warren_node import Node  # noqa: E402

DATA = os.path.join(os.path.dirname(os.path.abspath(__file__)), "data")
RABBIT_EXPORT = os.path.join(DATA, "rabbitmq-3.10.8-exported-defs.json")


def export(n):
    r = n.ctl("export_definitions", "-")
    assert r.returncode == 0, r.stderr
    assert not r.stdout.endswith("\n")
    return json.loads(r.stdout)


def by_name(items, key="name"):
    return {i[key]: i for i in items}


def rabbit_hash_matches(password_hash, password):
    """RabbitMQ's rabbit_password_hashing_sha256: base64(salt ++ sha256(salt ++ password))."""
    raw = base64.b64decode(password_hash)
    salt, digest = raw[:4], raw[4:]
    return hashlib.sha256(salt + password.encode()).digest() == digest


def test_rabbitmq_export_imports_with_hashes_kept():
    with open(RABBIT_EXPORT) as f:
        rabbit = json.load(f)
    with Node() as n:
        r = n.ctl("import_definitions", RABBIT_EXPORT)
        assert r.returncode == 0, r.stderr
        assert "Successfully started definition import" in r.stdout
        # Queues, exchanges and bindings are imported too.
        assert "skipped" not in r.stderr
        d = export(n)
        users = by_name(d["users"])
        for u in rabbit["users"]:
            assert users[u["name"]]["password_hash"] == u["password_hash"]
            assert users[u["name"]]["hashing_algorithm"] == u["hashing_algorithm"]
            assert users[u["name"]]["tags"] == u["tags"]
        # RabbitMQ's guest hash is guest's password: it logs in on warren.
        assert rabbit_hash_matches(users["guest"]["password_hash"], "guest")
        r = n.ctl("authenticate_user", "guest", "guest")
        assert r.returncode == 0, r.stderr
        assert n.ctl("authenticate_user", "admin", "wrong").returncode != 0
        perms = {(p["user"], p["vhost"]): p for p in d["permissions"]}
        assert perms[("admin", "/")]["configure"] == ".*"
        policies = by_name(d["policies"])
        assert policies["federate-me"]["pattern"] == "^fed\\."
        assert policies["federate-me"]["apply-to"] == "exchanges"
        assert policies["federate-me"]["definition"] == {"federation-upstream-set": "all"}
        params = {(p["component"], p["name"]): p["value"] for p in d["parameters"]}
        assert params[("federation-upstream", "my-up")] == {
            "expires": 3600000, "uri": "amqp://localhost:5682"}
        assert params[("shovel", "my-shovel")]["src-queue"] == "q1"
        assert by_name(d["vhosts"])["/"]["metadata"]["description"] == "Default virtual host"


def test_round_trip_between_nodes_loses_nothing():
    with Node() as a, Node() as b:
        for args in (("add_user", "alice", "s3cret"), ("add_vhost", "prod"),
                     ("set_user_tags", "alice", "management", "policymaker"),
                     ("set_permissions", "-p", "prod", "alice", "^a", "^b", "^c"),
                     ("set_topic_permissions", "-p", "prod", "alice", "amq.topic", "^w", "^r"),
                     ("set_policy", "-p", "prod", "--priority", "3", "--apply-to", "queues",
                      "ttl", "^q", '{"message-ttl": 1000}'),
                     ("set_global_parameter", "cluster_tag", '"blue"')):
            r = a.ctl(*args)
            assert r.returncode == 0, (args, r.stdout, r.stderr)
        path = os.path.join(a.root, "defs.json")
        r = a.ctl("export_definitions", path)
        assert r.returncode == 0, r.stderr
        r = b.ctl("import_definitions", path)
        assert r.returncode == 0, r.stderr
        assert r.stderr == ""
        exported_a, exported_b = export(a), export(b)
        assert exported_a == exported_b
        r = b.ctl("authenticate_user", "alice", "s3cret")
        assert r.returncode == 0, r.stderr


def test_import_from_stdin_and_export_to_stdout():
    with Node() as n:
        doc = {"vhosts": [{"name": "piped", "metadata": {"description": "via stdin",
                                                         "tags": ["a"]}}],
               "users": [{"name": "clear", "password": "in-clear", "tags": "x,y"}]}
        r = n.ctl("import_definitions", "-", input=json.dumps(doc))
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith("Importing definitions in JSON from standard input ...")
        d = export(n)
        v = by_name(d["vhosts"])["piped"]
        assert v["metadata"]["description"] == "via stdin"
        assert v["metadata"]["tags"] == ["a"]
        # A password given in clear (as RabbitMQ accepts) is stored hashed.
        u = by_name(d["users"])["clear"]
        assert u["tags"] == ["x", "y"]
        assert rabbit_hash_matches(u["password_hash"], "in-clear")
        assert n.ctl("authenticate_user", "clear", "in-clear").returncode == 0


def test_bad_entry_imports_nothing():
    with Node() as n:
        before = export(n)
        doc = {"vhosts": [{"name": "v1"}],
               "users": [{"name": "u1", "password_hash": "", "tags": []}],
               "policies": [{"vhost": "v1", "name": "p", "pattern": ".*",
                             "definition": {"max-length": 1}},
                            {"vhost": "missing", "name": "q", "pattern": ".*",
                             "definition": {"max-length": 1}}]}
        r = n.ctl("import_definitions", input=json.dumps(doc))
        assert r.returncode == 65
        assert "definitions: policies[1] (q@missing): Virtual host 'missing' does not exist" \
            in r.stderr
        assert export(n) == before


def test_unchanged_import_does_not_write():
    with Node() as n:
        path = os.path.join(n.root, "d.json")
        with open(path, "w") as f:
            json.dump({"vhosts": [{"name": "v"}], "users": [
                {"name": "u", "password_hash": "", "tags": ["t"]}]}, f)
        assert n.ctl("import_definitions", path).returncode == 0
        log = os.path.join(n.data_dir, "meta", "commands.log")
        size = os.path.getsize(log)
        for extra in ((), ("--skip-if-unchanged",)):
            r = n.ctl("import_definitions", path, *extra)
            assert r.returncode == 0, r.stderr
            assert os.path.getsize(log) == size


def test_export_to_unwritable_place_is_a_data_error():
    with Node() as n:
        target = os.path.join(n.root, "adir")
        os.mkdir(target)
        r = n.ctl("export_definitions", target)
        assert r.returncode == 65
        assert r.stderr == f"Error:\n{target} is a directory\n"


def test_import_needs_the_app_running():
    with Node() as n:
        assert n.ctl("stop_app").returncode == 0
        r = n.ctl("import_definitions", "-", input="{}")
        assert r.returncode == 64
        assert "requires the 'rabbit' app to be running" in r.stderr
