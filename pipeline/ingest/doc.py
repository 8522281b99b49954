"""The legacy Word reader (.doc, Word 97–2003) through antiword or catdoc."""
from __future__ import annotations

from .raw import ReadError

DOC_TOOLS = (("antiword", ["antiword", "-w", "0", "-m", "UTF-8.txt"]), ("catdoc", ["catdoc", "-d", "utf-8", "-w"]))


def read_doc(data: bytes) -> list[str]:
    """A Word 97–2003 file through antiword, else catdoc (Debian packages); pages split at form feeds."""
    import shutil
    import subprocess
    import tempfile
    tools = [(name, argv) for name, argv in DOC_TOOLS if shutil.which(name)]
    if not tools:
        raise ReadError("unsupported_format", "a legacy Word file (.doc): install antiword or catdoc to read it")
    with tempfile.NamedTemporaryFile(suffix=".doc") as f:
        f.write(data)
        f.flush()
        problems = []
        for name, argv in tools:
            r = subprocess.run([*argv, f.name], capture_output=True, timeout=120)
            text = r.stdout.decode("utf-8", "replace")
            if r.returncode == 0 and text.strip():
                return [p for p in text.split("\f")] or [text]
            problems.append(f"{name}: {r.stderr.decode('utf-8', 'replace').strip().splitlines()[:1] or ['no text']}")
    raise ReadError("unreadable", f"legacy Word file not readable ({'; '.join(problems)})")
