#!/usr/bin/python3
"""warren-plugins and the Prometheus plugin, side by side with rabbitmq-plugins and
rabbitmq_prometheus 3.10.8 when --rabbitmq is given (one RabbitMQ boot per run):
`list`, an online `enable` and `disable`, and a scrape of a node with 10,000 queues.

    tests/bench/plugins_bench.py --bin-dir build/bin [--rabbitmq] [--queues 10000]

Not a test: it prints a Markdown table; run it on a quiet machine.
"""
import argparse
import os
import statistics
import subprocess
import sys
import time
import urllib.request

import pika

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import RabbitMQ, Warren, free_port  # noqa: E402


def timed_ms(argv, env):
    t0 = time.perf_counter()
    r = subprocess.run(argv, env=env, capture_output=True, text=True)
    elapsed = (time.perf_counter() - t0) * 1000
    if r.returncode != 0:
        raise RuntimeError(f"{argv} failed: {r.stderr}")
    return elapsed


def median_ms(argv, env, runs):
    return statistics.median(timed_ms(argv, env) for _ in range(runs))


def scrape_ms(port, path, runs):
    times, size = [], 0
    for _ in range(runs):
        t0 = time.perf_counter()
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=120) as r:
            size = len(r.read())
        times.append((time.perf_counter() - t0) * 1000)
    return statistics.median(times), size


def declare_queues(port, n):
    conn = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port, heartbeat=0))
    ch = conn.channel()
    for i in range(n):
        ch.queue_declare(f"bench-q-{i}")
    ch.basic_publish("", "bench-q-0", b"x")
    conn.close()


def measure(broker, tool, node_args, runs, cli_runs, queues):
    out = {}
    out["list"] = median_ms([tool, *node_args, "list"], broker.env, cli_runs)
    enable, disable = [], []
    for _ in range(cli_runs):
        enable.append(timed_ms([tool, *node_args, "enable", "rabbitmq_prometheus"], broker.env))
        disable.append(timed_ms([tool, *node_args, "disable", "rabbitmq_prometheus"], broker.env))
    out["enable"], out["disable"] = statistics.median(enable), statistics.median(disable)
    subprocess.run([tool, *node_args, "enable", "rabbitmq_prometheus"], env=broker.env, check=True,
                   capture_output=True)
    time.sleep(1)
    declare_queues(broker.port, queues)
    out["scrape"], out["scrape_bytes"] = scrape_ms(broker.prom_port, "/metrics", runs)
    out["per_object"], out["per_object_bytes"] = scrape_ms(broker.prom_port, "/metrics/per-object", runs)
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--bin-dir", default="build/bin")
    ap.add_argument("--rabbitmq", action="store_true")
    ap.add_argument("--queues", type=int, default=10000)
    ap.add_argument("--runs", type=int, default=10)
    args = ap.parse_args()

    results = {}
    prom = free_port()
    w = Warren(os.path.abspath(args.bin_dir))
    os.makedirs(w.root, exist_ok=True)
    with open(w.root + "/warren.yaml", "w") as f:
        f.write(f"prometheus.tcp.port: {prom}\n")
    w.env["WARREN_CONFIG_FILE"] = w.root + "/warren.yaml"
    w.prom_port = prom
    w.start()
    try:
        results["warren"] = measure(w, os.path.join(w.bin_dir, "warren-plugins"), [], args.runs,
                                    30, args.queues)
    finally:
        w.stop()

    if args.rabbitmq:
        prom = free_port()
        r = RabbitMQ(config=f"prometheus.tcp.port = {prom}\n")
        r.prom_port = prom
        r.start()
        try:
            results["RabbitMQ 3.10.8"] = measure(r, "rabbitmq-plugins", ["-n", r.node], args.runs, 3,
                                                 args.queues)
        finally:
            r.stop()

    names = list(results)
    print("| measure | " + " | ".join(names) + " |")
    print("|---|" + "---|" * len(names))
    rows = [("`list` (median)", "list", "{:.1f} ms"),
            ("online `enable rabbitmq_prometheus` (median)", "enable", "{:.1f} ms"),
            ("online `disable rabbitmq_prometheus` (median)", "disable", "{:.1f} ms"),
            (f"scrape `/metrics`, {args.queues} queues (median)", "scrape", "{:.1f} ms"),
            (f"scrape `/metrics/per-object`, {args.queues} queues (median)", "per_object", "{:.1f} ms"),
            ("`/metrics/per-object` size", "per_object_bytes", "{:,} bytes")]
    for label, key, fmt in rows:
        print(f"| {label} | " + " | ".join(fmt.format(results[n][key]) for n in names) + " |")


if __name__ == "__main__":
    main()
