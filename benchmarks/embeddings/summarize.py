"""Medians per (inputs, concurrency, encoding, client) from run.sh's CSV, with ratios to the Rust client and to the floor."""
import csv
import statistics
import sys
from collections import defaultdict

rows = defaultdict(list)
with open(sys.argv[1]) as f:
    for r in csv.DictReader(f):
        rows[(int(r["inputs"]), int(r["concurrency"]), r["encoding"], r["client"])].append(r)

def median(key, field):
    return statistics.median(float(r[field]) for r in rows[key]) if key in rows else None

print("| inputs | conc. | encoding | client | runs | wall s | CPU s (user+sys) | peak RSS MB | wall / CPU / RSS vs Rust | wall / CPU / RSS vs floor |")
print("|---:|---:|---|---|---:|---:|---:|---:|---|---|")
for (inputs, conc, enc, client) in sorted(rows, key=lambda k: (k[0], k[1], k[2], ["rust", "ours", "ours-all", "floor"].index(k[3]))):
    key = (inputs, conc, enc, client)
    wall = median(key, "wall_s")
    cpu = statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rows[key])
    rss = median(key, "max_rss_kb") / 1024
    def ratios(other):
        k = (inputs, conc, enc, other)
        if k not in rows or other == client:
            return "-"
        ocpu = statistics.median(float(r["user_s"]) + float(r["sys_s"]) for r in rows[k])
        return f"{wall / median(k, 'wall_s'):.2f} / {cpu / ocpu:.2f} / {rss / (median(k, 'max_rss_kb') / 1024):.2f}"
    print(f"| {inputs:,} | {conc} | {enc} | {client} | {len(rows[key])} | {wall:.2f} | {cpu:.2f} | {rss:.0f} | {ratios('rust')} | {ratios('floor')} |")
