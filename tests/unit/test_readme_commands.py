"""README's command table names every command and every option of it."""
import re
from pathlib import Path

import typer

from pipeline.cli import app

README = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")


def test_every_option_is_in_the_command_table():
    rows = {m.group(1): m.group(0) for m in re.finditer(r"^\| `vanban (\w+)[^\n]*", README, re.M)}
    cmd = typer.main.get_command(app)
    missing = []
    for name, sub in cmd.commands.items():
        row = rows.get(name)
        if row is None:
            missing.append(name)
            continue
        for p in sub.params:
            opts = [o for o in p.opts if o.startswith("--")]
            if opts and opts[0] != "--help" and not any(o in row for o in opts):
                missing.append(f"{name} {opts[0]}")
    assert missing == []
