#!/usr/bin/env bash
# `make site-reader CORRECTIONS="DIR ..."`: reader A fine-tuned on a site's corrected plates (folders written by
# `microanpr training-export`), written beside the manifest as plate_reader_site.onnx and manifest-site.json only when
# it reads the site's check plates better (training/site_reader.py; about 15 minutes on 2 cores). Serve with it:
# MICROANPR_MODELS=.deps/models/manifest-site.json make run. SITE_ARGS go to site_reader.py (e.g. --steps 500).
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CORRECTIONS:-}" ]; then
  echo "site-reader: set CORRECTIONS to one or more folders written by microanpr training-export" >&2
  exit 2
fi
read -r -a DIRS <<< "$CORRECTIONS"
# The split and the counts first: a folder with too few corrections is refused before anything is installed.
python3 training/site_reader.py --corrections "${DIRS[@]}" --dry-run ${SITE_ARGS:-}
source training/venv.sh
.build/release/microanpr formats --json > training/formats.json
exec "$VENV/bin/python" training/site_reader.py --corrections "${DIRS[@]}" --datasets "${DATASETS:-../shared/datasets}" ${SITE_ARGS:-}
