#!/bin/sh
# Issue 20 on real hosts: the shipped distributed scenario and the agents benchmark, across two
# agents that already run.
#
#   bench/distributed/run-on-hosts.sh [--keys <dir>] [--out <dir>] [--rounds <n>] <agent-1> <agent-2>
#
# <agent-1>, <agent-2>: the two agents' control addresses, tcp://<host>:<port>, as each was
# started with (on its host, from a checkout built with `npm run build`, or the image):
#
#   zmq-bench keys keys/                      # once; copy the folder to both hosts
#   zmq-bench agent --listen tcp://0.0.0.0:7000 --keys keys/ [--advertise <this host's IP>]
#
# --keys <dir>: the coordinator's keys (coordinator.public, coordinator.secret, agent.public);
# required unless both agents are on loopback. --out <dir>: where the results go (default
# reports/on-hosts-<date>-<time>). --rounds <n>: rounds of the benchmark (default 5).
#
# What it runs, from this checkout's dist/ (run `npm run build` first), on this machine as the
# coordinator:
#   1. scenarios/distributed/slow-subscriber.yaml with the publisher on agent 1 and the
#      subscribers on agent 2 (`zmq-bench run --agents publisher=<1>,subscribers=<2>`):
#      <out>/slow-subscriber/result.json and report.html; its exit code is printed (0: its
#      expectations held; 99: one failed; 97: the run was not valid, e.g. an agent was lost).
#   2. the agents benchmark (bench/agents.ts with --agents a=<1>,b=<2>): bench/agents/two-hosts.yaml
#      in ABBA rounds on the agents and on this machine alone, the throughput ratio agents / local
#      and the start skew between the two hosts: <out>/agents.json and <out>/agents.md.
# Then it prints where the results went. Exit code: 0 when both steps did, otherwise the first
# step's code that was not 0.
set -eu

usage() {
  echo "usage: $0 [--keys <dir>] [--out <dir>] [--rounds <n>] tcp://<host>:<port> tcp://<host>:<port>" >&2
  exit 2
}

ROOT=$(CDPATH='' cd -- "$(dirname -- "$0")/../.." && pwd)
CLI="$ROOT/dist/src/cli.js"
BENCH="$ROOT/dist/bench/agents.js"
KEYS=""
OUT="$ROOT/reports/on-hosts-$(date +%Y%m%d-%H%M%S)"
ROUNDS=5
while [ $# -gt 0 ]; do
  case "$1" in
    --keys) [ $# -ge 2 ] || usage; KEYS=$2; shift 2 ;;
    --out) [ $# -ge 2 ] || usage; OUT=$2; shift 2 ;;
    --rounds) [ $# -ge 2 ] || usage; ROUNDS=$2; shift 2 ;;
    -h|--help) sed -n '2,/^set -eu/p' "$0" | sed '$d; s/^# \{0,1\}//'; exit 0 ;;
    --*) usage ;;
    *) break ;;
  esac
done
[ $# -eq 2 ] || usage
A1=$1
A2=$2
for a in "$A1" "$A2"; do
  case "$a" in tcp://*:*) ;; *) echo "$0: expected tcp://<host>:<port>, got $a" >&2; exit 2 ;; esac
done
if [ ! -f "$CLI" ] || [ ! -f "$BENCH" ]; then
  echo "$0: $CLI or $BENCH is missing: run npm run build first" >&2
  exit 2
fi
set -- # the keys, when given, as arguments of both commands
[ -n "$KEYS" ] && set -- --keys "$KEYS"
mkdir -p "$OUT"

echo "== 1/2 scenarios/distributed/slow-subscriber.yaml: publisher on $A1, subscribers on $A2" >&2
code1=0
node "$CLI" run "$ROOT/scenarios/distributed/slow-subscriber.yaml" \
  --agents "publisher=$A1,subscribers=$A2" "$@" --out "$OUT/slow-subscriber" || code1=$?
echo "slow-subscriber: exit code $code1" >&2

echo "== 2/2 bench/agents.ts: a on $A1, b on $A2, $ROUNDS rounds against this machine alone" >&2
code2=0
node "$BENCH" --agents "a=$A1,b=$A2" "$@" --rounds "$ROUNDS" --out "$OUT/agents.json" >"$OUT/agents.md" || code2=$?
cat "$OUT/agents.md"
echo "agents benchmark: exit code $code2" >&2

echo
echo "results:"
echo "  $OUT/slow-subscriber/result.json, report.html (exit code $code1)"
echo "  $OUT/agents.json, agents.md (exit code $code2)"
[ "$code1" -ne 0 ] && exit "$code1"
exit "$code2"
