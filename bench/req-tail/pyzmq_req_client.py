"""The reference for bench/req-tail.ts: a pyzmq REQ client timing each round trip.

One request at a time, as zmq-bench's REQ does: at a constant rate (each request due at
start + i / rate, a late one sent at once) or back to back (--rate 0). Each round trip is
time.perf_counter_ns() around send and recv. Requests in the warm-up are not kept. Prints one
JSON line: the round trips in ns, in order, with their start times (ns from the first kept one).
Written for Python 3 with Debian's python3-zmq.
"""
import argparse
import json
import time

import zmq


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("address")
    parser.add_argument("--rate", type=float, default=200.0, help="requests per second; 0: back to back")
    parser.add_argument("--warmup", type=float, default=0.5, help="seconds not kept")
    parser.add_argument("--duration", type=float, default=3.0, help="seconds kept")
    parser.add_argument("--payload", default="hello")
    args = parser.parse_args()

    context = zmq.Context()
    socket = context.socket(zmq.REQ)
    socket.setsockopt(zmq.LINGER, 0)
    socket.connect(args.address)
    request = args.payload.encode()
    interval = 0 if args.rate <= 0 else 1e9 / args.rate
    start = time.perf_counter_ns()
    keep_from = start + int(args.warmup * 1e9)
    stop_at = keep_from + int(args.duration * 1e9)
    rtt, at = [], []
    i = 0
    while True:
        due = start + int(i * interval)
        i += 1
        now = time.perf_counter_ns()
        if now >= stop_at:
            break
        if due > now:
            time.sleep((due - now) / 1e9)
        t0 = time.perf_counter_ns()
        socket.send(request)
        socket.recv()
        t1 = time.perf_counter_ns()
        if t0 >= keep_from:
            rtt.append(t1 - t0)
            at.append(t0 - keep_from)
    socket.close()
    context.term()
    print(json.dumps({"rttNs": rtt, "atNs": at}), flush=True)


if __name__ == "__main__":
    main()
