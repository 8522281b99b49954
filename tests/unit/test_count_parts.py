"""A count followed by 'gồm / bao gồm / trong đó' is the total of every part listed after it, and of those only;
and what is not a count at all (ratios, multipliers, measures, names, identifiers).  Sentences written for these tests."""
import pytest

from extractors.figures.context import WORDS
from extractors.figures.counts import breakdown_promised, find_counts


def _parts(text: str, total: int) -> list[int]:
    counts = find_counts(text)
    head = next(i for i, c in enumerate(counts) if c.value == total)
    return [c.value for c in counts if c.parent == head]


@pytest.mark.parametrize("text, total, parts", [
    # parts separated by their own words and a separator: all three are parts (199 + 18 + 17 = 234)
    ("Các cụm hiện có 234 dự án, cơ sở sản xuất, trong đó: 199 dự án, cơ sở đang hoạt động; 18 dự án đang triển khai "
     "đầu tư; 17 dự án, cơ sở dừng hoạt động. Tổng kinh phí là 5 tỷ đồng.", 234, [199, 18, 17]),
    # 'và' after the first part's own words: both parts (2 + 19 = 21), so nothing to flag
    ("Huyện có 21 đơn vị hành chính cấp xã, bao gồm 2 thị trấn thuộc huyện và 19 xã.", 21, [2, 19]),
    # names after a part's colon belong to that part
    ("Huyện Hòa Lạc có 17 đơn vị hành chính cấp xã, bao gồm 3 thị trấn: Hòa Lạc, Tân Phú, Mỹ An và 14 xã.", 17, [3, 14]),
    # a stated breakdown that does not add up keeps its three parts (the flag says 9 of 10)
    ("Đã ban hành 10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 01 công văn.", 10, [3, 5, 1]),
    # a document total with its purpose before 'gồm' (an identifier's number in it), the parts one per line
    ("Sở ban hành 06 văn bản triển khai Đề án 06 trên địa bàn, gồm:\n- 02 quyết định;\n- 04 kế hoạch.", 6, [2, 4]),
    # 'cụ thể:' after the list introduces the documents one by one, not parts of the last part
    ("Năm 2024, huyện ban hành 04 văn bản, gồm: 01 chỉ thị, 03 kế hoạch, cụ thể:\n1\nChỉ thị số 01/CT-UBND", 4, [1, 3]),
    # the kinds of a total: administrative units, document types
    ("Tỉnh có 9 đơn vị hành chính cấp huyện, gồm 7 huyện, 1 thị xã và 1 thành phố.", 9, [7, 1, 1]),
])
def test_every_listed_part_belongs_to_its_total(text, total, parts):
    assert _parts(text, total) == parts


@pytest.mark.parametrize("text, total", [
    # parts that count something else than the total
    ("Tỉnh được chia thành 4 vùng sinh thái, gồm 12 huyện và 3 thị xã.", 4),
    ("Lực lượng gồm 2 trung đoàn, gồm 950 chiến sĩ và 40 xe.", 2),
    # a nested list: each part has its own parts
    ("Vùng có 2 tiểu vùng là Bắc Hà (gồm 4 huyện) và Nam Hà (gồm 5 huyện); trung tâm đặt tại Bắc Hà.", 2),
    ("Khu vực có 3 cụm, gồm 2 cụm phía bắc gồm 5 xã và 1 cụm phía nam.", 3),
    # another clause stands between the total and 'gồm'
    ("Đại hội bầu 31 ủy viên, đứng đầu là ban thường vụ gồm 9 ủy viên.", 31),
    # a number of the list that is no part (a part not read, glued to 'và')
    ("Sau sắp xếp, tỉnh có 52 đơn vị hành chính cấp xã, gồm 40 xã và12 phường.", 52),
    ("Vườn có 30 loài cây, gồm 12 loài cây gỗ (chiếm 40%) và 18 loài cây bụi.", 30),
    # a part named without its number ('và thị trấn …', 'thị xã …')
    ("Huyện có 8 đơn vị hành chính trực thuộc, bao gồm 7 xã: Tân Lợi, Tân Hòa, Phú Mỹ và thị trấn Cái Bè.", 8),
    ("Tỉnh có 5 đơn vị hành chính, bao gồm 4 huyện: An Lão, Hoài Ân, Phù Cát, Tuy Phước, thị xã Quy Nhơn.", 5),
])
def test_no_parts_where_the_list_is_not_plain(text, total):
    assert _parts(text, total) == []


def test_a_new_sentence_ends_the_list():
    assert _parts("Năm nay có 12 cuộc, trong đó: 5 cuộc kiểm tra. Ngoài ra còn 7 đợt khảo sát khác.", 12) == [5]


@pytest.mark.parametrize("before, between, promised", [
    ("Huyện có ", " đơn vị hành chính, gồm ", True),
    ("đã ban hành ", " văn bản, bao gồm: ", True),
    ("là ", " người, cụ thể:\n- Cấp tỉnh: Sở Tư pháp ", True),
    ("Trường có ", " giáo viên, trong đó ", False),      # a subset need not add up
    ("có hơn ", " đảo, gồm ", False),                     # an approximate total
    ("khoảng ", " dự án, gồm ", False),
])
def test_breakdown_promised(before, between, promised):
    assert breakdown_promised(before, between) is promised


@pytest.mark.parametrize("text", WORDS["counts"]["not_examples"])
def test_not_counts(text):
    assert find_counts(text) == [], [(c.value, c.unit) for c in find_counts(text)]


@pytest.mark.parametrize("text, value, unit", [
    ("Hồ sơ gồm 03 ảnh khổ 4 x 6 cm.", 3, "ảnh"),                  # the size is not what is counted
    ("Hai bên đã ký biên bản.", 2, "bên"),                          # a number word opening a sentence
    ("Đoàn đã thực hiện 3 lần kiểm tra.", 3, "lần kiểm tra"),   # occasions, not a multiplier
    ("Ban hành 04 quyết định, 02 kế hoạch.", 4, "quyết định"),      # a type word the tagger reads as a verb
])
def test_counts_kept(text, value, unit):
    assert (value, unit) in [(c.value, c.unit) for c in find_counts(text)]


@pytest.mark.parametrize("text, surfaces", [
    # a year, a code and a decimal are no count (counts does not even read them); a longer number is one
    ("Năm 2020 có 12 cuộc kiểm tra, 1990 người, mã đề 0826 câu, 1,5 lần và 20000 thư; 2 cán bộ",
     ["12 cuộc kiểm tra", "20000 thư", "2 cán bộ"]),
    ("Đã có 15000 lượt người và 01234 hồ sơ, 2026 hộ", ["15000 lượt người"]),
])
def test_count_surfaces(text, surfaces):
    assert [c.surface for c in find_counts(text)] == surfaces
