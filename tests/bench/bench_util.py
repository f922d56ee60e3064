"""What the benchmark scripts share: free ports, a process's resident memory, and a
warren node and a RabbitMQ 3.10.8 node (Debian's rabbitmq-server) to measure."""
import os
import shutil
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
    name = "RabbitMQ 3.10.8"

    def __init__(self, config=""):
        self.root = tempfile.mkdtemp(prefix="rabbit-bench-")
        with open(self.root + "/rabbitmq.conf", "w") as f:
            f.write(config)
        self.port = free_port()
        self.node = "amqpbench@localhost"
        self.enabled_plugins = self.root + "/enabled_plugins"
        with open(self.enabled_plugins, "w") as f:
            f.write("[].\n")
        for d in ("mnesia", "log"):
            os.makedirs(os.path.join(self.root, d))
        if os.geteuid() == 0:
            # Debian's rabbitmq-server, started as root, runs as the rabbitmq user.
            for dirpath, _, files in os.walk(self.root):
                for p in [dirpath] + [os.path.join(dirpath, f) for f in files]:
                    shutil.chown(p, "rabbitmq", "rabbitmq")
        self.env = dict(os.environ, RABBITMQ_NODENAME=self.node, RABBITMQ_NODE_PORT=str(self.port),
                        RABBITMQ_DIST_PORT=str(free_port()),
                        RABBITMQ_MNESIA_BASE=self.root + "/mnesia",
                        RABBITMQ_LOG_BASE=self.root + "/log",
                        RABBITMQ_ENABLED_PLUGINS_FILE=self.root + "/enabled_plugins",
                        RABBITMQ_CONFIG_FILE=self.root + "/rabbitmq", HOME=self.root)

    def start(self):
        self.proc = subprocess.Popen(["rabbitmq-server"], env=self.env, stdout=subprocess.DEVNULL,
                                     stderr=subprocess.DEVNULL)
        # await_startup fails until the Erlang node answers at all: retry for a minute.
        deadline = time.time() + 60
        while subprocess.run(["rabbitmqctl", "-n", self.node, "await_startup", "-t", "60"],
                             env=self.env, capture_output=True).returncode != 0:
            if time.time() > deadline or self.proc.poll() is not None:
                raise RuntimeError("RabbitMQ did not start")
            time.sleep(1)
        out = subprocess.run(["rabbitmqctl", "-n", self.node, "eval", "os:getpid()."],
                             env=self.env, capture_output=True, text=True).stdout
        self.pid = int(out.strip().strip('"'))

    def stop(self):
        subprocess.run(["rabbitmqctl", "-n", self.node, "stop"], env=self.env, capture_output=True)
        try:
            self.proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.proc.kill()
        shutil.rmtree(self.root, ignore_errors=True)
