"""The seeds' weather update server: a PUB socket sending "zipcode temperature humidity".

Zipcodes are taken in turn from --zipcodes (not at random as in the seed), so a subscriber's
count per prefix can be checked exactly. --format json adds a sequence number:
{"seq": n, "zipcode": "10001", "temperature": t, "humidity": h}; --format binary sends an
8-byte big-endian sequence number, then the text.
"""
import json
import random
import struct
import time

import zmq

from common import Peer, arguments


def options(parser):
    parser.add_argument("--zipcodes", default="10001,10002,20001,30001")
    parser.add_argument("--rate", type=float, default=2000.0, help="messages per second")
    parser.add_argument("--format", choices=["text", "json", "binary"], default="text")


def main():
    args = arguments(__doc__, options)
    peer = Peer(zmq.PUB, args.address, args.lifetime)
    zipcodes = args.zipcodes.split(",")
    rng = random.Random(1)
    sent = {z: 0 for z in zipcodes}
    interval = 1.0 / args.rate
    next_at = time.monotonic()
    seq = 0
    while peer.running():
        zipcode = zipcodes[seq % len(zipcodes)]
        temperature = rng.randrange(-80, 135)
        humidity = rng.randrange(10, 60)
        text = "%s %i %i" % (zipcode, temperature, humidity)
        if args.format == "json":
            peer.socket.send_string(json.dumps({"seq": seq, "zipcode": zipcode, "temperature": temperature, "humidity": humidity}))
        elif args.format == "binary":
            peer.socket.send(struct.pack(">Q", seq) + text.encode())
        else:
            peer.socket.send_string(text)
        sent[zipcode] += 1
        seq += 1
        next_at += interval
        pause = next_at - time.monotonic()
        if pause > 0:
            time.sleep(pause)
    peer.finish({"sent": seq, "perZipcode": sent})


if __name__ == "__main__":
    main()
