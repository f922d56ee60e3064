"""Node lifecycle and diagnostics against real nodes: what the golden transcripts cannot pin
because it holds pids, uptimes or sizes (status, shutdown, stop <pidfile>, wait,
memory_breakdown, log_tail, cluster_status), how nodes start and stop (-detached, boot
failures, duplicate names, SIGTERM, stop_app/start_app, reset), and resource alarms forced
through the configuration."""
import json
import os
import re
import signal
import socket
import subprocess
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "lib"))
import warren_node  # noqa: E402
from warren_node import Node  # noqa: E402

BOLD, PLAIN = "\x1b[1m", "\x1b[0m"


def diag(node, *args, **kw):
    return node.ctl(*args, tool="rabbitmq-diagnostics", **kw)


def rabbitmqctl(node, *args, **kw):
    return node.ctl(*args, tool="rabbitmqctl", **kw)


def socket_path(node):
    return os.path.join(node.run_dir, node.name + ".sock")


def accepts_tcp(port):
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2):
            return True
    except OSError:
        return False


def wait_gone(pid, timeout=10):
    deadline = time.time() + timeout
    while time.time() < deadline and warren_node._alive(pid):
        time.sleep(0.02)
    return not warren_node._alive(pid)


def users(node):
    r = node.ctl("list_users", "-s")
    assert r.returncode == 0, r.stderr
    return {line.split("\t")[0] for line in r.stdout.splitlines() if line}


def sections(text):
    """{title: [lines]} of a status / cluster_status report."""
    out, current = {}, None
    for line in text.splitlines():
        m = re.fullmatch(re.escape(BOLD) + "(.*)" + re.escape(PLAIN), line)
        if m:
            current = m.group(1)
            out[current] = []
        elif current is not None and line:
            out[current].append(line)
    return out


def vm_rss_bytes(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) * 1024
    raise AssertionError("no VmRSS")


# ----- status -------------------------------------------------------------------------


def test_status_text_reports_the_nodes_real_facts():
    with Node() as n:
        r = rabbitmqctl(n, "status")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"Status of node {n.name} ...\n{BOLD}Runtime{PLAIN}\n\n")
        s = sections(r.stdout)
        assert list(s) == ["Runtime", "Plugins", "Data directory", "Config files", "Log file(s)",
                           "Alarms", "Memory", "File Descriptors", "Free Disk Space", "Totals",
                           "Listeners"]
        runtime = dict(line.split(": ", 1) for line in s["Runtime"])
        assert runtime["OS PID"] == str(n.pid)
        assert runtime["OS"] == "Linux"
        assert int(runtime["Uptime (seconds)"]) >= 0
        assert runtime["Is under maintenance?"] == "false"
        assert runtime["Product name"] == "warren"
        assert runtime["RabbitMQ version"] == "3.10.8"
        assert runtime["Node name"] == n.name
        assert runtime["Cluster heartbeat timeout (net_ticktime)"] == "60"
        assert runtime["Runtime configuration"].startswith("warren ")
        used, limit = re.fullmatch(r"(\d+) used, (\d+) limit", runtime["Threads"]).groups()
        assert 1 <= int(used) <= int(limit)
        assert s["Plugins"][0] == "Enabled plugin file: " + os.path.join(n.base, "enabled_plugins")
        assert s["Data directory"] == [f"Node data directory: {n.data_dir}",
                                       f"Metadata directory: {n.data_dir}/meta"]
        assert s["Config files"] == []
        assert s["Log file(s)"] == [f" * {n.log_file}"]
        assert s["Alarms"] == ["(none)"]
        mem = s["Memory"]
        assert re.fullmatch(r"Total memory used: \d+\.\d+ gb", mem[0])
        assert mem[1] == "Calculation strategy: rss"
        assert re.fullmatch(r"Memory high watermark setting: 0\.4 of available memory, "
                            r"computed to: \d+\.\d+ gb", mem[2])
        categories = [line.split(":")[0] for line in mem[3:]]
        assert set(categories) == {"code", "static_data", "heap", "allocated_unused", "stack",
                                   "other_system", "reserved_unallocated"}
        for line in mem[3:]:
            assert re.fullmatch(r"\w+: \d+\.\d+ gb \(\d+\.\d+ %\)", line), line
        total, limit = re.fullmatch(r"Total: (\d+), limit: (\d+)", s["File Descriptors"][0]).groups()
        assert 0 < int(total) < int(limit)
        assert re.fullmatch(r"Sockets: \d+, limit: \d+", s["File Descriptors"][1])
        assert s["Free Disk Space"][0] == "Low free disk space watermark: 0.05 gb"
        assert re.fullmatch(r"Free disk space: \d+\.\d+ gb", s["Free Disk Space"][1])
        assert s["Totals"] == ["Connection count: 0", "Queue count: 0", "Virtual host count: 1"]
        assert s["Listeners"] == [f"Interface: [::], port: {n.port + 20000}, protocol: clustering, "
                                  "purpose: inter-node and CLI tool communication",
                                  f"Interface: [::], port: {n.port}, protocol: amqp, "
                                  "purpose: AMQP 0-9-1 and AMQP 1.0"]


