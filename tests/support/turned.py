#!/usr/bin/env python3
"""turned.py PDF EXPECT: a PDF's landscape pages (a 横排表格, GB/T 9704 8) seen on the paper.

gbcheck reads upright text on A4 portrait pages. A landscape page is either a portrait page whose
text is turned (our PDF) or a landscape page (LibreOffice's rendering of a landscape section);
either way it is printed on A4 portrait paper with the table's head towards the paper's left
edge. This maps every character back onto the paper and answers, as JSON:
  landscape      1-based numbers of the landscape pages
  chars_lost     expected characters found nowhere, upright or turned (non-space, counted)
  outside        characters of landscape pages outside the body area (28-184 x 37-262 mm), but
                 the page number
  page_numbers   per landscape page: [page, x0 mm, x1 mm, middle mm from the paper's top] of the
                 page number (digits and dashes under the body area), on the paper
  table_gaps     per landscape page followed by one: [page, grid lines between the table's last
                 rule and the body area's edge it runs towards (the paper's right edge of the body)]
"""
import json
import sys
from collections import Counter

import pdfplumber

MM = 72 / 25.4
LEFT, RIGHT, TOP, BOTTOM = 28 * MM, 184 * MM, 37 * MM, 262 * MM
PITCH = 225 * MM / 22
TOL = 1 * MM


def main():
    path, expect = sys.argv[1], open(sys.argv[2], encoding="utf-8").read()
    out = {"landscape": [], "outside": 0, "page_numbers": [], "table_gaps": []}
    seen = Counter()
    with pdfplumber.open(path) as pdf:
        for i, p in enumerate(pdf.pages, 1):
            wide = p.width > p.height
            turned = wide or any(not c.get("upright", True) for c in p.chars)

            def paper(x0, x1, top, bottom):
                if wide:  # the landscape top is the paper's left edge
                    return top, bottom, p.width - x1, p.width - x0
                return x0, x1, top, bottom

            for c in p.chars:
                seen.update(ch for ch in c["text"] if not ch.isspace())
            if not turned:
                continue
            out["landscape"].append(i)
            number = []
            for c in p.chars:
                if not c["text"].strip():
                    continue
                x0, x1, y0, y1 = paper(c["x0"], c["x1"], c["top"], c["bottom"])
                if y0 > BOTTOM + 2 * MM:
                    number.append((x0, x1, y0, y1))
                elif x0 < LEFT - TOL or x1 > RIGHT + TOL or y0 < TOP - TOL or y1 > BOTTOM + TOL:
                    out["outside"] += 1
            if number:
                out["page_numbers"].append([i, min(n[0] for n in number) / MM, max(n[1] for n in number) / MM,
                                            (min(n[2] for n in number) + max(n[3] for n in number)) / 2 / MM])
            rules = [paper(r["x0"], r["x1"], r["top"], r["bottom"]) for r in p.rects + p.lines]
            if rules:
                last = max(r[1] for r in rules if r[3] - r[2] > 5 * MM) if any(r[3] - r[2] > 5 * MM for r in rules) else None
                if last is not None:
                    out["table_gaps"].append([i, (RIGHT - last) / PITCH])
    want = Counter(ch for ch in expect if not ch.isspace())
    out["chars_lost"] = sum((want - seen).values())
    # a gap counts only where the table goes on over the next page
    out["table_gaps"] = [g for g in out["table_gaps"] if g[0] + 1 in out["landscape"]]
    print(json.dumps(out))


if __name__ == "__main__":
    main()
