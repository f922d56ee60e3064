"""What the benchmark scripts share: free ports, a process's resident memory, a warren
node and a RabbitMQ 3.10.8 node (Debian's rabbitmq-server) to measure, and killing by
pid."""
import os
import shutil
import signal
import socket
import subprocess
import tempfile
import time


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def rss_kb(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


class Warren:
    name = "warren"

    def __init__(self, bin_dir, env=None):
        self.bin_dir = bin_dir
        self.root = tempfile.mkdtemp(prefix="warren-bench-")
        self.port = free_port()
        self.env = {"PATH": os.environ["PATH"], "HOME": self.root,
                    "WARREN_NODENAME": "amqpbench@localhost", "WARREN_NODE_PORT": str(self.port),
                    "WARREN_DIST_PORT": str(free_port()), "WARREN_BASE": self.root + "/base",
                    "WARREN_RUN_DIR": self.root + "/run"}
        self.env.update(env or {})

    def start(self):
        subprocess.run([os.path.join(self.bin_dir, "warren-server"), "-detached"], env=self.env,
                       check=True, capture_output=True)
        with open(f"{self.root}/base/data/amqpbench@localhost.pid") as f:
            self.pid = int(f.read())

    def stop(self):
        subprocess.run([os.path.join(self.bin_dir, "warrenctl"), "stop"], env=self.env,
                       capture_output=True)
        shutil.rmtree(self.root, ignore_errors=True)


class RabbitMQ:
    """One RabbitMQ node with its own name, ports and directories under a temporary root.

    By default the tools are Debian's wrappers on PATH (as root they switch to the
    rabbitmq user, so the root is handed to that user and the cookie is the rabbitmq
    user's). With `direct` the tools in /usr/lib/rabbitmq/bin run as the caller with
    HOME = `home`, whose .erlang.cookie the nodes of a cluster share; `start` is then
    `launch` (boot in the background) followed by `await_started`, so several nodes can
    boot side by side."""
    name = "RabbitMQ 3.10.8"
    DIRECT_BIN = "/usr/lib/rabbitmq/bin"

    def __init__(self, config="", node="amqpbench@localhost", direct=False, home=None):
        self.root = tempfile.mkdtemp(prefix="rabbit-bench-")
        with open(self.root + "/rabbitmq.conf", "w") as f:
            f.write(config)
        self.port = free_port()
        self.node = node
        self.direct = direct
        self.proc = None
        self.pid = None
        self.enabled_plugins = self.root + "/enabled_plugins"
        with open(self.enabled_plugins, "w") as f:
            f.write("[].\n")
        for d in ("mnesia", "log"):
            os.makedirs(os.path.join(self.root, d))
        if os.geteuid() == 0 and not direct:
            # Debian's rabbitmq-server, started as root, runs as the rabbitmq user.
            for dirpath, _, files in os.walk(self.root):
                for p in [dirpath] + [os.path.join(dirpath, f) for f in files]:
                    shutil.chown(p, "rabbitmq", "rabbitmq")
        self.env = dict(os.environ, RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_PORT=str(self.port),
                        RABBITMQ_DIST_PORT=str(free_port()),
                        RABBITMQ_MNESIA_BASE=self.root + "/mnesia",
                        RABBITMQ_LOG_BASE=self.root + "/log",
                        RABBITMQ_PID_FILE=self.root + "/rabbit.pid",
                        RABBITMQ_ENABLED_PLUGINS_FILE=self.root + "/enabled_plugins",
                        RABBITMQ_CONFIG_FILE=self.root + "/rabbitmq", HOME=home or self.root)

    def tool(self, name):
        return os.path.join(self.DIRECT_BIN, name) if self.direct else name

    def ctl(self, *args, timeout=120):
        """rabbitmqctl -n <this node> args..., its CompletedProcess (text)."""
        return subprocess.run([self.tool("rabbitmqctl"), "-n", self.node, *args], env=self.env,
                              capture_output=True, text=True, timeout=timeout)

    def launch(self):
        self.proc = subprocess.Popen([self.tool("rabbitmq-server")], env=self.env,
                                     stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def await_started(self):
        # await_startup fails until the Erlang node answers at all: retry for a minute.
        deadline = time.time() + 60
        while self.ctl("await_startup", "-t", "60").returncode != 0:
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError(f"RabbitMQ node {self.node} did not start (logs in {self.root}/log)")
            time.sleep(1)
        out = self.ctl("eval", "os:getpid().").stdout
        self.pid = int(out.strip().strip('"'))

    def start(self):
        self.launch()
        self.await_started()

    def stop(self):
        if self.proc is not None:
            subprocess.run([self.tool("rabbitmqctl"), "-n", self.node, "stop"], env=self.env,
                           capture_output=True)
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        if self.pid is not None and alive(self.pid):
            kill_pid(self.pid)
        shutil.rmtree(self.root, ignore_errors=True)


def alive(pid):
    """True while `pid` is a process that has not exited (zombies count as exited)."""
    try:
        with open(f"/proc/{pid}/stat") as f:
            return f.read().rsplit(")", 1)[1].split()[0] != "Z"
    except (OSError, IndexError):
        return False


def kill_pid(pid, sig=signal.SIGKILL, wait=10):
    """Send `sig` to `pid` and wait up to `wait` seconds for it to be gone."""
    try:
        os.kill(pid, sig)
    except ProcessLookupError:
        return
    deadline = time.time() + wait
    while time.time() < deadline and alive(pid):
        time.sleep(0.01)


def pids_named(comm):
    """The pids of the processes whose command name is `comm` (as pgrep -x would find)."""
    pids = set()
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                with open(f"/proc/{d}/comm") as f:
                    if f.read().strip() == comm:
                        pids.add(int(d))
            except OSError:
                pass
    return pids