def test_status_json_and_units_match_the_process():
    with Node() as n:
        r = n.ctl("status", "--formatter", "json")
        assert r.returncode == 0, r.stderr
        assert r.stdout.count("\n") == 1
        s = json.loads(r.stdout)
        assert s["pid"] == n.pid
        assert s["rabbitmq_version"] == "3.10.8"
        assert s["data_directory"] == n.data_dir
        assert s["log_files"] == [n.log_file]
        assert s["alarms"] == []
        assert s["vm_memory_calculation_strategy"] == "rss"
        assert s["vm_memory_high_watermark_setting"] == {"relative": 0.4}
        assert s["disk_free_limit"] == 50000000
        assert s["net_ticktime"] == 60
        assert s["totals"] == {"connection_count": 0, "queue_count": 0, "virtual_host_count": 1}
        assert s["listeners"] == [{"interface": "[::]", "node": n.name, "port": n.port + 20000,
                                   "protocol": "clustering",
                                   "purpose": "inter-node and CLI tool communication"},
                                  {"interface": "[::]", "node": n.name, "port": n.port,
                                   "protocol": "amqp", "purpose": "AMQP 0-9-1 and AMQP 1.0"}]
        # The reported RSS is the process's own, read at the same moment give or take.
        rss = s["memory"]["total"]["rss"]
        assert 0.5 < rss / vm_rss_bytes(n.pid) < 2
        assert s["memory"]["code"] > 0 and s["memory"]["heap"] > 0
        assert s["file_descriptors"]["total_used"] >= s["file_descriptors"]["sockets_used"] >= 2

        mb = n.ctl("status", "--unit", "MB")
        assert mb.returncode == 0, mb.stderr
        total = re.search(r"Total memory used: ([\d.]+) mb", mb.stdout).group(1)
        assert 0.5 < float(total) * 1e6 / vm_rss_bytes(n.pid) < 2
        b = n.ctl("status", "--unit", "bytes", "-q")
        assert re.search(r"^Low free disk space watermark: 50000000 bytes$", b.stdout, re.M)
        assert not b.stdout.startswith("Status of node")


# ----- memory_breakdown, log_tail, log_location, cluster_status -------------------------


