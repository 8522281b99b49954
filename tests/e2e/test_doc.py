"""A legacy Word (.doc) file, written by hand here (a compound file holding a Word 97 text stream), loads ok."""
import struct

import duckdb
from conftest import run_cli

from pipeline.ingest import read as reader


def word97(text: str) -> bytes:
    """A minimal Word 97 file: an OLE compound file with one WordDocument stream of UTF-16 text."""
    body = text.encode("utf-16-le")
    fib = bytearray(0x400)
    struct.pack_into("<HH", fib, 0, 0xA5EC, 0x00C1)                  # wIdent, nFib (Word 97)
    struct.pack_into("<H", fib, 0x0A, 0x1000)                        # fExtChar: 16-bit text
    struct.pack_into("<II", fib, 0x18, 0x400, 0x400 + len(body))     # fcMin, fcMac
    struct.pack_into("<I", fib, 0x4C, len(body) // 2)                # ccpText
    stream = bytes(fib) + body
    stream += b"\0" * (max(4096, -(-len(stream) // 512) * 512) - len(stream))
    n = len(stream) // 512                                          # sectors: FAT, directory, stream
    fat = [0xFFFFFFFD, 0xFFFFFFFE] + [3 + i for i in range(n - 1)] + [0xFFFFFFFE]
    fat += [0xFFFFFFFF] * (128 - len(fat))
    hdr = bytearray(512)
    hdr[0:8] = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
    struct.pack_into("<HHHHH", hdr, 0x18, 0x3E, 3, 0xFFFE, 9, 6)
    struct.pack_into("<IIII", hdr, 0x2C, 1, 1, 0, 4096)             # FAT sectors, directory start, -, mini cutoff
    struct.pack_into("<IIII", hdr, 0x3C, 0xFFFFFFFE, 0, 0xFFFFFFFE, 0)
    struct.pack_into("<109I", hdr, 0x4C, 0, *[0xFFFFFFFF] * 108)

    def entry(name, kind, child, start, size):
        e = bytearray(128)
        u = (name + "\0").encode("utf-16-le")
        e[:len(u)] = u
        struct.pack_into("<HBB", e, 0x40, len(u), kind, 1)
        struct.pack_into("<III", e, 0x44, 0xFFFFFFFF, 0xFFFFFFFF, child)
        struct.pack_into("<II", e, 0x74, start, size)
        return bytes(e)
    dirs = entry("Root Entry", 5, 1, 0xFFFFFFFE, 0) + entry("WordDocument", 2, 0xFFFFFFFF, 2, len(stream))
    return bytes(hdr) + struct.pack("<128I", *fat) + dirs + b"\0" * (512 - len(dirs)) + stream


TEXT = ("ỦY BAN NHÂN DÂN TỈNH AN GIANG\rSố: 12/BC-UBND\rAn Giang, ngày 05 tháng 3 năm 2024\rBÁO CÁO\r"
        "Thực hiện Nghị định số 59/2012/NĐ-CP ngày 23/7/2012 của Chính phủ về theo dõi tình hình thi hành pháp luật.\r")


def test_doc_loads_ok_with_its_citations(tmp_path):
    raw = tmp_path / "raw"
    raw.mkdir()
    (raw / "angiang_bc12.doc").write_bytes(word97(TEXT))
    db = tmp_path / "d.duckdb"
    res = run_cli("run", str(raw), "--db", str(db), "--quiet")
    assert res.returncode == 0, res.stderr
    con = duckdb.connect(str(db), read_only=True)
    assert con.execute("SELECT format, status FROM documents").fetchone() == ("doc", "ok")
    assert ("59/2012/NĐ-CP", "2012-07-23") in [(r, str(d)) for r, d in con.execute("SELECT ref, cited_date FROM citations").fetchall()]


def test_doc_without_tools_is_unsupported_with_a_hint(tmp_path, monkeypatch):
    import shutil
    monkeypatch.setattr(shutil, "which", lambda name: None)
    path = tmp_path / "a.doc"
    path.write_bytes(word97(TEXT))
    doc = reader.read_document(path)
    assert doc.status == "unsupported_format" and "antiword or catdoc" in doc.error
