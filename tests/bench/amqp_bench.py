#!/usr/bin/python3
"""Broker throughput and latency of warren, side by side with RabbitMQ 3.10.8 (Debian's
rabbitmq-server) when --rabbitmq is given: the same warren-perf runs against both in one
run, so the ratios compare like with like on a shared machine.

    tests/bench/amqp_bench.py --bin-dir build/bin [--rabbitmq] [--seconds 10] [--shards N,M]

--shards measures warren once per count given, with warren.shards set to it (without
it, once, with the node's default). The ratio column compares the
first warren column with RabbitMQ. The RPC rows use pika (Debian's python3-pika) for
both client and server, so their figures include Python's own time on both sides.

Not a test: it prints a Markdown table; run it on a quiet machine.
"""
import argparse
import json
import os
import socket
import struct
import subprocess
import sys
import time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_util import RabbitMQ, Warren, rss_kb  # noqa: E402




def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def perf(bin_dir, broker, args, seconds):
    uri = f"amqp://guest:guest@127.0.0.1:{broker.port}/%2F"
    r = subprocess.run([os.path.join(bin_dir, "warren-perf"), "-h", uri, "-z", str(seconds),
                        "--json", *args], capture_output=True, text=True, timeout=seconds + 120)
    if r.returncode != 0:
        raise RuntimeError(f"warren-perf {args} against {broker.name}: {r.stderr}")
    return json.loads(r.stdout.strip().splitlines()[-1])


