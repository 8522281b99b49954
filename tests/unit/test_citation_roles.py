"""The citation graph: roles of mentions (vocabulary examples), supersession statements, links."""
import pytest

from extractors import citation_roles as cr, vocab
from extractors.citations import find_citations
from extractors.relations import find_implements

EXAMPLES = vocab.load("citation_roles.yaml")["examples"]


def _mentions(text):
    return [cr.Mention(c.start, c.end, c.ref, c.article is not None) for c in find_citations(text)]


@pytest.mark.parametrize("ex", EXAMPLES, ids=[e["ref"] for e in EXAMPLES])
def test_role_examples(ex):
    cites = find_citations(ex["text"])
    roles = cr.roles(ex["text"], [cr.Mention(c.start, c.end, c.ref) for c in cites])
    got = {c.ref: r.role for c, r in zip(cites, roles)}
    assert got[ex["ref"]] == ex["role"]


def test_every_role_has_an_example():
    assert {e["role"] for e in EXAMPLES} == set(cr.ROLES)


@pytest.mark.parametrize("text, target, by, relation", [
    ("Thông tư này có hiệu lực từ ngày 05/8/2021 và thay thế Thông tư số 14/2014/TT-BTP ngày 15/5/2014.",
     "14/2014/TT-BTP", None, "replaced"),
    ("Thông tư số 04/2021/TT-BTP ngày 21/6/2021 của Bộ Tư pháp thay thế Thông tư số 14/2014/TT-BTP.",
     "14/2014/TT-BTP", "04/2021/TT-BTP", "replaced"),
    ("Thông tư số 14/2014/TT-BTP đã được thay thế bằng Thông tư số 04/2021/TT-BTP ngày 21/6/2021.",
     "14/2014/TT-BTP", "04/2021/TT-BTP", "replaced"),
    ("Căn cứ Nghị định số 02/2025/NĐ-CP ngày 18/02/2025 được sửa đổi, bổ sung bởi Nghị định số 11/2025/NĐ-CP;",
     "02/2025/NĐ-CP", "11/2025/NĐ-CP", "amended"),
    ("Góp ý dự thảo Quyết định sửa đổi Quyết định số 2269/QĐ-TTg ngày 31/12/2021.", None, None, None),
    ("Thông tư số 133/2016/TT-BTC có bị thay thế bởi Thông tư số 99/2025/TT-BTC không?", None, None, None),
    ("Điều 8 Thông tư số 22/2021/TT-BNNPTNT có cụm từ bị thay thế bởi Thông tư số 22/2023/TT-BNNPTNT.",
     "22/2021/TT-BNNPTNT", "22/2023/TT-BNNPTNT", "amended"),
    ("Điều 37 Thông tư số 37/2025/TT-BCA quy định 7 Thông tư hết hiệu lực kể từ ngày 01/7/2025.", None, None, None),
    ("Thông tư số 94/2025/TT-BTC ngày 14 tháng 10 năm 2025 của Bộ Tài chính sửa đổi, bổ sung một\nsố điều của "
     "Thông tư số 80/2021/TT-BTC ngày 29 tháng 9 năm 2021.", "80/2021/TT-BTC", "94/2025/TT-BTC", "amended"),
    ("Các biểu mẫu không sửa đổi, bổ sung, thay thế, bãi bỏ tại Nghị định này và Nghị định số 151/2025/NĐ-CP thì "
     "tiếp tục thực hiện.", None, None, None),
    ("Các thủ tục hành chính đã công bố tại Quyết định số 2194/QĐ-UBND ngày 26/6/2025 hết hiệu lực kể từ ngày "
     "Quyết định này có hiệu lực.", "2194/QĐ-UBND", None, "amended"),
    ("Các thủ tục hành chính tương ứng đã công bố tại các Quyết định số 3684/QĐ-BVHTTDL ngày 27/12/2022;\nQuyết định "
     "số 4347/QĐ-BVHTTDL ngày 14/11/2025 hết hiệu lực kể từ ngày ký.", "4347/QĐ-BVHTTDL", None, "amended"),
    ("Theo quy định trên, Thông tư số 133/2016/TT-BTC không bị thay thế bởi Thông tư số 99/2025/TT-BTC.", None, None, None),
    ("Điều 2. Bãi bỏ Quyết định số 25/2019/QĐ-UBND ngày 14/8/2019 của Ủy ban nhân dân tỉnh.",
     "25/2019/QĐ-UBND", None, "repealed"),
    ("Bãi bỏ Điều 5 của Quyết định số 25/2019/QĐ-UBND ngày 14/8/2019.", "25/2019/QĐ-UBND", None, "amended"),
    ("Mẫu số 05 được quy định tại Phụ lục II ban hành kèm theo Nghị định số 88/2025/NĐ-CP (thay thế Nghị định số "
     "41/2019/NĐ-CP).", "41/2019/NĐ-CP", "88/2025/NĐ-CP", "amended"),
    ("Theo Điều 19 Quy định số 366-QĐ/TW thì Quy định có hiệu lực từ ngày 30/8/2025 và thay thế Quy định số 124-QĐ/TW.",
     "124-QĐ/TW", "366-QĐ/TW", "replaced"),
    ("Mẫu TK02 ban hành kèm theo Thông tư số 19/2025/TT-BCA thay thế mẫu TK02 ban hành kèm theo Thông tư số "
     "31/2020/TT-BCA.", "31/2020/TT-BCA", "19/2025/TT-BCA", "amended"),
])
def test_supersessions(text, target, by, relation):
    ms = _mentions(text)
    found = cr.supersessions(text, ms)
    got = [(ms[s.target].ref, ms[s.by].ref if s.by is not None else None, s.relation) for s in found]
    assert got == ([(target, by, relation)] if target else [])


