#!/bin/sh
# Writes the seed corpus of every fuzz target from the conformance examples:
# each method's params (valid and invalid) in its envelope.
# Usage: fuzz/seed-corpus.sh   (from the repository root; needs python3)
set -eu
cd "$(dirname "$0")"
python3 - <<'PY'
import json, os, pathlib
root = pathlib.Path("../protocol-defs/conformance")
targets = ["client_request", "server_request", "client_notification",
           "server_notification", "decode_incoming", "deserialize"]
seeds = []
for params in sorted(root.rglob("params*.json")):
    method = str(params.parent.relative_to(root))
    if method.endswith("/invalid"):
        method = method[: -len("/invalid")]
    value = json.loads(params.read_text())
    seeds.append({"method": method, "id": len(seeds), "params": value})
    seeds.append({"method": method, "params": value})
for method in ["initialized", "getUserSavedConfig"]:
    seeds.append({"method": method})
    seeds.append({"method": method, "id": "s"})
seeds.append({"id": 1, "result": {"token": "t"}})
seeds.append({"id": 2, "error": {"code": -32600, "message": "m"}})
for target in targets:
    out = pathlib.Path("corpus") / target
    out.mkdir(parents=True, exist_ok=True)
    for n, seed in enumerate(seeds):
        (out / f"seed-{n:03}.json").write_text(json.dumps(seed, separators=(",", ":")))
print(f"{len(seeds)} seeds for each of {len(targets)} targets")
PY
