#!/usr/bin/python3
"""Operator-facing speed of warren, side by side with RabbitMQ 3.10.8 when Debian's
rabbitmq-server is installed: CLI call latency, a shell loop of add_user, node start
to await_startup, and the idle node's RSS. Every process is timed the same way
(posix_spawn + wait), so /bin/true's figure is the floor both are measured against.

    tests/bench/cli_bench.py --bin-dir build/bin [--rabbitmq] [--runs 200] [--loop 1000]

Not a test: it prints a table of figures; run it on a quiet machine.
"""
import argparse
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import free_port, rss_kb  # noqa: E402


def spawn_time(argv, env):
    t0 = time.perf_counter()
    pid = os.posix_spawn(argv[0], argv, env, file_actions=[
        (os.POSIX_SPAWN_OPEN, 1, "/dev/null", os.O_WRONLY, 0),
        (os.POSIX_SPAWN_OPEN, 2, "/dev/null", os.O_WRONLY, 0)])
    _, status = os.waitpid(pid, 0)
    dt = time.perf_counter() - t0
    if os.waitstatus_to_exitcode(status) != 0:
        raise RuntimeError(f"{argv} exited {os.waitstatus_to_exitcode(status)}")
    return dt


def median_ms(argvs, env):
    return statistics.median(spawn_time(a, env) for a in argvs) * 1000




