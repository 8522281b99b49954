"""A count followed by 'gồm / bao gồm / trong đó' is the total of every part listed after it, and of those only."""
import pytest

from extractors.figures.counts import find_counts


@pytest.mark.parametrize("text, total, parts", [
    # parts separated by their own words and a separator: all three are parts (199 + 18 + 17 = 234)
    ("Các cụm hiện có 234 dự án, cơ sở sản xuất, trong đó: 199 dự án, cơ sở đang hoạt động; 18 dự án đang triển khai "
     "đầu tư; 17 dự án, cơ sở dừng hoạt động. Tổng kinh phí là 5 tỷ đồng.", 234, [199, 18, 17]),
    # 'và' after the first part's own words: both parts (2 + 19 = 21), so nothing to flag
    ("Huyện có 21 đơn vị hành chính cấp xã, bao gồm 2 thị trấn thuộc huyện và 19 xã.", 21, [2, 19]),
    # a stated breakdown that does not add up keeps its three parts (the flag says 9 of 10)
    ("Đã ban hành 10 văn bản, gồm: 03 chỉ thị, 05 kế hoạch, 01 công văn.", 10, [3, 5, 1]),
])
def test_every_listed_part_belongs_to_its_total(text, total, parts):
    counts = find_counts(text)
    head = next(i for i, c in enumerate(counts) if c.value == total)
    assert [c.value for c in counts if c.parent == head] == parts


def test_a_new_sentence_ends_the_list():
    counts = find_counts("Năm nay có 12 cuộc, trong đó: 5 cuộc kiểm tra. Ngoài ra còn 7 đợt khảo sát khác.")
    twelve = next(i for i, c in enumerate(counts) if c.value == 12)
    assert [c.value for c in counts if c.parent == twelve] == [5]
