"""warrenctl apply -f provision.yaml against real nodes: a file converges in one run
and a second run changes nothing, --dry-run changes nothing, passwords are checked
against their hashes, --prune deletes only kinds the file has a section for, and a bad
file changes nothing and names the file, the line and the entry."""
import json
import os
import sys
import textwrap

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "lib"))
from warren_node import Node  # noqa: E402

FILE = textwrap.dedent("""\
    vhosts:
      - name: prod
        description: Production
        tags: [prod]
        default_queue_type: quorum
        limits: {max-connections: 10}
    users:
      - name: alice
        password: s3cret
        tags: [administrator]
      - name: metrics
        password_hash: kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR
        tags: monitoring
    permissions:
      - user: alice
        vhost: prod
        configure: ".*"
        write: ".*"
        read: ".*"
    topic_permissions:
      - user: metrics
        vhost: prod
        exchange: amq.topic
        write: "^$"
        read: ".*"
    policies:
      - name: ttl
        vhost: prod
        pattern: "^tmp"
        apply-to: queues
        priority: 1
        definition: {message-ttl: 60000}
    operator_policies:
      - name: cap
        vhost: prod
        pattern: ".*"
        definition: {max-length: 1000}
    global_parameters:
      - name: cluster_tag
        value: blue
    """)


def write(n, name, text):
    path = os.path.join(n.root, name)
    with open(path, "w") as f:
        f.write(text)
    return path


def export(n):
    r = n.ctl("export_definitions", "-")
    assert r.returncode == 0, r.stderr
    return json.loads(r.stdout)


def plan_lines(stdout):
    return [line for line in stdout.splitlines() if line[:2] in ("+ ", "~ ", "- ")]


def test_apply_converges_and_a_second_run_changes_nothing():
    with Node() as n:
        path = write(n, "p.yaml", FILE)
        before = export(n)
        r = n.ctl("apply", "-f", path, "--dry-run")
        assert r.returncode == 0, r.stderr
        expected = ["+ vhost prod", "+ user alice", "+ user metrics", "+ permissions alice@prod",
                    "+ topic_permissions metrics@prod amq.topic", "+ policy ttl@prod",
                    "+ operator_policy cap@prod", "+ global_parameter cluster_tag"]
        assert plan_lines(r.stdout) == expected
        assert r.stdout.splitlines()[-1] == "8 changes planned; nothing applied (dry run)."
        assert export(n) == before

        r = n.ctl("apply", "-f", path)
        assert r.returncode == 0, r.stderr
        assert plan_lines(r.stdout) == expected
        assert r.stdout.splitlines()[-1] == "Applied 8 changes."

        d = export(n)
        vhost = {v["name"]: v for v in d["vhosts"]}["prod"]
        assert vhost["metadata"] == {"description": "Production", "tags": ["prod"],
                                     "default_queue_type": "quorum"}
        assert vhost["limits"] == {"max-connections": 10}
        users = {u["name"]: u for u in d["users"]}
        assert users["metrics"]["password_hash"] == \
            "kI3GCqW5JLMJa4iX1lo7X4D6XbYqlLgxIs30+P6tENUV2POR"
        assert users["metrics"]["tags"] == ["monitoring"]
        assert d["global_parameters"] == [{"name": "cluster_tag", "value": "blue"}]
        assert {p["name"]: p for p in d["policies"]}["ttl"]["definition"] == {
            "message-ttl": 60000}
        assert n.ctl("authenticate_user", "alice", "s3cret").returncode == 0

        for _ in range(2):
            r = n.ctl("apply", "-f", path)
            assert r.returncode == 0, r.stderr
            assert plan_lines(r.stdout) == []
            assert r.stdout.splitlines()[-1] == "No changes: the node already matches the file."
        assert export(n) == d