def bench_warren(bin_dir, runs, loop):
    root = tempfile.mkdtemp(prefix="warren-bench-")
    port = free_port()
    env = {"PATH": os.environ["PATH"], "HOME": root, "WARREN_NODENAME": "bench@localhost",
           "WARREN_NODE_PORT": str(port), "WARREN_DIST_PORT": str(free_port()),
           "WARREN_BASE": root + "/base", "WARREN_RUN_DIR": root + "/run"}
    server, ctl = os.path.join(bin_dir, "warren-server"), os.path.join(bin_dir, "warrenctl")
    out = {}
    try:
        starts = []
        for _ in range(5):
            t0 = time.perf_counter()
            spawn_time([server, "-detached"], env)
            spawn_time([ctl, "await_startup"], env)
            starts.append(time.perf_counter() - t0)
            spawn_time([ctl, "stop"], env)
        out["start"] = statistics.median(starts) * 1000
        spawn_time([server, "-detached"], env)
        spawn_time([ctl, "await_startup"], env)
        with open(f"{root}/base/data/bench@localhost.pid") as f:
            pid = int(f.read())
        time.sleep(2)
        out["rss"] = rss_kb(pid)
        out["list_users"] = median_ms([[ctl, "list_users", "-q"]] * runs, env)
        out["add_user"] = median_ms([[ctl, "add_user", f"m{i}", "pw"] for i in range(runs)], env)
        t0 = time.perf_counter()
        subprocess.run(["bash", "-c", f'for i in $(seq {loop}); do "{ctl}" add_user loop$i pw '
                        '>/dev/null || exit 1; done'], env=env, check=True)
        out["loop"] = time.perf_counter() - t0
        out["loop_n"] = loop
        spawn_time([ctl, "stop"], env)
    finally:
        subprocess.run([ctl, "stop", "--idempotent"], env=env, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    return out


def bench_rabbitmq(runs, loop):
    root = tempfile.mkdtemp(prefix="rmq-bench-")
    os.chmod(root, 0o755)
    name = "rbench@localhost"
    env = dict(os.environ)
    env.update({"RABBITMQ_NODENAME": name, "RABBITMQ_NODE_PORT": str(free_port()),
                "RABBITMQ_NODE_IP_ADDRESS": "127.0.0.1", "RABBITMQ_DIST_PORT": str(free_port()),
                "RABBITMQ_MNESIA_BASE": root + "/mnesia", "RABBITMQ_LOG_BASE": root + "/log",
                "RABBITMQ_ENABLED_PLUGINS_FILE": root + "/enabled_plugins",
                "RABBITMQ_CONFIG_FILE": root + "/rabbitmq",
                "RABBITMQ_PID_FILE": root + "/rabbit.pid"})
    with open(root + "/enabled_plugins", "w") as f:
        f.write("[].\n")
    subprocess.run(["chown", "-R", "rabbitmq:rabbitmq", root], check=True)
    ctl = shutil.which("rabbitmqctl") or "/usr/sbin/rabbitmqctl"
    server = shutil.which("rabbitmq-server") or "/usr/sbin/rabbitmq-server"
    out = {}
    try:
        t0 = time.perf_counter()
        subprocess.run([server, "-detached"], env=env, check=True)
        for _ in range(300):
            if subprocess.run([ctl, "-n", name, "await_startup", "--timeout", "60"], env=env,
                              capture_output=True).returncode == 0:
                break
            time.sleep(0.2)
        else:
            raise RuntimeError("RabbitMQ did not boot")
        out["start"] = (time.perf_counter() - t0) * 1000
        time.sleep(2)
        pid = int(open(root + "/rabbit.pid").read().strip())
        out["rss"] = rss_kb(pid)
        out["list_users"] = median_ms([[ctl, "-n", name, "list_users", "-q"]] * runs, env)
        out["add_user"] = median_ms([[ctl, "-n", name, "add_user", f"m{i}", "pw"] for i in range(runs)], env)
        t0 = time.perf_counter()
        subprocess.run(["bash", "-c", f'for i in $(seq {loop}); do "{ctl}" -n {name} add_user loop$i pw '
                        '>/dev/null || exit 1; done'], env=env, check=True)
        out["loop"] = time.perf_counter() - t0
        out["loop_n"] = loop
    finally:
        subprocess.run([ctl, "-n", name, "stop"], env=env, capture_output=True)
        shutil.rmtree(root, ignore_errors=True)
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", default="build/bin")
    ap.add_argument("--runs", type=int, default=200, help="calls per median (warren)")
    ap.add_argument("--loop", type=int, default=1000, help="add_user calls in the shell loop")
    ap.add_argument("--rabbitmq", action="store_true", help="also measure Debian's rabbitmq-server")
    ap.add_argument("--rabbit-runs", type=int, default=10)
    ap.add_argument("--rabbit-loop", type=int, default=20,
                    help="RabbitMQ's loop is shorter (about 1 s a call); scaled to --loop")
    args = ap.parse_args()

    env = {"PATH": os.environ["PATH"]}
    true_ms = median_ms([["/bin/true"]] * args.runs, env)
    w = bench_warren(os.path.abspath(args.bin_dir), args.runs, args.loop)
    r = bench_rabbitmq(args.rabbit_runs, args.rabbit_loop) if args.rabbitmq else None

    def row(label, wv, rv, unit, fmt="{:.1f}"):
        ws = fmt.format(wv) + " " + unit
        if r is None:
            print(f"| {label} | {ws} |")
        else:
            ratio = rv / wv if wv else float("nan")
            print(f"| {label} | {ws} | {fmt.format(rv)} {unit} | {ratio:.0f}x |")

    print(f"\n/bin/true: {true_ms:.2f} ms median over {args.runs} runs\n")
    if r is None:
        print("| measure | warren |\n|---|---|")
    else:
        print("| measure | warren | RabbitMQ 3.10.8 | RabbitMQ / warren |\n|---|---|---|---|")
    row("`list_users -q`, median", w["list_users"], r and r["list_users"], "ms", "{:.2f}")
    row("`add_user`, median", w["add_user"], r and r["add_user"], "ms", "{:.2f}")
    scaled = r and r["loop"] * args.loop / r["loop_n"]
    row(f"{args.loop} `add_user` in a shell loop", w["loop"], scaled, "s", "{:.2f}")
    row("node start to `await_startup` returning", w["start"], r and r["start"], "ms", "{:.0f}")
    row("idle node RSS", w["rss"] / 1024, r and r["rss"] / 1024, "MB", "{:.1f}")
    print(f"\nwarren `list_users -q` / `/bin/true`: {w['list_users'] / true_ms:.2f}x")
    if r is not None:
        print(f"RabbitMQ's shell loop ran {r['loop_n']} calls ({r['loop']:.1f} s), scaled to {args.loop}.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
