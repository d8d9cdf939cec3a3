"""The seeds' pipeline sink: a PULL socket that counts what the workers push to it."""
import zmq

from common import Peer, arguments


def main():
    args = arguments(__doc__)
    peer = Peer(zmq.PULL, args.address, args.lifetime)
    received = 0
    received_bytes = 0
    while peer.running():
        if not peer.readable():
            continue
        # drain what is queued before looking at the clock again
        while True:
            try:
                frames = peer.socket.recv_multipart(zmq.NOBLOCK)
            except zmq.Again:
                break
            received += 1
            received_bytes += sum(len(f) for f in frames)
    peer.finish({"received": received, "bytes": received_bytes})


if __name__ == "__main__":
    main()