def test_memory_breakdown_reports_real_sizes_largest_first():
    with Node() as n:
        r = diag(n, "memory_breakdown", "--formatter", "json")
        assert r.returncode == 0, r.stderr
        pairs = json.loads(r.stdout, object_pairs_hook=list)
        names = [k for k, _ in pairs]
        sizes = [dict(v)["bytes"] for _, v in pairs]
        assert sizes == sorted(sizes, reverse=True)
        assert set(names) == {"code", "static_data", "heap", "allocated_unused", "stack",
                              "other_system", "reserved_unallocated"}
        values = {k: dict(v) for k, v in pairs}
        assert values["code"]["bytes"] > 100_000  # the binary's own text is resident
        assert values["heap"]["bytes"] > 0
        assert all(0 <= v["percentage"] <= 100 for v in values.values())

        text = diag(n, "memory_breakdown", "--unit", "mb")
        assert text.returncode == 0, text.stderr
        lines = text.stdout.split("\n")
        assert lines[0] == f"Reporting memory breakdown on node {n.name}..."
        assert text.stdout.endswith("\n\n")
        for line in lines[1:-2]:
            assert re.fullmatch(r"\w+: \d+\.\d+ mb \(\d+\.\d+%\)", line), line

        b = diag(n, "memory_breakdown", "--unit", "bytes", "-q")
        for line in b.stdout.splitlines():
            if line:
                assert re.fullmatch(r"\w+: \d+ bytes \(\d+\.\d+%\)", line), line


def test_log_tail_prints_the_end_of_the_log():
    with Node() as n:
        n.ctl("stop_app")
        n.ctl("start_app")
        r = diag(n, "log_tail", "-N", "3")
        assert r.returncode == 0, r.stderr
        lines = r.stdout.splitlines()
        assert lines[0] == f"Last 3 log lines on node {n.name} ..."
        with open(n.log_file) as f:
            log = f.read().splitlines()
        # The node may log between the two reads; the tail is a run of the log's lines.
        tail = lines[1:]
        assert len(tail) == 3
        start = log.index(tail[0])
        assert log[start:start + 3] == tail
        assert any("started TCP listener" in line for line in tail + log[start + 3:])

        default = diag(n, "log_tail", "--formatter", "json")
        got = json.loads(default.stdout)
        assert 0 < len(got) <= 50 and got[0] in log


def test_cluster_status_describes_a_single_node_cluster():
    with Node() as n:
        r = rabbitmqctl(n, "cluster_status")
        assert r.returncode == 0, r.stderr
        assert r.stdout.startswith(f"Cluster status of node {n.name} ...\n")
        s = sections(r.stdout)
        assert list(s) == ["Basics", "Disk Nodes", "Running Nodes", "Versions",
                           "Maintenance status", "Alarms", "Network Partitions", "Listeners",
                           "Feature flags"]
        short_host = socket.gethostname().split(".")[0]
        assert s["Basics"] == [f"Cluster name: {n.name.split('@')[0]}@{short_host}"]
        assert s["Disk Nodes"] == [n.name]
        assert s["Running Nodes"] == [n.name]
        assert re.fullmatch(re.escape(n.name) + r": RabbitMQ 3\.10\.8 on warren \d+\.\d+\.\d+",
                            s["Versions"][0])
        assert s["Maintenance status"] == [f"Node: {n.name}, status: not under maintenance"]
        assert s["Alarms"] == ["(none)"]
        assert s["Network Partitions"] == ["(none)"]
        assert s["Listeners"] == [f"Node: {n.name}, interface: [::], port: {n.port + 20000}, "
                                  "protocol: clustering, purpose: inter-node and CLI tool "
                                  "communication",
                                  f"Node: {n.name}, interface: [::], port: {n.port}, "
                                  "protocol: amqp, purpose: AMQP 0-9-1 and AMQP 1.0"]

        q = rabbitmqctl(n, "cluster_status", "-q")
        assert q.stdout.startswith(f"{BOLD}Basics{PLAIN}\n")

        doc = json.loads(rabbitmqctl(n, "cluster_status", "--formatter", "json").stdout)
        assert doc["disk_nodes"] == [n.name] and doc["running_nodes"] == [n.name]
        assert doc["ram_nodes"] == [] and doc["partitions"] == {} and doc["alarms"] == []
        assert doc["versions"][n.name]["rabbitmq_version"] == "3.10.8"
        assert doc["listeners"][n.name][1]["port"] == n.port


def test_cluster_name_comes_from_the_configuration():
    with Node(config="cluster_name: rabbits\n") as n:
        doc = json.loads(n.ctl("cluster_status", "--formatter", "json").stdout)
        assert doc["cluster_name"] == "rabbits"


