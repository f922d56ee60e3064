#!/usr/bin/python3
"""Durable declarations side by side: N pika connections each declare durable queues
and bind them, as clients (Celery, kombu) do on every connect, while one more connection
publishes and gets in a loop. Prints declarations per second and the longest pause in
that loop (which, with every client in this one Python process, measures the client's
threads as much as the broker).

    tests/bench/declare_bench.py --bin-dir build/bin [--connections 8] [--per-connection 150]
"""
import argparse
import os
import sys
import threading
import time

import pika

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import Warren  # noqa: E402


def run(port, connections, per_connection):
    gaps, stop = [], threading.Event()

    def traffic():
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port))
        ch = c.channel()
        ch.queue_declare("traffic")
        last = time.monotonic()
        while not stop.is_set():
            ch.basic_publish("", "traffic", b"x")
            ch.basic_get("traffic", auto_ack=True)
            now = time.monotonic()
            gaps.append(now - last)
            last = now
        c.close()

    def declarer(i):
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", port))
        ch = c.channel()
        for j in range(per_connection):
            ch.queue_declare(f"bench-{i}-{j}", durable=True)
            ch.queue_bind(f"bench-{i}-{j}", "amq.direct", f"key-{j}")
        c.close()

    loop = threading.Thread(target=traffic)
    loop.start()
    time.sleep(0.3)
    started = time.monotonic()
    workers = [threading.Thread(target=declarer, args=(i,)) for i in range(connections)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    took = time.monotonic() - started
    stop.set()
    loop.join()
    n = connections * per_connection * 2
    print(f"{n} durable declarations and bindings over {connections} connections in {took:.2f} s "
          f"({n / took:,.0f}/s); publish+get loop: {len(gaps)} operations, longest pause "
          f"{max(gaps) * 1000:.1f} ms")


def main():
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--bin-dir", required=True)
    p.add_argument("--connections", type=int, default=8)
    p.add_argument("--per-connection", type=int, default=150)
    a = p.parse_args()
    w = Warren(os.path.abspath(a.bin_dir))
    w.start()
    try:
        run(w.port, a.connections, a.per_connection)
    finally:
        w.stop()


if __name__ == "__main__":
    main()
