"""The seeds' request-reply server: a REP socket that answers every request with "World"."""
import zmq

from common import Peer, arguments


def main():
    args = arguments(__doc__, lambda p: p.add_argument("--reply", default="World"))
    peer = Peer(zmq.REP, args.address, args.lifetime)
    answered = 0
    while peer.running():
        if not peer.readable():
            continue
        peer.socket.recv()
        peer.socket.send_string(args.reply)
        answered += 1
    peer.finish({"answered": answered})


if __name__ == "__main__":
    main()