# ----- shutdown, stop <pidfile>, wait -----------------------------------------------------


def test_shutdown_reports_the_pid_and_waits_for_it():
    with Node() as n:
        pid = n.pid
        r = rabbitmqctl(n, "shutdown")
        assert r.returncode == 0, r.stderr
        assert r.stdout == (f"Shutting down RabbitMQ node {n.name} running at PID {pid}\n"
                            f"Waiting for PID {pid} to terminate\n"
                            f"RabbitMQ node {n.name} running at PID {pid} successfully shut down\n")
        assert not warren_node._alive(pid)
        assert not os.path.exists(n.pid_file)
        assert not os.path.exists(socket_path(n))
        w = n.ctl("shutdown")
        assert w.returncode == 69 and w.stdout == ""


def test_stop_with_a_pid_file_watches_that_pid():
    with Node() as n:
        pid = n.pid
        r = rabbitmqctl(n, "stop", n.pid_file)
        assert r.returncode == 0, r.stderr
        assert r.stdout == (f"Stopping and halting node {n.name} (will monitor pid file "
                            f"{n.pid_file}) ...\n"
                            f"process {pid} (take from pid file {n.pid_file}) is no longer running\n")
        assert not warren_node._alive(pid)

        missing = n.ctl("stop", n.pid_file, "--timeout", "1")
        assert missing.returncode == 69
        assert missing.stderr == (f"Error:\ncould not read pid from file {n.pid_file}. "
                                  "Error: enoent\n")


def test_stop_with_a_garbage_pid_file_says_so():
    with Node() as n:
        bad = os.path.join(n.root, "bad.pid")
        with open(bad, "w") as f:
            f.write("not a pid\n")
        r = n.ctl("stop", bad)
        assert r.returncode == 69
        assert r.stderr == f"Error:\ncould not read pid from file {bad}. File contents: not a pid\n\n"


def test_wait_follows_the_pid_file_of_a_starting_node():
    n = Node()
    try:
        waiter = subprocess.Popen([os.path.join(n.bin, "warrenctl"), "wait", n.pid_file,
                                   "--timeout", "30"], env=n.env, stdout=subprocess.PIPE,
                                  stderr=subprocess.PIPE, text=True)
        time.sleep(0.3)
        n.start()
        out, err = waiter.communicate(timeout=60)
        assert waiter.returncode == 0, err
        assert out.splitlines() == [
            f"Waiting for pid file '{n.pid_file}' to appear",
            f"pid is {n.pid}",
            f"Waiting for node '{n.name}' to answer on its control socket while OS process "
            f"'{n.pid}' is running",
            f"Waiting for the broker application to start on node '{n.name}'",
            f"The broker application is running on node '{n.name}'",
        ]
        by_pid = n.ctl("wait", "--pid", str(n.pid), "-q")
        assert by_pid.returncode == 0 and by_pid.stdout == "", by_pid.stderr
        dead = n.ctl("wait", "--pid", "999999999")
        assert dead.returncode == 70
        assert dead.stderr == "Error:\nError: process is not running.\n"
    finally:
        n.cleanup()


# ----- starting and stopping --------------------------------------------------------------


def test_detached_start_returns_once_booted():
    n = Node()
    try:
        started = time.time()
        r = n.start()
        assert r.returncode == 0, r.stderr
        assert time.time() - started < 30
        assert warren_node._alive(n.pid)
        assert os.path.exists(socket_path(n))
        assert n.ctl("await_startup", "--timeout", "1").returncode == 0
        assert accepts_tcp(n.port)
    finally:
        n.cleanup()


def test_boot_failure_when_the_port_is_taken():
    n = Node()
    blocker = socket.socket(socket.AF_INET6)
    try:
        blocker.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 0)
        blocker.bind(("::", n.port))
        blocker.listen()
        r = n.start(check=False)
        assert r.returncode != 0
        assert "BOOT FAILED" in r.stderr
        assert f"could not bind the AMQP listener on port {n.port}" in r.stderr
        assert "in use" in r.stderr
        assert not os.path.exists(n.pid_file)
        assert not os.path.exists(socket_path(n))
        assert n.ctl("ping").returncode == 69
    finally:
        blocker.close()
        n.cleanup()


