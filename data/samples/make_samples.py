"""Write the sample archive in data/raw (texts written for vanban; not copied from any source).

    .venv/bin/python data/samples/make_samples.py

Six documents from six provinces in five formats (PDF with the two-column header and a ruled
money table, DOCX with staffing split by level and a money table, HTML saved from a portal with
its furniture, UTF-8 text, UTF-16 text, Markdown with a money table).  Nghị định 59/2012/NĐ-CP is cited with its real date (23/7/2012) and,
in one document, with a wrong one (23/7/2014), so `make run` shows what vanban finds.
"""
from __future__ import annotations

from pathlib import Path

RAW = Path(__file__).resolve().parents[1] / "raw"
FONT = "/usr/share/fonts/truetype/dejavu/DejaVuSerif.ttf"
FONT_B = "/usr/share/fonts/truetype/dejavu/DejaVuSerif-Bold.ttf"

PDF_BODY = [
    "Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;",
    "Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp",
    "luật; Nghị định số 32/2020/NĐ-CP ngày 05/3/2020 của Chính phủ sửa đổi, bổ sung một số điều của",
    "Nghị định số 59/2012/NĐ-CP;",
    "Căn cứ Thông tư số 04/2021/TT-BTP ngày 21/6/2021 của Bộ trưởng Bộ Tư pháp;",
    "Ủy ban nhân dân tỉnh ban hành Kế hoạch theo dõi tình hình thi hành pháp luật năm 2026 như sau:",
    "1. Các sở, ngành lựa chọn lĩnh vực trọng tâm theo khoản 2 Điều 3 Thông tư số 04/2021/TT-BTP.",
    "2. Sở Tư pháp có 03 công chức chuyên trách; kinh phí bố trí 80.000.000 đồng/năm theo Công văn",
    "số 225/BTC-HCSN ngày 07/01/2020 của Bộ Tài chính.",
    "3. Các cơ quan gửi báo cáo về Sở Tư pháp chậm nhất ngày 15/11/2026.",
]


