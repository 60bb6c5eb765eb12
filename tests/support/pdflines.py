#!/usr/bin/env python3
"""Print the body lines of a PDF as JSON: [{"page", "baseline", "x0", "x1", "size", "font", "text"}].

usage: pdflines.py FILE.pdf            lines of one PDF
       pdflines.py A.pdf B.pdf         also: how many lines of A break exactly where B's do
       pdflines.py A1 B1 A2 B2 …       the same for each pair, a JSON list (one Python start)
       pdflines.py --rules FILE.pdf    the filled rectangles (rules): page, top, x0, x1, height, colour
Used by the integration tests (tests/all/render.rs) to read line positions and to compare our PDF
with LibreOffice's rendering of our DOCX. Needs pdfplumber.
"""
import difflib
import json
import sys

import pdfplumber


def lines(path):
    out = []
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            rows, turned = {}, {}
            for c in page.chars:
                if not c["text"].strip():
                    continue
                if c.get("upright", True):
                    rows.setdefault(round(c["y1"] * 2) / 2, []).append(c)
                else:
                    # A line turned onto portrait paper (a 横排表格's page, GB/T 9704 8): its
                    # baseline is an x; text running up (matrix b > 0) reads bottom to top.
                    up = c["matrix"][1] > 0
                    turned.setdefault((up, round(c["matrix"][4] * 2) / 2), []).append(c)
            for key in sorted(rows, reverse=True):
                cs = sorted(rows[key], key=lambda c: c["x0"])
                out.append({"page": i, "baseline": round(page.height - cs[0]["matrix"][5], 2),
                            "x0": round(cs[0]["x0"], 2), "x1": round(cs[-1]["x1"], 2),
                            "size": round(cs[0]["size"], 2), "font": cs[0]["fontname"],
                            "colour": list(cs[0].get("non_stroking_color") or []),
                            "text": "".join(c["text"] for c in cs)})
            # The landscape page's first line is the one nearest its top: the paper's left
            # edge when the text runs up, its right edge when it runs down.
            for up, x in sorted(turned, key=lambda k: k[1] if k[0] else -k[1]):
                cs = sorted(turned[(up, x)], key=lambda c: -c["top"] if up else c["top"])
                out.append({"page": i, "baseline": x, "x0": round(cs[0]["top"], 2),
                            "x1": round(cs[-1]["bottom"], 2), "size": round(cs[0]["size"], 2),
                            "font": cs[0]["fontname"], "turned": True,
                            "colour": list(cs[0].get("non_stroking_color") or []),
                            "text": "".join(c["text"] for c in cs)})
    return out


def rules(path):
    out = []
    with pdfplumber.open(path) as pdf:
        for i, page in enumerate(pdf.pages, 1):
            for r in page.rects:
                out.append({"page": i, "top": round(r["top"], 2), "bottom": round(r["bottom"], 2),
                            "x0": round(r["x0"], 2), "x1": round(r["x1"], 2),
                            "colour": list(r.get("non_stroking_color") or [])})
    return out


def main():
    if sys.argv[1] == "--rules":
        print(json.dumps(rules(sys.argv[2])))
        return
    if len(sys.argv) == 2:
        print(json.dumps(lines(sys.argv[1]), ensure_ascii=False))
        return
    pairs = [compare(a, b) for a, b in zip(sys.argv[1::2], sys.argv[2::2])]
    print(json.dumps(pairs[0] if len(sys.argv) == 3 else pairs, ensure_ascii=False))


def pages(path):
    with pdfplumber.open(path) as pdf:
        return len(pdf.pages)


def compare(path_a, path_b):
    """How many body-size lines of A (15–23 pt) break exactly where B's do, in order."""
    a, b = lines(path_a), lines(path_b)
    ta = [ln["text"].replace(" ", "") for ln in a if 15 <= ln["size"] <= 23]
    tb = [ln["text"].replace(" ", "") for ln in b if 15 <= ln["size"] <= 23]
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    same = sum(blk.size for blk in sm.get_matching_blocks())
    return {"lines_a": len(ta), "lines_b": len(tb), "same": same,
            "share": round(same / max(1, len(ta)), 3),
            "pages_a": pages(path_a), "pages_b": pages(path_b),
            "differ": [(ta[i1:i2], tb[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"][:5]}


if __name__ == "__main__":
    main()
