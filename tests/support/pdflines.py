#!/usr/bin/env python3
"""Print the body lines of a PDF as JSON: [{"page", "baseline", "x0", "x1", "size", "font", "text"}].

usage: pdflines.py FILE.pdf            lines of one PDF
       pdflines.py A.pdf B.pdf         also: how many lines of A break exactly where B's do
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
            rows = {}
            for c in page.chars:
                if c["text"].strip():
                    rows.setdefault(round(c["y1"] * 2) / 2, []).append(c)
            for key in sorted(rows, reverse=True):
                cs = sorted(rows[key], key=lambda c: c["x0"])
                out.append({"page": i, "baseline": round(page.height - cs[0]["matrix"][5], 2),
                            "x0": round(cs[0]["x0"], 2), "x1": round(cs[-1]["x1"], 2),
                            "size": round(cs[0]["size"], 2), "font": cs[0]["fontname"],
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
    a = lines(sys.argv[1])
    if len(sys.argv) == 2:
        print(json.dumps(a, ensure_ascii=False))
        return
    b = lines(sys.argv[2])
    ta = [ln["text"].replace(" ", "") for ln in a if 15 <= ln["size"] <= 23]
    tb = [ln["text"].replace(" ", "") for ln in b if 15 <= ln["size"] <= 23]
    sm = difflib.SequenceMatcher(None, ta, tb, autojunk=False)
    same = sum(blk.size for blk in sm.get_matching_blocks())
    print(json.dumps({"lines_a": len(ta), "lines_b": len(tb), "same": same,
                      "share": round(same / max(1, len(ta)), 3),
                      "differ": [(ta[i1:i2], tb[j1:j2]) for op, i1, i2, j1, j2 in sm.get_opcodes() if op != "equal"][:5]},
                     ensure_ascii=False))


if __name__ == "__main__":
    main()
