#!/usr/bin/env python3
"""Make a 通知 as a Word user would, with python-docx, carrying six deliberate faults against
GB/T 9704 for `gongwen check` (tests/all/check.rs):

  1. wrong margins: Word's defaults (top/bottom 25.4 mm, left/right 31.8 mm)   -> paragraph 0
  2. a level-two heading `（一）` in 仿宋 instead of 楷体                         -> paragraph 6
  3. 1.5 line spacing on one body paragraph                                  -> paragraph 9
  4. no page numbers (no footer)                                             -> paragraph 0
  5. a left-aligned title                                                    -> paragraph 1
  6. 25 characters a line (the document grid's charSpace)                    -> paragraph 0

Everything else follows the format: A4, a 22-line grid, Normal 3号仿宋 single on the grid,
2-character first-line indents, the other headings in their faces, 署名 and date on the right,
the 版记 at the end.

usage: make_faulty_docx.py OUT.docx
"""

import sys

from docx import Document
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt


def east_asia(rpr_parent, name):
    """Name one font in every slot of w:rFonts (w:eastAsia is the one Chinese text uses)."""
    rpr = rpr_parent.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for slot in ("w:ascii", "w:hAnsi", "w:eastAsia", "w:cs"):
        fonts.set(qn(slot), name)
    for slot in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        if fonts.get(qn(slot)) is not None:
            del fonts.attrib[qn(slot)]


def first_line_chars(paragraph, hundredths):
    ind = paragraph._p.get_or_add_pPr().get_or_add_ind()
    ind.set(qn("w:firstLineChars"), str(hundredths))
    ind.set(qn("w:firstLine"), str(hundredths * 32 // 10))


def para(doc, text, face=None, size=None, runs=None):
    p = doc.add_paragraph()
    for t, f in runs or [(text, face)]:
        r = p.add_run(t)
        if f:
            east_asia(r._r, f)
        if size:
            r.font.size = Pt(size)
    return p


def main(out):
    doc = Document()
    sec = doc.sections[0]
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    # Fault 1: Word's default margins.
    sec.top_margin = sec.bottom_margin = Mm(25.4)
    sec.left_margin = sec.right_margin = Mm(31.8)
    # A 22-line grid (579 twips); fault 6: charSpace for a 17.6 pt character pitch, 25 a line.
    grid = sec._sectPr.find(qn("w:docGrid"))
    grid.set(qn("w:type"), "linesAndChars")
    grid.set(qn("w:linePitch"), "579")
    grid.set(qn("w:charSpace"), "6554")

    normal = doc.styles["Normal"]
    east_asia(normal.element, "仿宋_GB2312")
    normal.font.size = Pt(16)
    pf = normal.paragraph_format
    pf.space_before = pf.space_after = Pt(0)
    pf.line_spacing = 1.0
    ppr = normal.element.get_or_add_pPr()
    ind = ppr.get_or_add_ind()
    ind.set(qn("w:firstLineChars"), "200")
    ind.set(qn("w:firstLine"), "640")
    ppr.get_or_add_jc().set(qn("w:val"), "both")

    # 1: the title, 2号小标宋 — fault 5: aligned left.
    title = para(doc, "青山县人民政府办公室关于开展安全生产大检查的通知", "方正小标宋简体", 22)
    title.alignment = WD_ALIGN_PARAGRAPH.LEFT
    first_line_chars(title, 0)
    # 2: blank line; 3: 主送, flush left.
    doc.add_paragraph()
    first_line_chars(para(doc, "各乡镇人民政府，县政府各部门："), 0)
    # 4: body.
    para(doc, "为有效防范和遏制各类生产安全事故，经县政府同意，决定在全县开展安全生产大检查。现将有关事项通知如下。")
    # 5: level 1 in 黑体.
    para(doc, "一、总体要求", "黑体")
    # 6: fault 2: a run-in level-2 heading whose heading run is 仿宋.
    para(doc, None, runs=[("（一）加强组织领导。", "仿宋_GB2312"), ("各乡镇、各部门要高度重视，主要负责同志亲自部署。", None)])
    # 7: a level-2 heading in 楷体, as it should be.
    para(doc, None, runs=[("（二）突出检查重点。", "楷体_GB2312"), ("重点检查危险化学品、建筑施工、道路交通等行业领域。", None)])
    # 8: level 3 and its text in 仿宋.
    para(doc, "1.建立隐患清单。各生产经营单位对照检查重点内容开展全面自查。")
    # 9: fault 3: 1.5 line spacing on one body paragraph.
    p = para(doc, "检查中发现的重大隐患要挂牌督办，限期整改到位，确保检查不走过场。")
    p.paragraph_format.line_spacing = 1.5
    # 10: level 4.
    para(doc, "（1）请于9月5日前将检查工作总结报县应急管理局。")
    # 11: blank; 12–13: 署名 and 成文日期 aligned right, two and four characters in from the
    # right (7.3.5.2), so a longer name grows to the left.
    doc.add_paragraph()
    for text, right in (("青山县人民政府办公室", 200), ("2023年7月1日", 400)):
        p = para(doc, text)
        p.alignment = WD_ALIGN_PARAGRAPH.RIGHT
        ind = p._p.get_or_add_pPr().get_or_add_ind()
        ind.set(qn("w:rightChars"), str(right))
        ind.set(qn("w:right"), str(right * 32 // 10))
        ind.set(qn("w:firstLineChars"), "0")
        ind.set(qn("w:firstLine"), "0")
    # 14: blank; 15–16: 版记 in 4号.
    doc.add_paragraph()
    for text in ("抄送：县委办公室，县人大常委会办公室。", "青山县人民政府办公室　　2023年7月1日印发"):
        p = para(doc, text, size=14)
        first_line_chars(p, 0)
    # Fault 4: no footer, so no page numbers.
    doc.save(out)


if __name__ == "__main__":
    main(sys.argv[1])
