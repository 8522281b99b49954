"""Labels in Vietnamese (default) and English, Vietnamese number notation (``1.120``, ``51,4 %``)."""
from __future__ import annotations

import math

LABELS = {
    "vi": {
        "app": "vanban", "overview": "Tổng quan", "documents": "Văn bản", "flags": "Cảnh báo", "cited": "Văn bản được trích dẫn",
        "compare": "So sánh", "search": "Tìm trong văn bản", "search_btn": "Tìm", "status": "Trạng thái", "format": "Định dạng",
        "province": "Tỉnh (như ghi)", "province_2025": "Tỉnh (sau sáp nhập 2025)", "doc_type": "Loại văn bản", "year": "Năm",
        "has_flags": "Có cảnh báo", "file": "Tệp", "ref": "Số hiệu", "issue_date": "Ngày ban hành", "subject": "Trích yếu",
        "n_citations": "Trích dẫn", "n_flags": "Cảnh báo", "total_docs": "Tổng số văn bản", "kind": "Loại",
        "severity": "Mức độ", "message": "Nội dung", "evidence": "Bằng chứng", "per_100": "Cảnh báo / 100 văn bản",
        "documents_n": "Văn bản", "flags_n": "Cảnh báo", "page": "Trang", "prev": "Trước", "next": "Sau",
        "results": "kết quả", "download": "Tải về", "clear_filters": "Bỏ lọc", "all": "Tất cả", "yes": "có", "no": "không",
        "metadata": "Thông tin", "text": "Toàn văn", "citations": "Trích dẫn", "citing_same": "văn bản cùng trích dẫn",
        "in_archive": "trong kho", "data_changed": "Dữ liệu đã thay đổi — tải lại trang để xem bản mới.",
        "data_as_of": "Dữ liệu lúc", "busy": "Cơ sở dữ liệu đang được ghi; hiển thị bản chụp trước.",
        "mentions": "Lượt trích dẫn", "citing_documents": "Số văn bản trích dẫn", "dates_cited": "Ngày được ghi",
        "consensus": "Ngày đa số", "catalog_date": "Ngày theo danh mục", "catalog_title": "Tên theo danh mục",
        "cited_by": "Được trích bởi", "validity": "Hiệu lực", "issuer": "Cơ quan ban hành", "by": "Theo", "metric": "Chỉ số",
        "from_year": "Từ năm", "to_year": "Đến năm", "provinces": "Các tỉnh", "show": "Xem", "not_found": "Không tìm thấy",
        "signer": "Người ký", "n_pages": "Số trang", "source_path": "Đường dẫn", "text_source": "Nguồn chữ",
        "expected": "Mong đợi", "found": "Tìm thấy", "legend": "Chú giải", "staffing": "Nhân sự", "budget": "Kinh phí",
        "deadline": "Thời hạn", "count": "Số lượng", "citation": "Trích dẫn", "flag": "Cảnh báo", "flags_metric": "Cảnh báo",
        "review_off": "Chỉ đọc: mở bằng 'vanban serve --allow-review' để ghi nhận xem xét cảnh báo.",
        "decision": "Xem xét", "confirmed": "Xác nhận", "false_alarm": "Báo động nhầm", "note": "Ghi chú", "details": "Giá trị",
    },
    "en": {
        "app": "vanban", "overview": "Overview", "documents": "Documents", "flags": "Flags", "cited": "Cited documents",
        "compare": "Compare", "search": "Search the texts", "search_btn": "Search", "status": "Status", "format": "Format",
        "province": "Province (as written)", "province_2025": "Province (after 2025 merger)", "doc_type": "Type", "year": "Year",
        "has_flags": "Has flags", "file": "File", "ref": "Số hiệu", "issue_date": "Issue date", "subject": "Subject",
        "n_citations": "Citations", "n_flags": "Flags", "total_docs": "Documents in total", "kind": "Kind",
        "severity": "Severity", "message": "Message", "evidence": "Evidence", "per_100": "Flags per 100 documents",
        "documents_n": "Documents", "flags_n": "Flags", "page": "Page", "prev": "Previous", "next": "Next",
        "results": "results", "download": "Download", "clear_filters": "Clear filters", "all": "All", "yes": "yes", "no": "no",
        "metadata": "Metadata", "text": "Text", "citations": "Citations", "citing_same": "documents citing it",
        "in_archive": "in the archive", "data_changed": "The data changed — reload the page to see it.",
        "data_as_of": "Data as of", "busy": "The database is being written; showing the previous snapshot.",
        "mentions": "Mentions", "citing_documents": "Citing documents", "dates_cited": "Dates written",
        "consensus": "Consensus date", "catalog_date": "Catalog date", "catalog_title": "Catalog title",
        "cited_by": "Cited by", "validity": "Validity", "issuer": "Issuer", "by": "By", "metric": "Metric",
        "from_year": "From year", "to_year": "To year", "provinces": "Provinces", "show": "Show", "not_found": "Not found",
        "signer": "Signer", "n_pages": "Pages", "source_path": "Path", "text_source": "Text source",
        "expected": "Expected", "found": "Found", "legend": "Legend", "staffing": "Staffing", "budget": "Budget",
        "deadline": "Deadline", "count": "Count", "citation": "Citation", "flag": "Flag", "flags_metric": "Flags",
        "review_off": "Read-only: start with 'vanban serve --allow-review' to record decisions on flags.",
        "decision": "Decision", "confirmed": "Confirmed", "false_alarm": "False alarm", "note": "Note", "details": "Values",
    },
}


def labels(lang: str) -> dict[str, str]:
    return LABELS.get(lang, LABELS["vi"])


def num(v, lang: str = "vi") -> str:
    """``1120`` → ``1.120`` (``1,120`` in English); ``51.4`` → ``51,4``; None/NaN → empty."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    if isinstance(v, bool):
        return str(v)
    if isinstance(v, int) or (isinstance(v, float) and v.is_integer() and abs(v) >= 1000):
        s = f"{int(v):,}"
    elif isinstance(v, float):
        s = f"{v:,.1f}"
    else:
        try:
            return num(int(v), lang)
        except (TypeError, ValueError):
            return str(v)
    return s if lang == "en" else s.replace(",", "\0").replace(".", ",").replace("\0", ".")


def pct(v, lang: str = "vi") -> str:
    """``0.514`` → ``51,4 %``."""
    if v is None or (isinstance(v, float) and math.isnan(v)):
        return ""
    return num(round(float(v) * 100, 1), lang) + " %"
