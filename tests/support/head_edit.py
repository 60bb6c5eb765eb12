#!/usr/bin/env python3
"""head_edit: edit a DOCX's 版头 as a clerk would in Word, without knowing how it was made.

  head_edit.py IN.docx OUT.docx MODE

MODE blank:  an empty line typed above the 发文字号 (Enter at the start of its line: the new
             paragraph takes the line's formatting, as Word and LibreOffice do)
MODE organ:  a second issuing organ, the 标志's paragraph copied under itself and renamed
             (a joint document: "县财政局" under the first organ)
The 发文字号 is the first paragraph matching 〔YYYY〕N号 (or a 纪要's 第N期); the 标志 the first
paragraph above it with text (a 信函's 标志 is in a text box: `organ` finds none).
(docx_edit.py `head` types a 份号 and a 密级 above the first paragraph.)
"""
import copy
import re
import sys

import docx

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def main():
    src, out, mode = sys.argv[1:4]
    d = docx.Document(src)
    ps = d.paragraphs
    k = next((i for i, p in enumerate(ps) if re.search(r"〔\d{4}〕\d+号|^第\d+期$", p.text.strip())), None)
    if k is None:
        sys.exit("no 发文字号 paragraph")
    number = ps[k]._element
    if mode == "blank":
        new = copy.deepcopy(number)
        for r in new.findall(W + "r"):
            new.remove(r)
        number.addprevious(new)
    elif mode == "organ":
        mark = next((p for p in reversed(ps[:k]) if p.text.strip()), None)
        if mark is None:
            sys.exit("no 标志 paragraph above the 发文字号")
        new = copy.deepcopy(mark._element)
        # Word's Enter at the end of the line: the copy has no spacing before.
        for s in new.iter(W + "spacing"):
            s.set(W + "before", "0")
        # Its text: the second organ's name, its drawings (if any) left behind.
        runs = [r for r in new.findall(W + "r") if r.find(W + "t") is not None]
        for r in new.findall(W + "r"):
            if r not in runs[:1]:
                new.remove(r)
        if runs:
            runs[0].find(W + "t").text = "青山县财政局"
        mark._element.addnext(new)
    else:
        sys.exit(f"unknown mode {mode}")
    d.save(out)


if __name__ == "__main__":
    main()
