"""warrenctl -n reaching a node through its inter-node port, as rabbitmqctl reaches a
node on another host through Erlang distribution (docs/clustering.md, "Reaching a node
on another host"). One machine stands in for two: the CLI runs with another
WARREN_RUN_DIR, so it finds no control socket, and WARREN_DIST_PORT names the port."""
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile

import pytest

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "integration", "lib"))
from warren_node import Node, free_port  # noqa: E402


@pytest.fixture
def node():
    d = tempfile.mkdtemp(prefix="warren-remote-cli-")
    n = Node(root=d)
    try:
        n.start()
        yield n
    finally:
        n.kill()
        shutil.rmtree(d, ignore_errors=True)


def cookie_of(node):
    return os.path.join(node.base, ".cookie")


def remote_env(node, port=None, cookie_file=None):
    """The environment of a CLI on "another host": no socket of the node's in its run
    directory, its own base directory, the node's cookie and inter-node port."""
    env = dict(node.env)
    env["WARREN_RUN_DIR"] = os.path.join(node.root, "cli-run")
    env["WARREN_BASE"] = os.path.join(node.root, "cli-base")
    env["WARREN_DIST_PORT"] = str(port if port is not None else node.port + 20000)
    env["WARREN_COOKIE_FILE"] = cookie_file or cookie_of(node)
    os.makedirs(env["WARREN_RUN_DIR"], exist_ok=True)
    return env


def remote(node, *args, env=None, tool="warrenctl", timeout=60):
    return subprocess.run([os.path.join(node.bin, tool), "-n", node.name, *args],
                          env=env or remote_env(node), capture_output=True, text=True,
                          timeout=timeout)


def local(node, *args, tool="warrenctl"):
    return node.ctl("-n", node.name, *args, tool=tool)


def ok(r):
    assert r.returncode == 0, f"exit {r.returncode}\nstdout: {r.stdout}\nstderr: {r.stderr}"
    return r


def test_commands_run_through_the_inter_node_port(node):
    r = ok(remote(node, "status"))
    assert f"Status of node {node.name}" in r.stdout

    users = json.loads(ok(remote(node, "list_users", "--formatter", "json")).stdout)
    assert users == json.loads(ok(local(node, "list_users", "--formatter", "json")).stdout)
    assert [u["user"] for u in users] == ["guest"]

    r = ok(remote(node, "add_user", "alice", "s3cret"))
    assert r.stdout == ok(local(node, "add_user", "bob", "s3cret")).stdout.replace("bob", "alice")
    for door in (remote, local):
        names = {u["user"] for u in json.loads(ok(door(node, "list_users", "--formatter", "json")).stdout)}
        assert names == {"guest", "alice", "bob"}

    s = json.loads(ok(remote(node, "cluster_status", "--formatter", "json")).stdout)
    assert s["running_nodes"] == [node.name]
    assert s["disk_nodes"] == [node.name]


def test_the_other_tools_use_the_same_door(node):
    r = ok(remote(node, "ping", tool="warren-diagnostics"))
    assert r.stdout.endswith("Ping succeeded\n")
    for tool, args in (("warren-plugins", ("list", "--formatter", "json")),
                       ("warren-diagnostics", ("server_version",))):
        assert ok(remote(node, *args, tool=tool)).stdout == ok(local(node, *args, tool=tool)).stdout


@pytest.mark.parametrize("args", [
    ("delete_user", "nosuch"),
    ("add_user", "guest", "x"),
    ("list_permissions", "-p", "nosuch"),
    ("delete_vhost", "nosuch"),
    ("set_policy", "p", ".*", "not json"),
])
def test_a_failing_command_reads_the_same_through_both_doors(node, args):
    through_port, through_socket = remote(node, *args), local(node, *args)
    assert through_port.returncode != 0
    assert (through_port.returncode, through_port.stdout, through_port.stderr) == \
        (through_socket.returncode, through_socket.stdout, through_socket.stderr)


def test_the_control_socket_stays_the_fast_path(node):
    # The node's own run directory holds its socket: WARREN_DIST_PORT is not used.
    env = dict(node.env, WARREN_DIST_PORT=str(free_port()))
    ok(remote(node, "status", env=env))


def test_the_cookie_file_defaults_to_the_one_under_warren_base(node):
    env = remote_env(node)
    del env["WARREN_COOKIE_FILE"]
    env["WARREN_BASE"] = node.base
    ok(remote(node, "list_users", env=env))


def test_a_wrong_cookie_is_refused_and_never_printed(node):
    wrong = os.path.join(node.root, "wrong.cookie")
    with open(wrong, "w") as f:
        f.write("NOTTHECOOKIEATALLXYZ\n")
    r = remote(node, "list_users", env=remote_env(node, cookie_file=wrong))
    assert r.returncode == 69
    assert f"node {node.name} refused the connection: the cookie does not match" in r.stderr
    with open(cookie_of(node)) as f:
        real = f.read().strip()
    for secret in (real, "NOTTHECOOKIEATALLXYZ"):
        assert secret not in r.stdout and secret not in r.stderr


def test_a_missing_cookie_file_is_named(node):
    missing = os.path.join(node.root, "no-such.cookie")
    r = remote(node, "list_users", env=remote_env(node, cookie_file=missing))
    assert r.returncode == 69
    assert f"cannot read the cookie file {missing}" in r.stderr


def test_nothing_listening_is_a_node_down(node):
    port = free_port()
    r = remote(node, "list_users", env=remote_env(node, port=port))
    assert r.returncode == 69
    assert r.stderr.startswith(f"Error: unable to perform an operation on node '{node.name}'. "
                               "Please see diagnostics information and suggestions below.\n")
    assert f"  * connect: Connection refused (inter-node port localhost:{port})\n" in r.stderr


def test_a_port_that_never_answers_times_out(node):
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        s.listen(1)  # the kernel completes the connection; nothing ever answers
        r = remote(node, "-t", "1", "list_users", env=remote_env(node, port=s.getsockname()[1]))
    assert r.returncode == 75
    assert f"Error: operation list_users on node {node.name} timed out. Timeout value used: 1" in r.stderr
