"""Issue 11: the causes of false flags on a real archive, with sentences written for these tests
(../notes/flag_cases.yaml).  Cross-document cases run through tests/e2e/test_flags.py."""
import pytest

from extractors.citations import find_citations
from extractors.dates import find_dates
from extractors.metadata import extract_metadata
from pipeline.checks import ref_key, split_key


def test_dotted_so_hieu_is_a_citation_not_a_date():
    text = "Thực hiện Nghị quyết số 66.4/2025/NQ-CP ngày 30 tháng 6 năm 2025 của Chính phủ về thủ tục đầu tư."
    (c,) = find_citations(text)
    assert (c.ref, c.doc_type, str(c.cited_date)) == ("66.4/2025/NQ-CP", "Nghị quyết", "2025-06-30")
    assert all(d.value is not None for d in find_dates(text))
    assert ref_key("66.7/2025/NQ-CP") != ref_key("667/2025/NQ-CP")


def test_portal_form_of_a_dotted_number():
    refs = [c.ref for c in find_citations("Toàn văn Nghị quyết 66 12/2025/NQ-CP về xử lý vướng mắc đất đai.")]
    assert "12/2025/NQ-CP" not in refs


@pytest.mark.parametrize("text", ["^ \"Floods in the Delta\", Saigon Daily News, 5/27/1968, tr. 3.",
                                  "Nguồn: ISBN 978-0-19-8245-112; doi:10.1016/0013-4686-88.3.1992."])
def test_us_dates_isbn_and_doi_are_not_dates(text):
    assert find_dates(text) == []


def test_capital_ngay_opening_the_next_sentence_is_not_attached():
    (c,) = find_citations("Đối tượng hưởng tiền thưởng theo Nghị định 41/2024/NĐ-CP Ngày 03 tháng 10 năm 2025, Sở Tài chính đã gửi văn bản.")
    assert c.cited_date is None


@pytest.mark.parametrize("text,code_type", [
    ("Ngày 02/4/2025, Cục Thuế ban hành Công văn 512/CT-CS hướng dẫn khai thuế.", None),
    ("Thực hiện Quyết định số 15/CT-TTg ngày 06/5/2025 của Thủ tướng Chính phủ.", "Chỉ thị"),
])
def test_ct_is_a_chi_thi_only_before_an_issuer(text, code_type):
    assert find_citations(text)[0].code_type == code_type


def test_two_so_hieu_differing_in_year_keep_their_years():
    assert split_key(ref_key("14/2023/NĐ-CP"))[1] == "2023" and split_key(ref_key("14/2021/NĐ-CP"))[1] == "2021"


def test_a_text_whose_only_dates_are_cited_has_no_issue_date():
    text = ("QUYẾT ĐỊNH\nVề việc công bố danh mục thủ tục hành chính\n"
            "Căn cứ Luật Tổ chức chính quyền địa phương ngày 16 tháng 6 năm 2025;\n"
            "Căn cụ Nghị định số 63/2010/NĐ-CP ngày 08 tháng 6 năm 2010 của Chính phủ;\n")
    m = extract_metadata(text, find_citations(text))
    assert m.issue_date is None and str(m.issue_date_not_before) == "2025-06-16"


def test_place_date_line_gives_the_date():
    text = ("ỦY BAN NHÂN DÂN\nTỈNH LẠNG SƠN\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
            "Số: 512/QĐ-UBND\nLạng Sơn, ngày 04 tháng 9 năm 2025\nQUYẾT ĐỊNH\nCăn cứ Luật Đầu tư công ngày 29 tháng 11 năm 2024;\n")
    m = extract_metadata(text, find_citations(text))
    assert (str(m.issue_date), m.province, m.official) == ("2025-09-04", "Lạng Sơn", True)


@pytest.mark.parametrize("text", [
    "Bài thơ được cho là do Chủ tịch Hồ Chí Minh viết năm 1941 khi Người ở hang Pác Bó.",
    "Hàng hóa bị cấm theo điều ước quốc tế mà nước Cộng hòa xã hội chủ nghĩa Việt Nam là thành viên thì không được tạm nhập.",
    "Ông Trần Văn Khải sinh ngày 12 tháng 3 năm 1958 tại xã Yên Lạc. Ngày 20/7/2016, Thủ tướng ký Quyết định số 812/QĐ-TTg.",
])
def test_articles_have_no_province_or_own_date(text):
    m = extract_metadata(text, find_citations(text))
    assert m.province is None and m.issue_date is None and not m.official