def test_ceases_with_its_date():
    text = "Quyết định số 12/2017/QĐ-UBND ngày 03/5/2017 hết hiệu lực kể từ ngày 01/01/2024."
    (s,) = cr.supersessions(text, _mentions(text))
    assert (s.relation, str(s.since)) == ("repealed", "2024-01-01")


def test_a_report_that_mentions_replacing_words_far_away_is_a_reference():
    text = ("Việc thay thế trang thiết bị đã hoàn thành trong năm; đến nay các đơn vị tiếp tục báo cáo theo "
            "Công văn số 415/UBND-NC ngày 02/3/2023 của UBND tỉnh.")
    assert [r.role for r in cr.roles(text, _mentions(text))] == ["reference"]
    assert cr.supersessions(text, _mentions(text)) == []


def test_replaced_from_the_day_the_replacing_text_takes_effect():
    text = "Thông tư này có hiệu lực kể từ ngày 05 tháng 8 năm 2021 và thay thế Thông tư số 14/2014/TT-BTP ngày 15/5/2014."
    (s,) = cr.supersessions(text, _mentions(text))
    assert (s.by, s.relation, str(s.since)) == (None, "replaced", "2021-08-05")


def test_replaced_from_the_day_given_before_a_semicolon():
    text = "Nghị định này có hiệu lực thi hành từ ngày 01/03/2025; thay thế Nghị định số 28/2023/NĐ-CP ngày 02/6/2023."
    (s,) = cr.supersessions(text, _mentions(text))
    assert (s.by, s.relation, str(s.since)) == (None, "replaced", "2025-03-01")


@pytest.mark.parametrize("text, links", [
    ("Sở đã ban hành Kế hoạch số 15/KH-STP ngày 02/3/2024 để triển khai thực hiện Thông tư số 04/2021/TT-BTP.",
     [("15/KH-STP", "04/2021/TT-BTP")]),
    # the role word stands before a law named in between, not before the Thông tư
    ("Nghị định số 105/2025/NĐ-CP quy định chi tiết một số điều của Luật Phòng cháy, chữa cháy và cứu nạn, cứu hộ\n"
     "Thông tư số 15/2026/TT-BCT ngày 25/3/2026 của Bộ Công Thương", []),
    # where the detail is, not what implements what
    ("Quy định tại Điều 3 Quyết định số 266/2025/QĐ-CTN đã được quy định chi tiết tại khoản 1 Điều 4 Nghị định số "
     "52/2019/NĐ-CP ngày 14/6/2019.", []),
    # a title repeated: never a document implementing itself
    ("Công văn 4998: triển khai thực hiện Nghị định 188/2025/NĐ-CP ra sao?\n\nCông văn 4998: triển khai thực hiện "
     "Nghị định 188/2025/NĐ-CP theo hướng dẫn", []),
    # listed documents: the one right after the purpose words
    ("Căn cứ Thông tư số 03/2025/TT-VPCP ngày 15/9/2025 hướng dẫn thi hành một số nội dung của Nghị định số "
     "118/2025/NĐ-CP ngày 09/6/2025 của Chính phủ;", [("03/2025/TT-VPCP", "118/2025/NĐ-CP")]),
])
def test_implements_links_come_from_the_roles(text, links):
    cites = find_citations(text)
    assert [(cites[k.implementer].ref, cites[k.implemented].ref) for k in find_implements(text, cites)] == links
