#!/usr/bin/env bash
# Scale-out soak (not in make test; about SOAK_SECONDS + a few minutes): two servers on one PostgreSQL and one S3
# store (moto), started with the test services, uploads, SSE clients, a webhook receiver and a process killed every
# 20-60 s. See bench/soak.py for what is checked; the report is printed as JSON.
set -euo pipefail
cd "$(dirname "$0")/.."
[ -x .build/release/microanpr ] || swift build -c release --product microanpr
exec bash scripts/test-services.sh python3 bench/soak.py