def test_a_second_node_with_the_same_name_is_refused():
    with Node() as first:
        env = dict(first.env)
        env["WARREN_BASE"] = os.path.join(first.root, "second")
        env["WARREN_NODE_PORT"] = str(warren_node.free_port())
        r = subprocess.run([warren_node.binary("warren-server"), "-detached"], env=env,
                           capture_output=True, text=True, timeout=60)
        assert r.returncode != 0
        assert "BOOT FAILED" in r.stderr
        assert "a node is already running with this name" in r.stderr
        # The first node is untouched.
        assert first.ctl("await_startup", "--timeout", "5").returncode == 0
        with open(first.pid_file) as f:
            assert int(f.read()) == first.pid


def test_sigterm_shuts_down_gracefully():
    with Node() as n:
        pid = n.pid
        os.kill(pid, signal.SIGTERM)
        assert wait_gone(pid)
        assert not os.path.exists(n.pid_file)
        assert not os.path.exists(socket_path(n))
        with open(n.log_file) as f:
            log = f.read()
        assert "received SIGTERM, shutting down" in log
        assert f"warren node {n.name} stopped" in log
        n.pid = None


def test_stop_app_closes_the_amqp_port_and_start_app_reopens_it():
    with Node() as n:
        assert accepts_tcp(n.port)
        assert n.ctl("stop_app").returncode == 0
        assert not accepts_tcp(n.port)
        assert diag(n, "ping").returncode == 0
        assert diag(n, "is_running", "--formatter", "json").stdout.strip() == json.dumps(
            {"message": f"RabbitMQ on node {n.name} is not running or has not fully booted yet "
                        "(check with is_booting)", "result": False}, separators=(",", ":"))
        assert n.ctl("start_app").returncode == 0
        assert accepts_tcp(n.port)
        assert diag(n, "check_port_connectivity").returncode == 0


def test_reset_and_force_reset_return_a_blank_node():
    with Node() as n:
        for command in ("reset", "force_reset"):
            assert n.ctl("add_user", "alice", "pw").returncode == 0
            assert users(n) == {"alice", "guest"}
            assert n.ctl("stop_app").returncode == 0
            r = n.ctl(command)
            assert r.returncode == 0, r.stderr
            assert n.ctl("start_app").returncode == 0
            assert users(n) == {"guest"}, command


