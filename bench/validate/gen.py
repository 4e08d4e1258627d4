# Writes ok<N>.jsonl and bad<N>.jsonl: an answered initialize, then one
# getAuthStatus request whose params hold N MiB of small values (bad: with
# "includeToken": "yes" after them). Usage: python3 gen.py 32
import json, sys
size = int(sys.argv[1]) << 20
head = [
 {"from":"client","message":{"method":"initialize","id":0,"params":{"clientInfo":{"name":"b","version":"1"},"capabilities":{}}}},
 {"from":"server","message":{"id":0,"result":{"userAgent":"codex_app_server/0.1.0","codexHome":"/home/dev/.codex","platformFamily":"unix","platformOs":"linux"}}},
]
n = size // 8
arr = "[" + ",".join(['{"x":1}'] * n) + "]"
for name, tail in [("ok", ""), ("bad", ',"includeToken":"yes"')]:
    with open(f"{name}{sys.argv[1]}.jsonl", "w") as f:
        for h in head: f.write(json.dumps(h) + "\n")
        f.write('{"from":"client","message":{"method":"getAuthStatus","id":1,"params":{"a":' + arr + tail + '}}}\n')
