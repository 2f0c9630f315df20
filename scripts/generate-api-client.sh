#!/usr/bin/env bash
# Regenerates Sources/APIContract/Generated from Sources/Server/openapi.yaml with swift-openapi-generator (from the
# package mirror; built once into .build/openapi-generator, ~6 min on 2 cores). Run it after every change to the
# document and commit the result: CI never builds the generator, and a test (EdgeClientTests) fails when the
# generated code was made from another version of the document (its sha256 is in every generated file).
set -euo pipefail
cd "$(dirname "$0")/.."
VERSION=1.14.3
TOOL=.build/openapi-generator
BIN="$TOOL/.build/release/swift-openapi-generator"
if [ ! -x "$BIN" ]; then
  mkdir -p "$TOOL/Sources/noop"
  cat > "$TOOL/Package.swift" <<SWIFT
// swift-tools-version:6.0
import PackageDescription
let package = Package(
    name: "openapi-generator-tool",
    dependencies: [.package(url: "https://github.com/apple/swift-openapi-generator", exact: "$VERSION")],
    targets: [.executableTarget(name: "noop")]
)
SWIFT
  echo "" > "$TOOL/Sources/noop/main.swift"
  echo "generate-api-client: building swift-openapi-generator $VERSION (once)" >&2
  swift build -c release --package-path "$TOOL" --product swift-openapi-generator >&2
fi
SPEC=Sources/Server/openapi.yaml
OUT=Sources/APIContract/Generated
rm -rf "$OUT" && mkdir -p "$OUT"
"$BIN" generate --config Sources/APIContract/openapi-generator-config.yaml --output-directory "$OUT" \
  --additional-file-comment "spec sha256 $(sha256sum "$SPEC" | cut -c1-64)" "$SPEC" >/dev/null
echo "generate-api-client: wrote $(cat "$OUT"/*.swift | wc -l) lines to $OUT" >&2
