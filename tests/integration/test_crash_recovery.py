"""Durability of the metadata store: a change the CLI reported as done survives kill -9;
a torn or corrupt log is recovered up to its last whole record and the log says so;
a snapshot that cannot be trusted stops the node with the file named."""
import os
import subprocess
import sys
import threading
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
from warren_node import Node  # noqa: E402


def users(node):
    r = node.ctl("list_users", "-s")
    assert r.returncode == 0, r.stderr
    return {line.split("\t")[0] for line in r.stdout.splitlines() if line}


def test_kill_9_during_a_burst_of_add_user_loses_nothing_reported_done():
    with Node() as n:
        done, attempted = [], []
        stop = threading.Event()

        def burst(prefix):
            i = 0
            while not stop.is_set():
                name = f"{prefix}{i}"
                attempted.append(name)
                r = n.ctl("add_user", name, "pw", timeout=10)
                if r.returncode == 0:
                    done.append(name)
                i += 1

        threads = [threading.Thread(target=burst, args=(p,)) for p in ("a", "b")]
        for t in threads:
            t.start()
        time.sleep(1.5)
        n.kill()  # SIGKILL, mid-burst
        stop.set()
        for t in threads:
            t.join()
        assert len(done) > 20, "the burst should have completed many changes before the kill"
        n.start()
        present = users(n)
        missing = set(done) - present
        assert not missing, f"reported done but lost: {sorted(missing)[:10]}"
        invented = present - set(attempted) - {"guest"}
        assert not invented, f"present but never attempted: {sorted(invented)}"


def test_a_torn_log_tail_is_cut_at_the_last_whole_record_and_reported():
    with Node() as n:
        for name in ("u1", "u2", "u3"):
            assert n.ctl("add_user", name, "pw").returncode == 0
        n.kill()  # no shutdown snapshot: the users live in the command log only
        log = os.path.join(n.data_dir, "meta", "commands.log")
        size = os.path.getsize(log)
        assert size > 0
        os.truncate(log, size - 3)
        n.start()
        assert users(n) == {"guest", "u1", "u2"}
        with open(n.log_file) as f:
            text = f.read()
        assert "discarded" in text and "torn record" in text, text[-2000:]
        # The node goes on writing after the cut.
        assert n.ctl("add_user", "u4", "pw").returncode == 0
        n.kill()
        n.start()
        assert users(n) == {"guest", "u1", "u2", "u4"}


def test_a_flipped_byte_in_the_log_is_detected_by_its_checksum():
    with Node() as n:
        for name in ("u1", "u2"):
            assert n.ctl("add_user", name, "pw").returncode == 0
        n.kill()
        log = os.path.join(n.data_dir, "meta", "commands.log")
        with open(log, "r+b") as f:
            f.seek(-2, os.SEEK_END)
            b = f.read(1)
            f.seek(-2, os.SEEK_END)
            f.write(bytes([b[0] ^ 0xFF]))
        n.start()
        assert users(n) == {"guest", "u1"}
        with open(n.log_file) as f:
            assert "checksum mismatch" in f.read()


def test_a_corrupt_snapshot_stops_the_boot_with_the_file_named():
    with Node() as n:
        assert n.ctl("add_user", "keep", "pw").returncode == 0
        n.stop()  # graceful: writes the snapshot
        snap = os.path.join(n.data_dir, "meta", "snapshot.json")
        assert os.path.exists(snap)
        with open(snap, "w") as f:
            f.write("{not json")
        r = n.start(check=False)
        assert r.returncode != 0
        assert "BOOT FAILED" in r.stderr and "snapshot.json" in r.stderr, r.stderr
        assert not os.path.exists(os.path.join(n.run_dir, n.name + ".sock"))


def test_changes_survive_a_graceful_restart():
    with Node() as n:
        assert n.ctl("add_user", "carol", "pw").returncode == 0
        n.stop()
        n.start()
        assert "carol" in users(n)


def _as_nobody(cmd, env):
    return subprocess.run(["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *cmd],
                          env=env, capture_output=True, text=True, timeout=30)


def test_a_control_socket_of_another_user_is_refused_with_a_clear_message():
    if os.geteuid() != 0:
        import pytest
        pytest.skip("needs root to act as another user")
    with Node() as n:
        ctl = os.path.realpath(os.path.join(n.bin, "warrenctl"))
        # The run directory is private (0700): another user cannot even see the socket.
        r = _as_nobody([ctl, "list_users"], n.env)
        assert r.returncode == 69, r
        assert "permission denied" in r.stderr and "run the command as the user" in r.stderr
        # With the directory open, the CLI sees the socket is not its user's.
        os.chmod(n.root, 0o755)
        os.chmod(n.run_dir, 0o755)
        r = _as_nobody([ctl, "list_users"], n.env)
        assert r.returncode == 69, r
        assert "belongs to uid 0" in r.stderr, r.stderr
        # And the node itself refuses a caller of another uid even if the socket is opened up.
        os.chmod(os.path.join(n.run_dir, n.name + ".sock"), 0o777)
        probe = ("import socket,sys; s=socket.socket(socket.AF_UNIX); s.connect(sys.argv[1]);"
                 "s.sendall(b'GET /api/users HTTP/1.1\\r\\ncontent-length: 0\\r\\n\\r\\n');"
                 "print(s.recv(4096).decode())")
        r = _as_nobody(["/usr/bin/python3", "-c", probe, os.path.join(n.run_dir, n.name + ".sock")],
                       n.env)
        assert "403" in r.stdout and "refused this caller" in r.stdout, r
