#!/usr/bin/env python3
"""Write the small committed seeds under fuzz/corpus/TARGET/ from data/, tests/fixtures/ and
layouts/ (run from anywhere; rerun after those change). Python's standard library only."""
import io, pathlib, shutil, zipfile

root = pathlib.Path(__file__).resolve().parent.parent
corpus = root / "fuzz" / "corpus"
shutil.rmtree(corpus, ignore_errors=True)

def put(target, name, data):
    d = corpus / target
    d.mkdir(parents=True, exist_ok=True)
    (d / name).write_bytes(data if isinstance(data, bytes) else data.encode())

fixtures = root / "tests" / "fixtures"
texts = {p.name: p.read_text() for p in sorted(fixtures.glob("*.txt"))}
texts["shuzhi-report.txt"] = (root / "data" / "shuzhi-report.txt").read_text()

# plaintext: every draft, in UTF-8, GBK, UTF-16 with a BOM, UTF-8 with a BOM.
for name, t in texts.items():
    put("plaintext", name, t)
short = texts["recognise-colophon.txt"]
put("plaintext", "gbk.txt", short.encode("gb18030"))
put("plaintext", "utf16le-bom.txt", b"\xff\xfe" + short.encode("utf-16-le"))
put("plaintext", "utf8-bom.txt", b"\xef\xbb\xbf" + short.encode())

# markup: drafts with markup lines, a table, every @key.
put("markup", "every-element.txt", texts["every-element.txt"])
put("markup", "keys.txt", "\n".join([
    "@份号: 000018", "@密级: 秘密★1年", "@紧急程度: 特急", "@发文机关: 青山县人民政府",
    "@发文机关: 青山县财政局", "@标志后缀:", "@发文字号: 青政发〔2023〕12号", "@签发人: 王建国 李明",
    "@印章", "@抄送: 县委办公室，县人大常委会办公室。", "@印发机关: 青山县人民政府办公室",
    "@印发日期: 2023年7月1日", "@作者: 青山县柳河镇 副镇长 张明", "@出席: 张三、李四",
    "@请假: 王五", "@列席: 赵六", "正文。", "@表格", "序号 | 单位 | 数量", "1 | 县委 | 3",
    "@表格结束", "青山县人民政府", "2023年7月1日", "@附件 1: 名单", "一、张三", ""]))
put("markup", "tab-table.txt", texts["tab-table.txt"])

# template: byte 0 = format (% 3) + 3 × fallback template; the data names its own template.
formats = {".yaml": 0, ".json": 1, ".toml": 2}
for p in sorted((root / "data").glob("*.yaml")) + sorted((root / "data").glob("*.json")):
    put("template", p.name, bytes([formats[p.suffix]]) + p.read_bytes())
put("template", "shuzhi.toml", bytes([2]) + """template = "shuzhi"
year = 2023
unit = "青山县柳河镇"
post = "副镇长"
name = "张明"
[[sections]]
title = "以身作则，协助党委落实主体责任"
[[sections.items]]
title = "建立工作机制"
text = "作为分管农业的副镇长。"
""".encode())

# layout_file: the bundled layouts.
for p in sorted((root / "layouts").glob("*.toml")):
    put("layout_file", p.name, p.read_bytes())

# csv: UTF-8, GBK, quoted cells with line breaks and commas.
rows = "单位,姓名,日期\n青山县,张明,2023-07-01\n柳河镇,\"李,四\",45108\n\"多行\n单元格\",\"引号\"\"内\",\n"
put("csv", "utf8.csv", rows)
put("csv", "gbk.csv", rows.encode("gb18030"))
put("csv", "bom.csv", b"\xef\xbb\xbf" + rows.encode())

# xlsx: a sheet's XML + 0xFF + shared strings (the target packs them into a workbook), and
# one whole .xlsx file.
sheet = ('<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/'
         'spreadsheetml/2006/main"><sheetData>'
         '<row r="1"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s"><v>1</v></c><c r="C1" t="inlineStr"><is><t>日期</t></is></c></row>'
         '<row r="2"><c r="A2" t="s"><v>2</v></c><c r="B2"><v>7</v></c><c r="C2"><v>45108.5</v></c></row>'
         '<row r="3"><c r="A3" t="e"><v>#DIV/0!</v></c><c r="B3" t="b"><v>1</v></c><c r="C3" t="str"><v>x</v></c></row>'
         '</sheetData></worksheet>')
strings = ('<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.openxmlformats.org/'
           'spreadsheetml/2006/main" count="3" uniqueCount="3"><si><t>单位</t></si><si><t>姓名</t></si>'
           '<si><r><t>青山</t></r><r><t>县</t></r></si></sst>')
put("xlsx", "sheet.bin", sheet.encode() + b"\xff" + strings.encode())
put("xlsx", "inline.bin", sheet.encode())
parts = {
    "[Content_Types].xml": '<?xml version="1.0" encoding="UTF-8"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/></Types>',
    "_rels/.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="xl/workbook.xml"/></Relationships>',
    "xl/workbook.xml": '<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>',
    "xl/_rels/workbook.xml.rels": '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/worksheet" Target="worksheets/sheet1.xml"/></Relationships>',
    "xl/worksheets/sheet1.xml": sheet.replace('t="s"', 't="str"'),
}
buf = io.BytesIO()
with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
    for n, b in parts.items():
        z.writestr(zipfile.ZipInfo(n, (1980, 1, 1, 0, 0, 0)), b)
put("xlsx", "whole.xlsx", buf.getvalue())

# render: byte 0 = layout (% 4: gbt9704, report, xinhan, jiyao), then a short draft.
docs = [
    "@发文机关: 青山县人民政府\n@发文字号: 青政发〔2023〕12号\n关于开展检查的通知\n各乡镇：\n一、范围\n全县各单位。\n青山县人民政府\n2023年7月1日\n@抄送: 县委办公室。\n@印发机关: 县政府办公室\n@印发日期: 2023年7月1日\n",
    "述职报告\n@作者: 柳河镇 副镇长 张明\n一、工作\n（一）学习。认真学习。\n1.落实。已落实。\n",
    "@发文机关: 青山县人民政府办公室\n@标志后缀:\n关于商请支持的函\n市交通局：\n请予支持。\n附件：1.名单\n青山县人民政府办公室\n2023年7月1日\n",
    "县政府第12次常务会议纪要\n@出席: 张三、李四\n会议研究了工作。\n@表格\n序号 | 单位 | 数量\n1 | 县委 | 3\n@表格结束\n",
]
for i, d in enumerate(docs):
    put("render", f"doc{i}.txt", bytes([i]) + d.encode())
put("render", "mixed.txt", bytes([0]) + "标题Ab1，。！？「」《》…—\u3000ＡＢ１\ue000\n正文（1）a.b；：\n".encode())
print(sum(1 for _ in corpus.rglob("*")), "files,", sum(p.stat().st_size for p in corpus.rglob("*") if p.is_file()), "bytes")