def write_pdf() -> None:
    from fpdf import FPDF

    pdf = FPDF(format="A4")
    pdf.add_font("serif", "", FONT)
    pdf.add_font("serif", "B", FONT_B)
    pdf.add_page()
    pdf.set_font("serif", "B", 11)
    # two-column header: issuer and số hiệu on the left, motto and date line on the right
    pdf.set_xy(15, 15); pdf.cell(80, 6, "ỦY BAN NHÂN DÂN", align="C")
    pdf.set_xy(100, 15); pdf.cell(100, 6, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", align="C")
    pdf.set_xy(15, 21); pdf.cell(80, 6, "TỈNH HÀ GIANG", align="C")
    pdf.set_xy(100, 21); pdf.cell(100, 6, "Độc lập - Tự do - Hạnh phúc", align="C")
    pdf.set_font("serif", "", 11)
    pdf.set_xy(15, 31); pdf.cell(80, 6, "Số: 45/KH-UBND", align="C")
    pdf.set_xy(100, 31); pdf.cell(100, 6, "Hà Giang, ngày 12 tháng 01 năm 2026", align="C")
    pdf.set_font("serif", "B", 12)
    pdf.set_xy(15, 45); pdf.cell(180, 6, "KẾ HOẠCH", align="C")
    pdf.set_xy(15, 51); pdf.cell(180, 6, "Theo dõi tình hình thi hành pháp luật năm 2026", align="C")
    pdf.set_font("serif", "", 11)
    y = 64
    for line in PDF_BODY:
        pdf.set_xy(15, y); pdf.cell(180, 6, line)
        y += 7
    pdf.add_page()
    pdf.set_xy(15, 15); pdf.cell(180, 6, "2", align="C")
    pdf.set_xy(15, 25); pdf.cell(180, 6, "4. Tổ chức thực hiện theo Chỉ thị số 43/CT-TTg ngày 11/12/2020 của Thủ tướng Chính phủ.")
    # a ruled table of money, read through pdfplumber
    pdf.set_xy(15, 35); pdf.cell(180, 6, "5. Dự toán kinh phí theo dõi thi hành pháp luật (Đơn vị: triệu đồng):")
    pdf.set_xy(15, 43)
    with pdf.table(col_widths=(70, 35, 35), width=140, align="LEFT", text_align=("LEFT", "RIGHT", "RIGHT")) as table:
        for cells in [("Nội dung", "Năm 2025", "Năm 2026"), ("Sở Tư pháp", "80", "95"),
                      ("Phòng Tư pháp cấp huyện", "120", "150"), ("Tổng cộng", "200", "245")]:
            row = table.row()
            for c in cells:
                row.cell(c)
    y = pdf.get_y() + 8
    pdf.set_xy(15, y); pdf.cell(90, 6, "Nơi nhận:")
    pdf.set_font("serif", "B", 11)
    pdf.set_xy(110, y); pdf.cell(80, 6, "TM. ỦY BAN NHÂN DÂN", align="C")
    pdf.set_xy(110, y + 6); pdf.cell(80, 6, "KT. CHỦ TỊCH", align="C")
    pdf.set_xy(110, y + 12); pdf.cell(80, 6, "PHÓ CHỦ TỊCH", align="C")
    pdf.set_xy(110, y + 30); pdf.cell(80, 6, "Trần Văn Minh", align="C")
    pdf.output(str(RAW / "hagiang_kh45-2026-theodoi-thpl.pdf"))


def write_docx() -> None:
    import docx

    d = docx.Document()
    for line in ["ỦY BAN NHÂN DÂN TỈNH BÌNH ĐỊNH", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
                 "Số: 210/BC-UBND", "Bình Định, ngày 20 tháng 12 năm 2024", "BÁO CÁO",
                 "Kết quả công tác theo dõi tình hình thi hành pháp luật năm 2024",
                 "Thực hiện Nghị định số 59/2012/NĐ-CP ngày 23/7/2014 của Chính phủ và Quyết định số 242/QĐ-TTg ngày 26/02/2018 "
                 "của Thủ tướng Chính phủ, Ủy ban nhân dân tỉnh báo cáo như sau:",
                 "Toàn tỉnh có 145 người làm công tác theo dõi thi hành pháp luật, cụ thể:",
                 "- Cấp tỉnh: Sở Tư pháp 04 người (chuyên trách: 2, kiêm nhiệm: 2);",
                 "- Cấp huyện: công chức Phòng Tư pháp 11 người;",
                 "- Cấp xã: công chức tư pháp - hộ tịch 130 người.",
                 "Trong năm, các cơ quan tổ chức 48 cuộc kiểm tra và 6 đợt khảo sát; kinh phí cấp cho Sở Tư pháp "
                 "khoảng 50.000.000 đồng - 60.000.000 đồng/năm.",
                 "Kinh phí theo cấp (Đơn vị tính: đồng):"]:
        d.add_paragraph(line)
    money = d.add_table(rows=4, cols=3)
    for r, cells in enumerate([("Cấp", "Năm 2023", "Năm 2024"), ("Cấp tỉnh", "55.000.000", "60.000.000"),
                               ("Cấp huyện", "18.000.000", "22.000.000"), ("Cấp xã", "", "9.500.000")]):
        for c, value in enumerate(cells):
            money.cell(r, c).text = value
    d.add_paragraph("Các văn bản đã ban hành trong năm:")
    t = d.add_table(rows=3, cols=2)
    for r, (a, b) in enumerate([("Văn bản", "Nội dung"),
                                 ("Kế hoạch số 15/KH-UBND ngày 22/01/2024", "Theo dõi thi hành pháp luật năm 2024"),
                                 ("Công văn số 301/UBND-NC ngày 04/4/2024", "Đôn đốc triển khai kế hoạch")]):
        t.cell(r, 0).text, t.cell(r, 1).text = a, b
    for line in ["Nơi nhận:", "- Bộ Tư pháp;", "- Lưu: VT.", "TM. ỦY BAN NHÂN DÂN", "CHỦ TỊCH", "Lê Thị Hoa"]:
        d.add_paragraph(line)
    d.save(str(RAW / "binhdinh_bc210-2024-ketqua-thpl.docx"))


HTML = """<!DOCTYPE html>
<html lang="vi"><head><meta charset="utf-8"><title>Công văn 88/STP-XDKT&amp;TDTHPL - Cổng thông tin Sở Tư pháp</title></head>
<body>
<nav><ul><li><a href="/">Trang chủ</a></li><li>Văn bản chỉ đạo</li><li>Liên hệ</li></ul></nav>
<div class="banner">Thông báo: Nghị định 13/2023/NĐ-CP về bảo vệ dữ liệu cá nhân - vui lòng đồng ý điều khoản.</div>
<main><article>
<h1>Công văn số 88/STP-XDKT&amp;TDTHPL về việc báo cáo công tác theo dõi thi hành pháp luật</h1>
<table><tr><td>UBND TỈNH ĐỒNG NAI<br>SỞ TƯ PHÁP</td><td>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</td></tr>
<tr><td>Số: 88/STP-XDKT&amp;TDTHPL<br>V/v báo cáo công tác theo dõi thi hành pháp luật năm 2025</td><td>Đồng Nai, ngày 03 tháng 11 năm 2025</td></tr></table>
<p>Kính gửi: Các sở, ban, ngành tỉnh.</p>
<p>Thực hiện Kế hoạch số 120/KH-UBND ngày 10/02/2025 của Ủy ban nhân dân tỉnh và Thông tư số 04/2021/TT-BTP ngày 21/6/2021
của Bộ trưởng Bộ Tư pháp, Sở Tư pháp đề nghị các cơ quan báo cáo kết quả theo dõi thi hành pháp luật theo Nghị định số
59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ, gửi về Sở Tư pháp trước ngày 20/11/2025. Kinh phí cho công tác này
khoảng 1,5 tỷ đồng/năm.</p>
<p>Nơi nhận:<br>- Như trên;<br>- Lưu: VT.</p>
<p>KT. GIÁM ĐỐC<br>PHÓ GIÁM ĐỐC</p><p>Nguyễn Thành Công</p>
</article></main>
<aside><h3>Văn bản liên quan</h3><ul><li>Nghị định 30/2020/NĐ-CP về công tác văn thư</li></ul></aside>
<footer>Lượt truy cập: 1.245.332 | Bản quyền thuộc Sở Tư pháp tỉnh Đồng Nai</footer>
</body></html>
"""

TXT = """ỦY BAN NHÂN DÂN
TỈNH NAM ĐỊNH

Số: 1520/QĐ-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Nam Định, ngày 08 tháng 7 năm 2023

QUYẾT ĐỊNH
Ban hành Quy chế phối hợp trong công tác theo dõi tình hình thi hành pháp luật
trên địa bàn tỉnh Nam Định

ỦY BAN NHÂN DÂN TỈNH NAM ĐỊNH

Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 6 năm 2015;
Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23 tháng 7 năm 2012 của Chính phủ về theo dõi tình hình thi hành
pháp luật; Nghị định số 32/2020/NĐ-CP ngày 05 tháng 3 năm 2020 của Chính phủ;
Căn cứ Thông tư số 14/2014/TT-BTP ngày 15/5/2014 của Bộ trưởng Bộ Tư pháp;
Theo đề nghị của Giám đốc Sở Tư pháp tại Tờ trình số 95/TTr-STP ngày 30/6/2023.

QUYẾT ĐỊNH:

Điều 1. Ban hành kèm theo Quyết định này Quy chế phối hợp trong công tác theo dõi tình hình thi hành pháp luật.
Điều 2. Quyết định này có hiệu lực kể từ ngày ký.

Nơi nhận:
- Như Điều 2;
- Lưu: VT, NC.

TM. ỦY BAN NHÂN DÂN
CHỦ TỊCH

Phạm Đình Nghị
"""

TXT16 = """ỦY BAN NHÂN DÂN
THÀNH PHỐ HẢI PHÒNG

Số: 301/KH-UBND

CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc

Hải Phòng, ngày 25 tháng 12 năm 2024

KẾ HOẠCH
Triển khai thi hành Luật Đất đai trên địa bàn thành phố năm 2025

Thực hiện Quyết định số 222/QĐ-TTg ngày 05/3/2024 của Thủ tướng Chính phủ ban hành Kế hoạch triển khai thi hành
Luật Đất đai; các Nghị định số 101/2024/NĐ-CP và 102/2024/NĐ-CP của Chính phủ, Ủy ban nhân dân thành phố ban hành
Kế hoạch như sau: tổ chức 12 hội nghị phổ biến tại điểm a khoản 1 Điều 4 Quyết định số 222/QĐ-TTg.

KT. CHỦ TỊCH
PHÓ CHỦ TỊCH

Lê Khắc Nam
"""

MD = """**ỦY BAN NHÂN DÂN
TỈNH KON TUM**

Số: 17/TB-UBND

**CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM
Độc lập - Tự do - Hạnh phúc**

*Kon Tum, ngày 14 tháng 3 năm 2024*

**THÔNG BÁO**

Kết luận của Chủ tịch UBND tỉnh tại hội nghị triển khai công tác theo dõi thi hành pháp luật năm 2024

Ngày 11/3/2024, Chủ tịch UBND tỉnh chủ trì hội nghị triển khai Nghị định số 59/2012/NĐ-CP ngày 23/7/2012
và Chỉ thị số 43/CT-TTg ngày 11/12/2020 của Thủ tướng Chính phủ. Chủ tịch UBND tỉnh kết luận:

1. Giao Sở Tư pháp tham mưu thực hiện **trước ngày 30/4/2024**.
2. Các huyện bố trí kinh phí theo Công văn số 225/BTC-HCSN ngày 07/01/2020 của Bộ Tài chính, báo cáo kết quả
trước ngày 15/12 hằng năm.

Kinh phí năm 2024 (Đơn vị: triệu đồng):

| STT | Đơn vị | Dự toán | Thực hiện |
|-----|--------|--------:|----------:|
| 1 | Sở Tư pháp | 70 | 65,5 |
| 2 | Phòng Tư pháp các huyện | 90 | 88 |
| | Tổng cộng | 160 | 153,5 |

**TL. CHỦ TỊCH
CHÁNH VĂN PHÒNG**

**Đỗ Văn An**
"""


def main() -> None:
    RAW.mkdir(parents=True, exist_ok=True)
    write_pdf()
    write_docx()
    (RAW / "dongnai_cv88-stp-baocao-thpl.html").write_text(HTML, encoding="utf-8")
    (RAW / "namdinh_qd1520-2023-quyche-phoihop.txt").write_text(TXT, encoding="utf-8")
    (RAW / "haiphong_kh301-2024-luatdatdai.txt").write_bytes(TXT16.encode("utf-16"))
    (RAW / "kontum_tb17-2024-ketluan.md").write_text(MD, encoding="utf-8")


if __name__ == "__main__":
    main()
