#!/usr/bin/env bash
# Runs every benchmark in turn, as recorded in bench/RESULTS.md. Takes about 30 minutes on 2 cores;
# run it on an otherwise idle machine.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
bash scripts/setup.sh
npm run build --silent
run() { echo "+ $*" >&2; "$@"; }
run npx tsx bench/shopkit-generator.ts
run npx tsx bench/shopimind-client.ts
run npx tsx bench/import.ts bound 10000 5 --codec both
run npx tsx bench/import.ts throughput 5000 --codec both
run npx tsx bench/import.ts throughput 20000
run npx tsx bench/import.ts rss 5000
run npx tsx bench/import.ts rss 100000
WORKER_NODE_OPTIONS=--max-old-space-size=160 run npx tsx bench/import.ts rss 5000
WORKER_NODE_OPTIONS=--max-old-space-size=160 run npx tsx bench/import.ts rss 100000
run npx tsx bench/payload-codec.ts
run npx tsx bench/sync-latency.ts 50 60 --codec both
run npx tsx bench/production-topology.ts --stores 10 --orders 2000 --rps 2 --latency-stores 100 --rate 200 --seconds 60