def test_await_startup_waits_for_a_node_that_is_still_booting():
    n = Node()
    server = None
    try:
        server = subprocess.Popen([warren_node.binary("warren-server")], env=n.env,
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        # Started at once, before the node has its control socket.
        r = n.ctl("await_startup", "--timeout", "30")
        assert r.returncode == 0, r.stderr
        assert diag(n, "check_running").returncode == 0
        assert accepts_tcp(n.port)
    finally:
        if server is not None:
            server.terminate()
            server.wait(timeout=30)
        n.cleanup()


def test_node_down_report_names_the_node_and_where_it_looked():
    with Node() as n:
        n.stop()
        r = n.ctl("status")
        assert r.returncode == 69
        assert r.stdout == ""
        assert r.stderr.startswith(f"Error: unable to perform an operation on node '{n.name}'. "
                                   "Please see diagnostics information and suggestions below.\n")
        assert f"attempted to contact: [{n.name}]" in r.stderr
        assert " * Target node is not running" in r.stderr
        assert f" * control socket directory: {n.run_dir}" in r.stderr
        assert f" * effective user id: {os.geteuid()}" in r.stderr


# ----- resource alarms forced by configuration -------------------------------------------


def test_memory_alarm_from_an_absolute_watermark():
    with Node(config="vm_memory_high_watermark:\n  absolute: 1MB\n") as n:
        alarm = f"Memory alarm on node {n.name}"
        banner = f"Asking node {n.name} to report any local resource alarms ...\n"

        r = diag(n, "check_local_alarms")
        assert (r.returncode, r.stdout, r.stderr) == (69, banner, f"Error:\n{alarm}\n")
        r = diag(n, "check_alarms")
        assert (r.returncode, r.stdout, r.stderr) == (69, banner, f"{alarm}\n")
        r = diag(n, "check_alarms", "--formatter", "json")
        assert r.returncode == 69 and r.stdout == ""
        assert json.loads(r.stderr) == {"global": [], "local": [alarm],
                                        "message": f"Node {n.name} reported alarms",
                                        "result": "error"}
        r = diag(n, "check_local_alarms", "--formatter", "json")
        assert r.returncode == 69
        assert json.loads(r.stderr)["local"] == [alarm]
        r = diag(n, "alarms")
        assert (r.returncode, r.stdout) == (
            0, f"Asking node {n.name} to report any known resource alarms ...\n{alarm}\n")
        r = diag(n, "alarms", "--formatter", "json")
        assert json.loads(r.stdout) == {"global": [], "local": [alarm],
                                        "message": f"Node {n.name} reported alarms",
                                        "result": "ok"}

        status = n.ctl("status")
        s = sections(status.stdout)
        assert s["Alarms"] == [alarm]
        assert s["Memory"][2] == ("Memory high watermark setting: 0.001 gb, computed to: 0.001 gb")
        doc = json.loads(n.ctl("status", "--formatter", "json").stdout)
        assert doc["alarms"] == [{"node": n.name, "resource": "memory", "type": "resource_limit"}]
        assert doc["vm_memory_high_watermark_setting"] == {"absolute": 1000000}
        assert doc["vm_memory_high_watermark_limit"] == 1000000
        cs = sections(n.ctl("cluster_status").stdout)
        assert cs["Alarms"] == [alarm]
        env = n.ctl("environment", "-q").stdout.splitlines()
        assert "vm_memory_high_watermark.absolute = 1MB" in env


def test_disk_alarm_from_an_unreachable_free_space_limit():
    with Node(config="disk_free_limit:\n  absolute: 100000GB\n") as n:
        alarm = f"Free disk space alarm on node {n.name}"
        r = diag(n, "check_local_alarms")
        assert r.returncode == 69 and r.stderr == f"Error:\n{alarm}\n"
        r = diag(n, "check_alarms")
        assert r.returncode == 69 and r.stderr == f"{alarm}\n"
        s = sections(n.ctl("status").stdout)
        assert s["Alarms"] == [alarm]
        assert s["Free Disk Space"][0] == "Low free disk space watermark: 100000.0 gb"
        with open(n.log_file) as f:
            assert "disk resource limit alarm set" in f.read()


def test_a_relative_disk_limit_is_a_multiple_of_ram():
    with Node(config="disk_free_limit:\n  relative: 1.5\n") as n:
        doc = json.loads(n.ctl("status", "--formatter", "json").stdout)
        ram = os.sysconf("SC_PHYS_PAGES") * os.sysconf("SC_PAGE_SIZE")
        assert abs(doc["disk_free_limit"] - 1.5 * ram) < 4096


def test_bad_alarm_settings_stop_the_boot_with_the_setting_named():
    for config, expected in (
            ("vm_memory_high_watermark:\n  absolute: lots\n",
             "setting vm_memory_high_watermark.absolute: 'lots' is not a size"),
            ("vm_memory_high_watermark:\n  absolut: 1MB\n",
             "unknown setting 'vm_memory_high_watermark.absolut'"),
            ("disk_free_limit:\n  absolute: 99999999999999999999999GB\n",
             "setting disk_free_limit.absolute: '99999999999999999999999GB' is not a size"),
    ):
        n = Node(config=config)
        try:
            r = n.start(check=False)
            assert r.returncode != 0, config
            assert "BOOT FAILED" in r.stderr
            assert expected in r.stderr, r.stderr
        finally:
            n.cleanup()
