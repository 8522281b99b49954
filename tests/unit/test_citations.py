"""Every citation form, on sentences written for these tests."""
import datetime as dt

import pytest

from extractors.citations import find_citations, norm_ref

D = dt.date

CASES = [
    # (sentence, [(type, ref, name, date, article, clause, point, section), ...])
    ("Căn cứ Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi thi hành pháp luật;",
     [("Nghị định", "59/2012/NĐ-CP", None, D(2012, 7, 23), None, None, None, None)]),
    ("Thực hiện Quyết định số 242/QĐ-TTg ngày 26 tháng 02 năm 2018 của Thủ tướng Chính phủ.",
     [("Quyết định", "242/QĐ-TTg", None, D(2018, 2, 26), None, None, None, None)]),
    ("theo quy định tại khoản 3 Điều 10 Thông tư số 04/2021/TT-BTP ngày 21/6/2021",
     [("Thông tư", "04/2021/TT-BTP", None, D(2021, 6, 21), "10", "3", None, None)]),
    ("áp dụng điểm a khoản 2 Điều 5 Nghị định số 30/2020/NĐ-CP để trình bày",
     [("Nghị định", "30/2020/NĐ-CP", None, None, "5", "2", "a", None)]),
    ("các Nghị định số 131/2025/NĐ-CP và 136/2025/NĐ-CP của Chính phủ",
     [("Nghị định", "131/2025/NĐ-CP", None, None, None, None, None, None),
      ("Nghị định", "136/2025/NĐ-CP", None, None, None, None, None, None)]),
    ("các Công văn số 12/UBND-NC ngày 05/01/2024; số 48/UBND-NC ngày 19/01/2024 và số 77/UBND-NC ngày 02/02/2024",
     [("Công văn", "12/UBND-NC", None, D(2024, 1, 5), None, None, None, None),
      ("Công văn", "48/UBND-NC", None, D(2024, 1, 19), None, None, None, None),
      ("Công văn", "77/UBND-NC", None, D(2024, 2, 2), None, None, None, None)]),
    ("Căn cứ Luật Tổ chức chính quyền địa phương ngày 19 tháng 02 năm 2025;",
     [("Luật", None, "Luật Tổ chức chính quyền địa phương", D(2025, 2, 19), None, None, None, None)]),
    ("Căn cứ Luật Ban hành văn bản quy phạm pháp luật số 64/2025/QH15;",
     [("Luật", "64/2025/QH15", "Luật Ban hành văn bản quy phạm pháp luật", None, None, None, None, None)]),
    ("quy định tại Điều 8 và khoản 2 Điều 9 Luật số 15/2012/QH13 về xử lý vi phạm",
     [("Luật", "15/2012/QH13", None, None, "8", None, None, None)]),
    ("Nghị quyết số 27-NQ/TW ngày 09/11/2022 của Hội nghị Trung ương 6",
     [("Nghị quyết", "27-NQ/TW", None, D(2022, 11, 9), None, None, None, None)]),
    ("Ngày 29/6/2026, Bộ trưởng Bộ Xây dựng đã ban hành Quyết định số 1074/QĐ-BXD về việc công bố",
     [("Quyết định", "1074/QĐ-BXD", None, D(2026, 6, 29), None, None, None, None)]),
    ("theo hướng dẫn tại Văn bản số 202/BTTTT-KHTC của Bộ Thông tin và Truyền thông",
     [("Công văn", "202/BTTTT-KHTC", None, None, None, None, None, None)]),
    ("đáp ứng Quy chuẩn QCVN 01:2019/BCT về an toàn",
     [("Quy chuẩn", "QCVN01:2019/BCT", None, None, None, None, None, None)]),
    ("nội dung tại mục 2.3-II Kế hoạch số 17/KH-UBND, ngày 21/01/2021 của UBND tỉnh",
     [("Kế hoạch", "17/KH-UBND", None, D(2021, 1, 21), None, None, None, "2.3-II")]),
    ("Tờ trình số 88/TTr -STP ngày 03/3/2025 của Sở Tư pháp",
     [("Tờ trình", "88/TTr-STP", None, D(2025, 3, 3), None, None, None, None)]),
    ("Thực hiện Kế hoạch số 9/KH- UBND của tỉnh",
     [("Kế hoạch", "9/KH-UBND", None, None, None, None, None, None)]),
    ("Điều 20 Luật Lâm nghiệp, Luật Đất đai và các văn bản hướng dẫn",
     [("Luật", None, "Luật Lâm nghiệp", None, "20", None, None, None),
      ("Luật", None, "Luật Đất đai", None, None, None, None, None)]),
    ("Giấy phép số 318/GP-UBND và Giấy chứng nhận số 12.05/GCN không phải là văn bản được viện dẫn.", []),
    ("Thực hiện pháp luật về đất đai theo Luật này; Luật sư tham gia.", []),
]


@pytest.mark.parametrize("sentence,expected", CASES, ids=[c[0][:40] for c in CASES])
def test_citation_forms(sentence, expected):
    got = find_citations(sentence)
    assert [(c.doc_type, c.ref, c.name, c.cited_date, c.article, c.clause, c.point, c.section) for c in got] == expected
    for c in got:
        assert sentence[c.start:c.end] == c.surface


def test_issuer_from_symbol():
    got = {c.ref: c.issuer for c in find_citations(
        "Nghị định số 59/2012/NĐ-CP, Quyết định số 242/QĐ-TTg, Thông tư số 04/2021/TT-BTP, Công văn số 231/UBND-NC")}
    assert got == {"59/2012/NĐ-CP": "Chính phủ", "242/QĐ-TTg": "Thủ tướng Chính phủ",
                   "04/2021/TT-BTP": "Bộ Tư pháp", "231/UBND-NC": "Ủy ban nhân dân"}


def test_own_number_is_not_a_citation():
    text = "Số: 980/KH-UBND\nKẾ HOẠCH\n(Kèm theo Kế hoạch số 980/KH-UBND ngày 18/11/2025) và Quyết định số 5/QĐ-UBND"
    assert [c.ref for c in find_citations(text, own_ref="980/KH-UBND")] == ["5/QĐ-UBND"]


def test_pinpoints_list_all_articles():
    (c,) = find_citations("Bãi bỏ Điều 4, khoản 2 Điều 5, điểm b khoản 1 Điều 10 của Thông tư số 35/2022/TT-BCA")
    assert [str(p) for p in c.pinpoints] == ["Điều 4", "khoản 2 Điều 5", "điểm b khoản 1 Điều 10"]


def test_amending_law_name_and_nested_law():
    got = find_citations("triển khai Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu trên địa bàn")
    # one mention: the amending law, not nested; the law named inside it is not a second mention
    assert [(c.name, c.nested, c.surface) for c in got] == [
        ("Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu", False, "Luật sửa đổi, bổ sung một số điều của Luật Đấu thầu")]


def test_heading_in_capitals():
    got = find_citations("KẾ HOẠCH\nTHỰC HIỆN CHỈ THỊ SỐ 27/CT-TTG NGÀY 15 THÁNG 8 NĂM 2024 CỦA THỦ TƯỚNG")
    assert [(c.doc_type, c.ref, c.cited_date) for c in got] == [("Chỉ thị", "27/CT-TTG", D(2024, 8, 15))]


def test_norm_ref_ignores_case_space_and_leading_zeros():
    assert norm_ref("04/2021/TT- btp") == norm_ref("4/2021/TT-BTP")
