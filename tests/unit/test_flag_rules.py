"""Issue 11: the flag rules on documents written for these tests, loaded in process into one database.
Each case pairs a false alarm of a real archive (written again here, not copied) with the real finding
next to it, so a rule that stops flagging anything fails too."""
import json

import duckdb
import pytest

from pipeline.run import run

HEAD = ("ỦY BAN NHÂN DÂN\nTỈNH {prov}\nCỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM\nĐộc lập - Tự do - Hạnh phúc\n"
        "Số: {ref}\n{place}, ngày {date}\nBÁO CÁO\nVề công tác theo dõi thi hành pháp luật\n")

DOCS = {
    # two số hiệu one letter apart that are two documents: another year, another type code
    "year_a.txt": HEAD.format(prov="HÀ NAM", ref="21/BC-UBND", place="Hà Nam", date="12 tháng 3 năm 2025")
    + "Căn cứ Nghị định số 08/2025/NĐ-CP ngày 09/01/2025 của Chính phủ;\n"
      "Thực hiện Nghị định số 08/2025/NĐ-CP ngày 09/01/2025, tỉnh đã rà soát các thủ tục.\n"
      "Căn cứ Nghị định số 05/2025/NĐ-CP ngày 06/01/2025 của Chính phủ sửa đổi quy định về môi trường;\n"
      "Các sở thực hiện Nghị định số 05/2025/NĐ-CP ngày 06/01/2025 trong năm.\n",
    "year_b.txt": HEAD.format(prov="NAM ĐỊNH", ref="33/BC-UBND", place="Nam Định", date="15 tháng 9 năm 2025")
    + "Căn cứ Nghị định số 08/2022/NĐ-CP ngày 10/01/2022 của Chính phủ quy định chi tiết Luật Bảo vệ môi trường;\n"
      "Ngày 9/9/2025, Chính phủ ban hành Nghị quyết số 05/2025/NQ-CP về thí điểm thị trường tài sản mã hóa.\n",
    # a consensus of three documents whose year contradicts the số hiệu: never the consensus
    "cons_1.txt": HEAD.format(prov="THÁI BÌNH", ref="40/BC-UBND", place="Thái Bình", date="05 tháng 5 năm 2025")
    + "Căn cứ Nghị định số 14/2023/NĐ-CP ngày 20/5/2021 của Chính phủ về tổ chức các cơ quan chuyên môn;\n",
    "cons_2.txt": HEAD.format(prov="HƯNG YÊN", ref="41/BC-UBND", place="Hưng Yên", date="06 tháng 5 năm 2025")
    + "Căn cứ Nghị định số 14/2023/NĐ-CP ngày 20/5/2021 của Chính phủ về tổ chức các cơ quan chuyên môn;\n",
    "cons_3.txt": HEAD.format(prov="HẢI DƯƠNG", ref="42/BC-UBND", place="Hải Dương", date="07 tháng 5 năm 2025")
    + "Căn cứ Nghị định số 14/2023/NĐ-CP ngày 20/5/2021 của Chính phủ về tổ chức các cơ quan chuyên môn;\n",
    "cons_4.txt": HEAD.format(prov="BẮC NINH", ref="43/BC-UBND", place="Bắc Ninh", date="08 tháng 5 năm 2025")
    + "Căn cứ Nghị định số 14/2023/NĐ-CP ngày 20/5/2023 của Chính phủ về tổ chức các cơ quan chuyên môn;\n",
    # a portal article: its only dates are other documents', so nothing is cited 'after' it
    "article.txt": "Tin bài\nHướng dẫn mới về hóa đơn điện tử\n"
                   "Ngày 15/3/2024, Bộ Tài chính tổ chức hội nghị phổ biến chính sách thuế.\n"
                   "Theo Thông tư số 32/2025/TT-BTC ngày 31/5/2025 của Bộ Tài chính, người bán phải lập hóa đơn.\n",
    # an official report dated before a document it cites: the real finding next to the article
    "after.txt": HEAD.format(prov="NINH BÌNH", ref="45/BC-UBND", place="Ninh Bình", date="20 tháng 3 năm 2025")
    + "Thực hiện Thông tư số 32/2025/TT-BTC ngày 31/5/2025 của Bộ Tài chính hướng dẫn về hóa đơn.\n",
    # totals: every part of the list, and only those
    "totals.txt": HEAD.format(prov="PHÚ THỌ", ref="50/BC-UBND", place="Phú Thọ", date="10 tháng 6 năm 2025")
    + "Huyện có 21 đơn vị hành chính cấp xã, bao gồm 2 thị trấn và 19 xã.\n"
      "Trong năm, huyện ban hành 10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 01 công văn.\n",
    # dates the text does not assert (an ISBN a wiki bot rewrote, help text, the Julian calendar), and a real one
    "wiki.txt": "Lịch sử đơn vị\nSách tham khảo: Lược sử quân khu. ISBN 0-ngày 57 tháng 3 năm 1812.\n"
                "Lỗi thường gặp: ngày không thể xuất hiện (ví dụ, 30 tháng 2 năm 2019) trong tham số ngày.\n"
                "Theo lịch Julian, ngày 29 tháng 2 năm 1800 vẫn có thật ở một số nơi.\n"
                "Kỳ họp kéo dài từ 20 tháng 10 đến 31 tháng 11 năm 2009 tại Hội trường Ba Đình.\n",
    # a symbol of the 1950s names its issuer, not its type; a modern one does
    "old_symbol.txt": "Lịch sử ngành\nNgày 12 tháng 5 năm 1951, Bộ Quốc phòng ra Nghị định số 215/QĐ thành lập Cục Quân y.\n"
                      "Ngày 3 tháng 4 năm 1976, Hội đồng Chính phủ ra Nghị định số 7/NQ/1976 về việc lập tỉnh mới.\n"
                      "Năm 2018, Thủ tướng ký Nghị định số 242/QĐ-TTg ngày 26/02/2018 về theo dõi thi hành pháp luật.\n",
}