def test_changed_password_and_tags_update_the_user():
    with Node() as n:
        path = write(n, "p.yaml", "users:\n  - name: alice\n    password: one\n")
        assert n.ctl("apply", "-f", path).returncode == 0
        write(n, "p.yaml", "users:\n  - name: alice\n    password: two\n    tags: [x]\n")
        r = n.ctl("apply", "-f", path)
        assert plan_lines(r.stdout) == ["~ user alice"]
        assert n.ctl("authenticate_user", "alice", "two").returncode == 0
        assert n.ctl("authenticate_user", "alice", "one").returncode != 0
        # A password changed behind apply's back is put back.
        assert n.ctl("change_password", "alice", "three").returncode == 0
        r = n.ctl("apply", "-f", path)
        assert plan_lines(r.stdout) == ["~ user alice"]
        assert n.ctl("authenticate_user", "alice", "two").returncode == 0


def test_prune_removes_only_kinds_with_a_section():
    with Node() as n:
        assert n.ctl("add_vhost", "old").returncode == 0
        assert n.ctl("add_user", "olduser", "x").returncode == 0
        path = write(n, "p.yaml", "users:\n  - name: alice\n    password: pw\n")
        r = n.ctl("apply", "-f", path, "--prune", "--dry-run")
        assert r.returncode == 0, r.stderr
        assert plan_lines(r.stdout) == ["+ user alice", "- user guest", "- user olduser"]
        r = n.ctl("apply", "-f", path, "--prune")
        assert r.returncode == 0, r.stderr
        names = sorted(u["name"] for u in export(n)["users"])
        assert names == ["alice"]
        # No vhosts section: "old" stays.
        assert "old" in [v["name"] for v in export(n)["vhosts"]]
        r = n.ctl("apply", "-f", path, "--prune")
        assert plan_lines(r.stdout) == []


def test_bad_files_change_nothing_and_name_the_line():
    with Node() as n:
        before = export(n)
        cases = {
            "bad_field.yaml": ("vhosts:\n  - name: a\nusers:\n  - name: bob\n    pasword: x\n",
                               "bad_field.yaml:5: users[0] (bob): unknown field 'pasword'"),
            "bad_ref.yaml": ("vhosts:\n  - name: a\npermissions:\n  - user: nobody\n"
                             "    vhost: a\n    configure: x\n    write: x\n    read: x\n",
                             "bad_ref.yaml:4: permissions[0] (nobody@a): User \"nobody\" "
                             "does not exist"),
            "bad_yaml.yaml": ("users:\n  - name: [x\n", "bad_yaml.yaml:"),
            # No plugin registered the component: refused as set_parameter refuses it.
            "bad_param.yaml": ("parameters:\n  - component: federation-upstream\n"
                               "    name: up\n    value: {uri: \"amqp://x\"}\n",
                               "bad_param.yaml:2: parameters[0] (federation-upstream/up@/): "
                               "component federation-upstream not found"),
            "bad_policy.yaml": ("policies:\n  - name: p\n    pattern: .*\n"
                                "    definition: {bogus: 1}\n",
                                "bad_policy.yaml:2: policies[0] (p@/): "),
        }
        for name, (text, message) in cases.items():
            path = write(n, name, text)
            for extra in ((), ("--dry-run",)):
                r = n.ctl("apply", "-f", path, *extra)
                assert r.returncode == 65, (name, r.stdout, r.stderr)
                assert r.stderr.startswith("Error:\n" + os.path.join(n.root, message)), \
                    (name, r.stderr)
        assert export(n) == before


def test_stdin_json_output_and_usage_errors():
    with Node() as n:
        r = n.ctl("apply", "-f", "-", "--formatter", "json",
                  input="vhosts: [{name: piped}]\n")
        assert r.returncode == 0, r.stderr
        reply = json.loads(r.stdout)
        assert reply["changes"] == [{"action": "+", "kind": "vhost", "name": "piped"}]
        assert reply["applied"] is True
        assert reply["file"] == "<stdin>"
        r = n.ctl("apply")
        assert r.returncode == 64
        assert "give it with -f <file>" in r.stderr
        r = n.ctl("apply", "-f", os.path.join(n.root, "missing.yaml"))
        assert r.returncode == 65
        assert "does not exist" in r.stderr
        # -q prints the plan lines alone.
        r = n.ctl("apply", "-q", "-f", "-", input="vhosts: [{name: quiet}]\n")
        assert r.stdout == "+ vhost quiet\n"