def parallel_perf(bin_dir, broker, queues, seconds):
    """One warren-perf per queue, side by side; the summed receive rate."""
    uri = f"amqp://guest:guest@127.0.0.1:{broker.port}/%2F"
    procs = [subprocess.Popen([os.path.join(bin_dir, "warren-perf"), "-h", uri, "-z", str(seconds),
                               "--json", "-x", "1", "-y", "1", "-s", "16", "-a", "-u", f"bench-q{i}"],
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for i in range(queues)]
    total = 0
    for p in procs:
        out, err = p.communicate(timeout=seconds + 120)
        if p.returncode != 0:
            raise RuntimeError(err)
        total += json.loads(out.strip().splitlines()[-1])["receive_rate"]
    return total


# An RPC server as the RabbitMQ tutorial writes one, in a process of its own: it
# answers each request on "b-rpc" to the request's reply_to.
RPC_SERVER = r"""
import sys, pika
c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", int(sys.argv[1])))
ch = c.channel()
ch.queue_declare("b-rpc")
def answer(ch, method, props, body):
    ch.basic_publish("", props.reply_to, body,
                     pika.BasicProperties(correlation_id=props.correlation_id))
ch.basic_consume("b-rpc", answer, auto_ack=True)
print("ready", flush=True)
ch.start_consuming()
"""


def rpc_round_trips(broker, calls, direct=False):
    """Median and p99 (µs) of `calls` sequential request/reply round trips between two
    pika connections, the client with an exclusive reply queue of its own, or with
    direct reply-to (amq.rabbitmq.reply-to) when `direct`. On a sharded warren the two
    connections are accepted one after the other, so they land on different shards;
    with a reply queue both directions cross between them, with direct reply-to the
    client moves to the server's shard on its first request."""
    import pika
    server = subprocess.Popen([sys.executable, "-c", RPC_SERVER, str(broker.port)],
                              stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        c = pika.BlockingConnection(pika.ConnectionParameters("127.0.0.1", broker.port))
        ch = c.channel()
        reply = ("amq.rabbitmq.reply-to" if direct
                 else ch.queue_declare("", exclusive=True).method.queue)
        answered = []
        ch.basic_consume(reply, lambda ch, m, p, b: answered.append(p.correlation_id),
                         auto_ack=True)
        times = []
        for i in range(calls):
            start = time.perf_counter()
            ch.basic_publish("", "b-rpc", b"request",
                             pika.BasicProperties(reply_to=reply, correlation_id=str(i)))
            while not answered:
                c.process_data_events(time_limit=None)
            times.append((time.perf_counter() - start) * 1e6)
            assert answered.pop() == str(i)
        c.close()
    finally:
        server.terminate()
        server.wait()
    times.sort()
    return times[len(times) // 2], times[len(times) * 99 // 100]


def idle_connections(broker, n):
    """RSS growth per connection for `n` connections that opened and then sit idle."""
    def handshake():
        s = socket.create_connection(("127.0.0.1", broker.port))
        s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        s.settimeout(10)
        s.sendall(b"AMQP\x00\x00\x09\x01")
        def frame(cls, mth, args):
            payload = struct.pack(">HH", cls, mth) + args
            return struct.pack(">BHI", 1, 0, len(payload)) + payload + b"\xce"
        def read():
            head = b""
            while len(head) < 7:
                head += s.recv(7 - len(head))
            size = struct.unpack(">I", head[3:7])[0]
            body = b""
            while len(body) < size + 1:
                body += s.recv(size + 1 - len(body))
        read()
        s.sendall(frame(10, 11, struct.pack(">I", 0) + b"\x05PLAIN" + struct.pack(">I", 12) +
                        b"\x00guest\x00guest" + b"\x05en_US"))
        read()
        s.sendall(frame(10, 31, struct.pack(">HIH", 2047, 131072, 0)))
        s.sendall(frame(10, 40, b"\x01/\x00\x00"))
        read()
        return s
    before = rss_kb(broker.pid)
    socks = []
    try:
        for _ in range(n):
            socks.append(handshake())
    except OSError as e:
        # RabbitMQ stops answering handshakes under this load on a 2-core machine.
        print(f"{broker.name}: idle connection {len(socks) + 1} failed ({e})", file=sys.stderr)
        for s in socks:
            s.close()
        return None
    time.sleep(2)
    after = rss_kb(broker.pid)
    for s in socks:
        s.close()
    return (after - before) / n


def measure(bin_dir, broker, seconds):
    out = {}
    broker.start()
    try:
        cpu0 = cpu_seconds(broker.pid)
        r = perf(bin_dir, broker, ["-x", "1", "-y", "1", "-s", "16", "-a", "-u", "b-auto"], seconds)
        out["autoack"] = r["receive_rate"]
        out["cpu_us_per_msg"] = (cpu_seconds(broker.pid) - cpu0) / max(r["received"], 1) * 1e6
        r = perf(bin_dir, broker, ["-x", "1", "-y", "1", "-s", "16", "-q", "100", "-m", "50",
                                   "-u", "b-manual"], seconds)
        out["manual"] = r["receive_rate"]
        r = perf(bin_dir, broker, ["-x", "1", "-y", "1", "-s", "1000", "-f", "persistent", "-c",
                                   "100", "-q", "100", "-u", "b-persistent"], seconds)
        out["persistent"] = r["receive_rate"]
        r = perf(bin_dir, broker, ["-x", "4", "-y", "4", "-s", "16", "-a", "-u", "b-4x4"], seconds)
        out["4x4_one_queue"] = r["receive_rate"]
        out["4x4_four_queues"] = parallel_perf(bin_dir, broker, 4, seconds)
        r = perf(bin_dir, broker, ["-x", "1", "-y", "1", "-s", "16", "-a", "-r", "1000",
                                   "-u", "b-latency"], seconds)
        out["p99_us"] = r["latency_us"]["p99"]
        out["median_us"] = r["latency_us"]["median"]
        out["rpc_median_us"], out["rpc_p99_us"] = rpc_round_trips(broker, 3000)
        out["direct_median_us"], out["direct_p99_us"] = rpc_round_trips(broker, 3000, True)
        out["idle_rss_mb"] = rss_kb(broker.pid) / 1024
        print(f"{broker.name}: {out}", file=sys.stderr, flush=True)
        out["kb_per_idle_connection"] = idle_connections(broker, 1000)
    finally:
        broker.stop()
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bin-dir", required=True)
    ap.add_argument("--rabbitmq", action="store_true")
    ap.add_argument("--seconds", type=int, default=10)
    ap.add_argument("--shards", default="",
                    help="comma-separated shard counts to measure warren with")
    args = ap.parse_args()
    bin_dir = os.path.abspath(args.bin_dir)
    counts = [int(n) for n in args.shards.split(",") if n] or [None]
    ws = []
    for n in counts:
        warren = Warren(bin_dir)
        if n is not None:
            config = os.path.join(warren.root, "warren.yaml")
            with open(config, "w") as f:
                f.write(f"warren.shards: {n}\n")
            warren.env["WARREN_CONFIG_FILE"] = config
            warren.name = f"warren, {n} shard(s)"
        ws.append(measure(bin_dir, warren, args.seconds))
    r = measure(bin_dir, RabbitMQ(), args.seconds) if args.rabbitmq else None
    w = ws[0]

    rows = [("1 producer, 1 consumer, 16 B, auto-ack", "autoack", "msg/s", "{:,.0f}"),
            ("same, manual ack, prefetch 100, multi-ack 50", "manual", "msg/s", "{:,.0f}"),
            ("1 KB persistent, confirms (100), manual ack", "persistent", "msg/s", "{:,.0f}"),
            ("4 producers, 4 consumers, 16 B, one queue", "4x4_one_queue", "msg/s", "{:,.0f}"),
            ("4 x (1 producer, 1 consumer), 16 B, four queues", "4x4_four_queues", "msg/s",
             "{:,.0f}"),
            ("latency at 1000 msg/s, median", "median_us", "µs", "{:,.0f}"),
            ("latency at 1000 msg/s, p99", "p99_us", "µs", "{:,.0f}"),
            ("RPC round trip, pika, exclusive reply queue, median", "rpc_median_us", "µs",
             "{:,.0f}"),
            ("same, p99", "rpc_p99_us", "µs", "{:,.0f}"),
            ("RPC round trip, pika, direct reply-to, median", "direct_median_us", "µs",
             "{:,.0f}"),
            ("same, p99", "direct_p99_us", "µs", "{:,.0f}"),
            ("broker CPU per message (auto-ack run)", "cpu_us_per_msg", "µs", "{:.2f}"),
            ("RSS growth per idle connection (1000)", "kb_per_idle_connection", "KB", "{:.1f}"),
            ("RSS after the runs", "idle_rss_mb", "MB", "{:.1f}")]
    names = ["warren" if n is None else f"warren, {n} shard(s)" for n in counts]
    print("| measure | " + " | ".join(names) + " |" +
          (" RabbitMQ 3.10.8 | warren / RabbitMQ |" if r else ""))
    print("|---|" + "---|" * len(names) + ("---|---|" if r else ""))
    for label, key, unit, fmt in rows:
        def cell(v):
            return "n/a" if v is None else f"{fmt.format(v)} {unit}"
        line = f"| {label} | " + " | ".join(cell(x[key]) for x in ws) + " |"
        if r:
            ratio = f"{w[key] / r[key]:.2f}x" if w[key] is not None and r[key] else "n/a"
            line += f" {cell(r[key])} | {ratio} |"
        print(line)
    return 0


if __name__ == "__main__":
    sys.exit(main())
