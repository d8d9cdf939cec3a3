"""What the peers share: a bounded lifetime, a clean stop on SIGTERM, and one JSON line out.

Each peer binds the address it is given (tcp://127.0.0.1:* picks a free port), prints
`ready <endpoint>` once bound, runs until SIGTERM/SIGINT or --lifetime seconds, then prints
one JSON line of what it did and exits 0. Written for Python 3 with Debian's python3-zmq.
"""
import argparse
import json
import signal
import sys
import time

import zmq


def arguments(description, extra=None):
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("address", help="where to bind, e.g. tcp://127.0.0.1:5555 or tcp://127.0.0.1:*")
    parser.add_argument("--lifetime", type=float, default=60.0, help="seconds before the peer stops by itself")
    if extra:
        extra(parser)
    return parser.parse_args()


class Peer:
    def __init__(self, socket_type, address, lifetime):
        self.context = zmq.Context()
        self.socket = self.context.socket(socket_type)
        self.socket.setsockopt(zmq.LINGER, 0)
        self.socket.bind(address)
        self.deadline = time.monotonic() + lifetime
        self.stopping = False
        signal.signal(signal.SIGTERM, self._stop)
        signal.signal(signal.SIGINT, self._stop)
        print("ready", self.socket.getsockopt_string(zmq.LAST_ENDPOINT), flush=True)

    def _stop(self, *_):
        self.stopping = True

    def running(self):
        return not self.stopping and time.monotonic() < self.deadline

    def readable(self, timeout_ms=100):
        """True when a message waits; wakes up now and then so a stop is noticed."""
        return self.socket.poll(timeout_ms, zmq.POLLIN) != 0

    def finish(self, summary):
        self.socket.close()
        self.context.term()
        print(json.dumps(summary), flush=True)
        sys.exit(0)
