"""Issue 11: total_mismatch only where the text promises that the listed parts make the total, on
sentences written for these tests, each loaded as its own document by the pipeline (in process)."""
import duckdb
import pytest

from pipeline.run import run

CASES = {
    # (text, [(expected, found)] of its total_mismatch flags)
    "parts-add-up": ("Huyện Tân Lộc có 21 đơn vị hành chính cấp xã, bao gồm 2 thị trấn và 19 xã.", []),
    "documents-missing-one": ("Năm 2025, Sở đã tham mưu ban hành 10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 01 công văn.",
                              [("10", "9")]),
    "units-missing-one": ("Thị xã Bình Minh có 13 đơn vị hành chính cấp xã, gồm 7 phường và 5 xã.", [("13", "12")]),
    "names-between-parts": ("Huyện Ngọc Sơn có 19 đơn vị hành chính cấp xã, bao gồm 2 thị trấn: Ngọc Sơn, Tân Thành "
                            "và 17 xã.", []),
    "subset-trong-do": ("Trường có 64 giáo viên, trong đó 41 giáo viên có trình độ thạc sĩ.", []),
    "approximate-total": ("Quần đảo có hơn 100 đảo, gồm 40 đảo nổi và 20 đảo chìm.", []),
    "heads-differ": ("Tỉnh được chia thành 3 tiểu vùng, gồm 11 huyện và 2 thị xã.", []),
    "nested": ("Huyện có 2 tổng là An Lạc (gồm 6 xã) và An Phú (gồm 5 xã); huyện lỵ đặt tại xã An Lạc.", []),
    "measure": ("Thẻ có chiều rộng 54 mm, chiều dài 86 mm, gồm hai mặt in màu.", []),
    "part-not-read": ("Sau sắp xếp, tỉnh có 61 đơn vị hành chính cấp xã, gồm 50 xã và11 phường.", []),
    "named-example-in-list": ("Tỉnh có 400 trường học, bao gồm 30 trường trung học phổ thông, nổi bật là Trường THPT "
                              "chuyên Lê Quý Đôn, 170 trường trung học cơ sở và 180 trường tiểu học.", [("400", "380")]),
    "percent-in-list": ("Vườn quốc gia có 40 loài thú, gồm 12 loài quý hiếm (30%) và 20 loài phổ biến.", []),
}


@pytest.fixture(scope="module")
def flags(tmp_path_factory):
    root = tmp_path_factory.mktemp("totals")
    (root / "raw").mkdir()
    for name, (text, _) in CASES.items():
        (root / "raw" / f"{name}.txt").write_text(text + "\n", encoding="utf-8")
    db = root / "t.duckdb"
    run([root / "raw"], db, workers=1)
    con = duckdb.connect(str(db), read_only=True)
    try:
        rows = con.execute("""SELECT regexp_extract(d.source_path, '([^/]+)\\.txt$', 1), f.expected, f.found
                              FROM flags f JOIN documents d USING (doc_id) WHERE f.kind = 'total_mismatch'""").fetchall()
    finally:
        con.close()
    out = {name: [] for name in CASES}
    for name, expected, found in rows:
        out[name].append((expected, found))
    return out


@pytest.mark.parametrize("name", list(CASES))
def test_total_mismatch(flags, name):
    assert sorted(flags[name]) == CASES[name][1]