@pytest.fixture(scope="module")
def flags(tmp_path_factory):
    root = tmp_path_factory.mktemp("rules")
    (root / "docs").mkdir()
    for name, text in DOCS.items():
        (root / "docs" / name).write_text(text, encoding="utf-8")
    db = root / "f.duckdb"
    run([root / "docs"], db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        return con.execute("""SELECT f.kind, regexp_extract(d.source_path, '[^/]+$') AS file, f.ref, f.expected, f.found,
                                     f.evidence FROM flags f JOIN documents d USING (doc_id) ORDER BY 1, 2, 3""").fetchall()
    finally:
        con.close()


def _of(flags, kind, *files):
    return [r[:5] for r in flags if r[0] == kind and (not files or r[1] in files)]


def test_so_hieu_one_letter_apart_in_year_or_type_code_are_never_merged(flags):
    assert _of(flags, "citation_date_conflict", "year_a.txt", "year_b.txt") == []


def test_a_consensus_whose_year_contradicts_the_so_hieu_is_never_chosen(flags):
    conflicts = _of(flags, "citation_date_conflict", *(f"cons_{i}.txt" for i in range(1, 5)))
    assert {(f, exp, fnd) for _, f, _, exp, fnd in conflicts} == {
        (f"cons_{i}.txt", "2023-05-20", "2021-05-20") for i in (1, 2, 3)}
    assert {r[1] for r in _of(flags, "number_year_mismatch")} >= {"cons_1.txt", "cons_2.txt", "cons_3.txt"}


def test_an_article_without_a_header_date_raises_no_cited_after_citing(flags):
    assert [r[1] for r in _of(flags, "cited_after_citing")] == ["after.txt"]


def test_a_total_raises_only_when_its_listed_parts_disagree(flags):
    assert [(r[3], r[4]) for r in _of(flags, "total_mismatch", "totals.txt")] == [("10", "9")]


def test_dates_the_text_does_not_assert_are_not_impossible(flags):
    (bad,) = _of(flags, "impossible_date")
    assert bad[1] == "wiki.txt" and bad[4].endswith("31 tháng 11 năm 2009")


def test_an_old_issuer_code_does_not_type_its_citation(flags):
    found = [(r[2], r[3], r[4]) for r in _of(flags, "type_symbol_mismatch", "old_symbol.txt")]
    assert found == [("242/QĐ-TTg", "Quyết định", "Nghị định"), ("7/NQ", "Nghị quyết", "Nghị định")]


def test_every_flag_quotes_its_sentence(flags):
    for kind, file, ref, *_, evidence in flags:
        ev = json.loads(evidence)
        assert ev["file"] == file and ev["sentence"], (kind, file, ref)
