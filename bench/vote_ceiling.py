#!/usr/bin/env python3
"""How far "rules + one model" could get on the artifact, fitted on the very data it is scored on.

Reads `ciri calibrate --opinions-out` (one JSON line per parameter) and, per recorded model,
sorts the model's findings that the rules did not make into cells by what a vote could know:

  - the rules' stance on that parameter (ok: a check ran and passed; abstain),
  - whether its value is the documented default (datasets/<system>/params.tsv), or no default,
  - whether the rules flagged another parameter of the same file,
  - how many parameters the model named in the file (1, 2, 3+),
  - whether all of the model's samples named it.

Cells are added to the rules' findings from the most precise down (precision measured on the
scored data itself), and the best macro parameter F1 among the prefixes that keep the recall at
the model's own minus 0.01 is printed. Being fitted in-sample, it is an upper bound for any vote
that sees only these facts; a calibrated vote, scored on data it was not fitted on, stays below.

    bench/vote_ceiling.py OPINIONS.jsonl DATASETS_DIR
"""
import collections
import json
import sys


def load_defaults(datasets, systems):
    out = {}
    for s in systems:
        d = collections.defaultdict(set)
        try:
            with open(f"{datasets}/{s}/params.tsv") as f:
                for line in f:
                    if line.startswith("#") or line.startswith("name\t"):
                        continue
                    cols = line.rstrip("\n").split("\t")
                    if len(cols) > 2 and cols[2]:
                        d[cols[0]].add(cols[2])
        except FileNotFoundError:
            pass
        out[s] = d
    return out


def main():
    rows = [json.loads(l) for l in open(sys.argv[1])]
    rows = [r for r in rows if r["misconfigured"] is not None]
    systems = sorted({r["system"] for r in rows})
    defaults = load_defaults(sys.argv[2], systems)
    by_item = collections.defaultdict(list)
    for r in rows:
        by_item[r["item"]].append(r)

    def stance(r, voter):
        return r["opinions"].get(voter, {}).get("stance", "abstain")

    def default_state(r):
        table, key = defaults[r["system"]], r["key"]
        # Tables name Hadoop keys with or without their first component.
        known = table.get(key) or (table.get(key.split(".", 1)[1]) if "." in key else None)
        if not known:
            return "no default"
        value = next((o["value"] for o in r["opinions"].values() if o.get("value")), None)
        return "= default" if value in known else "!= default"

    def macro(reported):
        counts = collections.defaultdict(lambda: [0, 0, 0])
        for r in rows:
            p, t = reported(r), r["misconfigured"]
            c = counts[r["system"]]
            if p and t:
                c[0] += 1
            elif p:
                c[1] += 1
            elif t:
                c[2] += 1
        f1 = recall = 0.0
        for tp, fp, fn in counts.values():
            f1 += 2 * tp / (2 * tp + fp + fn) if tp else 0.0
            recall += tp / (tp + fn) if tp + fn else 0.0
        return f1 / len(counts), recall / len(counts)

    rules = lambda r: stance(r, "rules") == "wrong"
    rules_f1, rules_recall = macro(rules)
    models = sorted({v for r in rows for v in r["opinions"] if v != "rules"})
    print(f"{'model':30} {'alone_F1':>8} {'alone_R':>8} {'rules_F1':>8} {'ceil_F1':>8} {'ceil_R':>8}  extra findings right  targets")
    for m in models:
        # Alone, as ciri eval scores it: what most of the model's samples named.
        alone_f1, alone_recall = macro(lambda r: stance(r, m) == "wrong" and r["opinions"][m]["share"] > 0.5)

        def cell(r):
            file = by_item[r["item"]]
            named = sum(stance(x, m) == "wrong" for x in file)
            return (stance(r, "rules"), default_state(r), any(stance(x, "rules") == "wrong" for x in file),
                    min(named, 3), r["opinions"][m]["share"] >= 0.99)

        cells = collections.defaultdict(lambda: [0, 0])  # right, wrong
        cell_of = {}
        for i, r in enumerate(rows):
            if stance(r, m) == "wrong" and not rules(r):
                cell_of[i] = cell(r)
                cells[cell_of[i]][0 if r["misconfigured"] else 1] += 1
        right = sum(c[0] for c in cells.values())
        total = sum(sum(c) for c in cells.values())
        order = sorted(cells, key=lambda c: -(cells[c][0] + 0.01) / (sum(cells[c]) + 0.02))
        chosen, best = set(), None
        index = {id(r): i for i, r in enumerate(rows)}
        for c in [None] + order:
            if c is not None:
                chosen.add(c)
            f1, recall = macro(lambda r: rules(r) or cell_of.get(index[id(r)]) in chosen)
            if recall >= alone_recall - 0.01 and (best is None or f1 > best[0]):
                best = (f1, recall)
        if best is None:
            ceil = "    -        -   "
            met = "NOT met (recall out of reach)"
        else:
            ceil = f"{best[0]:8.3f} {best[1]:8.3f}"
            met = "met in-sample" if best[0] > max(alone_f1, rules_f1) + 1e-9 else "NOT met even in-sample"
        print(f"{m:30} {alone_f1:8.3f} {alone_recall:8.3f} {rules_f1:8.3f} {ceil}  {right:4d} of {total:<4d}          {met}")
    print("(ceil = rules + the model's extra findings chosen by the cells above, fitted on the scored data;")
    print(" recall kept >= the model's own - 0.01; 'extra findings right' = the model's findings the rules did not make)")


if __name__ == "__main__":
    main()
