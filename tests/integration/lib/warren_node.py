"""A real warren-server for tests: its own node name, ports, data and run directories.

Every test node is started detached with a unique name and kernel-chosen free ports
under a fresh temporary directory, and is killed by pid when the test ends, even
when it fails, so tests run side by side (ctest -j2).
"""
import atexit
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time
import uuid

BIN_DIR = os.environ.get("WARREN_BIN_DIR", "")


def free_port():
    """A TCP port the kernel says is free on loopback, whose +20000 (the default
    inter-node port) is free too."""
    for _ in range(100):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            port = s.getsockname()[1]
        if port + 20000 > 65535:
            continue
        try:
            with socket.socket() as s2:
                s2.bind(("127.0.0.1", port + 20000))
        except OSError:
            continue
        return port
    raise RuntimeError("no free port pair found")


def binary(name):
    path = os.path.abspath(os.path.join(BIN_DIR, name))
    if not os.path.exists(path):
        raise RuntimeError(f"{path} not found; set WARREN_BIN_DIR to the build's bin directory")
    return path


_live = []


def _kill_all():
    for n in list(_live):
        n.kill()


atexit.register(_kill_all)


class Node:
    def __init__(self, name=None, config=None, env=None, root=None):
        self.root = root or tempfile.mkdtemp(prefix="warren-test-")
        self.name = name or f"t{uuid.uuid4().hex[:8]}@localhost"
        self.port = free_port()
        self.run_dir = os.path.join(self.root, "run")
        self.base = os.path.join(self.root, "base")
        self.bin = os.path.join(self.root, "bin")
        os.makedirs(self.bin, exist_ok=True)
        # Links named like RabbitMQ's tools, to test that the binaries become them.
        for warren_name, rabbit_name in (("warrenctl", "rabbitmqctl"),
                                         ("warren-plugins", "rabbitmq-plugins"),
                                         ("warren-diagnostics", "rabbitmq-diagnostics")):
            for n in (warren_name, rabbit_name):
                link = os.path.join(self.bin, n)
                if not os.path.exists(link):
                    os.symlink(binary(warren_name), link)
        server_link = os.path.join(self.bin, "warren-server")
        if not os.path.exists(server_link):
            os.symlink(binary("warren-server"), server_link)
        self.env = dict(os.environ)
        for k in list(self.env):
            if k.startswith("WARREN_") or k.startswith("RABBITMQ_"):
                del self.env[k]
        self.env.update({
            "WARREN_NODENAME": self.name,
            "WARREN_NODE_PORT": str(self.port),
            "WARREN_BASE": self.base,
            "WARREN_RUN_DIR": self.run_dir,
            "PATH": self.bin + os.pathsep + os.environ.get("PATH", ""),
        })
        if config is not None:
            path = os.path.join(self.root, "warren.yaml")
            with open(path, "w") as f:
                f.write(config)
            self.env["WARREN_CONFIG_FILE"] = path
        if env:
            self.env.update(env)
        self.pid = None

    @property
    def pid_file(self):
        return os.path.join(self.base, "data", self.name + ".pid")

    @property
    def data_dir(self):
        return os.path.join(self.base, "data", self.name)

    @property
    def log_file(self):
        return os.path.join(self.base, "log", self.name + ".log")

    def start(self, check=True):
        r = subprocess.run([binary("warren-server"), "-detached"], env=self.env,
                           capture_output=True, text=True, timeout=60)
        if r.returncode == 0:
            with open(self.pid_file) as f:
                self.pid = int(f.read().strip())
            self.started_at = _start_time(self.pid)
            if self not in _live:
                _live.append(self)
        elif check:
            raise RuntimeError(f"node {self.name} failed to start: {r.stderr}")
        return r

    def ctl(self, *args, tool="warrenctl", input=None, timeout=60):
        return subprocess.run([os.path.join(self.bin, tool), *args], env=self.env,
                              capture_output=True, text=True, input=input, timeout=timeout)

    def kill(self, sig=signal.SIGKILL):
        # A node that exited by itself (warrenctl stop) may have its pid reused by
        # another test's process by now: only the process this node started is killed.
        if self.pid and _start_time(self.pid) != getattr(self, "started_at", None):
            self.pid = None
        if self.pid:
            try:
                os.kill(self.pid, sig)
            except ProcessLookupError:
                pass
            deadline = time.time() + 10
            while time.time() < deadline and (_alive(self.pid) or _threads_left(self.pid)):
                time.sleep(0.01)
            self.pid = None
        if self in _live:
            _live.remove(self)

    def stop(self):
        self.kill(signal.SIGTERM)

    def cleanup(self):
        self.kill()
        shutil.rmtree(self.root, ignore_errors=True)

    def __enter__(self):
        self.start()
        return self

    def __exit__(self, *exc):
        self.cleanup()


def _threads_left(pid):
    """True while a dead process still has threads exiting (a "Zl" zombie, e.g. one
    finishing asynchronous disk I/O): its sockets stay open until the last one ends."""
    try:
        return len(os.listdir(f"/proc/{pid}/task")) > 1
    except OSError:
        return False


def _start_time(pid):
    """The process's start time in clock ticks since boot (None when there is none):
    with the pid, it names one process even after pids wrap around."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return int(f.read().rsplit(")", 1)[1].split()[19])
    except (OSError, ValueError, IndexError):
        return None


def _alive(pid):
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False
