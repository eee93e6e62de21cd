"""Golden files: every plan format on the demo case, and a few CLI runs, byte for byte.

A change in what a plan says shows here as a diff to review. To accept it:
`.venv/bin/pytest -q -p no:cacheprovider tests/test_golden.py --update-goldens` (or
ACHILLES_UPDATE_GOLDENS=1), then read `git diff tests/golden/` before committing (CONTRIBUTING.md).
The plan starts on the case's own `as_of`, so no date depends on the day the tests run.
"""

from __future__ import annotations

import io
import os
from pathlib import Path

import pytest
import yaml
from typer.testing import CliRunner

from achilles.cli import build_app

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = Path(__file__).resolve().parent / "golden"
DEMO = ROOT / "examples" / "cases" / "beds-transformation.yaml"  # what `achilles demo` opens
AS_OF = str(yaml.safe_load(DEMO.read_text())["case"]["as_of"])

app = build_app()
runner = CliRunner()

# golden file -> the CLI run that writes it (the case file is the first argument after the command)
RUNS = {
    "plan.md": ["plan", str(DEMO), "--format", "markdown", "--start", AS_OF],
    "plan.txt": ["plan", str(DEMO), "--format", "text", "--start", AS_OF],
    "plan.html": ["plan", str(DEMO), "--format", "html", "--start", AS_OF],
    "plan.csv": ["plan", str(DEMO), "--format", "csv", "--start", AS_OF],
    "plan.json": ["plan", str(DEMO), "--format", "json", "--start", AS_OF],
    "plan-redacted.md": ["plan", str(DEMO), "--redact", "--start", AS_OF],
    "recommend.json": ["recommend", str(DEMO), "--format", "json"],
}


def _updating(request: pytest.FixtureRequest) -> bool:
    return bool(request.config.getoption("--update-goldens")) or bool(
        os.environ.get("ACHILLES_UPDATE_GOLDENS")
    )


def _check(name: str, got: bytes, request: pytest.FixtureRequest) -> None:
    path = GOLDEN / name
    if _updating(request):
        path.write_bytes(got)
        return
    assert path.exists(), f"{path} is missing: run with --update-goldens and review it"
    want = path.read_bytes()
    if got != want:
        # The first differing line, to say where to look; the whole diff is `git diff` after
        # an update.
        for n, (a, b) in enumerate(zip(got.splitlines(), want.splitlines(), strict=False), 1):
            if a != b:
                pytest.fail(f"{name} line {n} differs:\n  now:    {a!r}\n  golden: {b!r}")
        pytest.fail(f"{name} differs in length ({len(got)} bytes now, {len(want)} golden)")


def _invoke(args: list[str], tmp_path: Path) -> bytes:
    env = {"COLUMNS": "200", "ACHILLES_WORKSPACE": str(tmp_path / "ws.db")}
    result = runner.invoke(app, args, env=env)
    assert result.exit_code == 0, (result.output, result.exception)
    return result.stdout_bytes


@pytest.mark.parametrize("name", sorted(RUNS))
def test_cli_output_matches_golden(name, tmp_path, request):
    _check(name, _invoke(RUNS[name], tmp_path), request)


def test_docx_matches_golden(tmp_path, request):
    """A Word file is a zip with its own timestamps: the golden is what a reader sees in it
    (page size, header, footer, every paragraph with its style, every table cell)."""
    from docx import Document

    out = tmp_path / "plan.docx"
    _invoke(["plan", str(DEMO), "--format", "docx", "--start", AS_OF, "--out", str(out)], tmp_path)
    doc = Document(io.BytesIO(out.read_bytes()))
    s = doc.sections[0]
    lines = [
        f"page {s.page_width.mm:.0f} x {s.page_height.mm:.0f} mm",
        f"header: {s.header.paragraphs[0].text}",
        f"footer: {s.footer.paragraphs[0].text}",
    ]
    body = doc.element.body
    tables = iter(doc.tables)
    paragraphs = iter(doc.paragraphs)
    for child in body.iterchildren():
        tag = child.tag.rsplit("}", 1)[-1]
        if tag == "p":
            p = next(paragraphs)
            lines.append(f"[{p.style.name}] {p.text}")
        elif tag == "tbl":
            for row in next(tables).rows:
                lines.append("| " + " | ".join(c.text for c in row.cells) + " |")
    _check("plan.docx.txt", ("\n".join(lines) + "\n").encode(), request)
