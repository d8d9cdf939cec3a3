"""The seeds' request-reply server (seed 004): a REP socket that answers "World" to "hello"
and "success" to anything else, as the seed's second server does."""
import zmq

from common import Peer, arguments


def main():
    args = arguments(__doc__, lambda p: p.add_argument("--reply", default="World", help='the answer to "hello"'))
    peer = Peer(zmq.REP, args.address, args.lifetime)
    answered = 0
    while peer.running():
        if not peer.readable():
            continue
        message = peer.socket.recv()
        peer.socket.send_string(args.reply if message == b"hello" else "success")
        answered += 1
    peer.finish({"answered": answered})


if __name__ == "__main__":
    main()
