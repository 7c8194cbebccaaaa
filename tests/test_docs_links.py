"""Every relative link in the user documentation resolves inside the repository.

A user's clone has only the repository: a link to a file that is not in it (the
development machine's ``../shared/``), to a file that moved, or to a heading that was
renamed is a dead end for them. Anchors are checked the way GitHub renders headings.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DOCS = ["README.md", "CHANGELOG.md", "benchmarks/README.md", *sorted(
    str(path.relative_to(ROOT)) for path in (ROOT / "docs").glob("*.md"))]

FENCE = re.compile(r"^(```|~~~).*?^\1", re.S | re.M)
CODE_SPAN = re.compile(r"(`+).+?\1", re.S)
INLINE_LINK = re.compile(r"!?\[(?:[^\]\[]|\[[^\]]*\])*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
REFERENCE_LINK = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*<?(\S+?)>?(?:\s+.*)?$", re.M)
HEADING = re.compile(r"^#{1,6}\s+(.+?)\s*#*\s*$", re.M)


def prose(text: str) -> str:
    """The text without code blocks and code spans, where brackets are not links."""
    return CODE_SPAN.sub("", FENCE.sub("", text))


def slug(heading: str) -> str:
    """The anchor GitHub gives a heading: lower case, punctuation dropped, spaces to '-'."""
    text = re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", heading)  # a link in a heading: its text
    text = text.replace("`", "").strip().lower()
    text = re.sub(r"[^\w\- ]", "", text)
    return text.replace(" ", "-")


def anchors(path: Path) -> set[str]:
    """Every anchor of a Markdown file, numbered like GitHub's when headings repeat."""
    seen: dict[str, int] = {}
    found = set()
    for heading in HEADING.findall(FENCE.sub("", path.read_text(encoding="utf-8"))):
        base = slug(heading)
        count = seen.get(base, 0)
        seen[base] = count + 1
        found.add(base if count == 0 else f"{base}-{count}")
    return found


def links(path: Path) -> list[str]:
    text = prose(path.read_text(encoding="utf-8"))
    return INLINE_LINK.findall(text) + REFERENCE_LINK.findall(text)


def broken_links(path: Path, root: Path = ROOT) -> list[str]:
    """The links of one file that do not resolve to a file (and heading) inside root."""
    broken = []
    for target in links(path):
        if re.match(r"[a-z][a-z0-9+.-]*:", target, re.I):  # http:, https:, mailto:
            continue
        file_part, _, anchor = target.partition("#")
        resolved = (path.parent / file_part).resolve() if file_part else path
        if not resolved.is_relative_to(root.resolve()):
            broken.append(f"{target}: outside the repository")
        elif not resolved.exists():
            broken.append(f"{target}: no such file")
        elif anchor and (resolved.is_dir() or anchor not in anchors(resolved)):
            broken.append(f"{target}: no heading with anchor #{anchor} in {resolved.name}")
    return broken


@pytest.mark.parametrize("name", DOCS)
def test_links_resolve_inside_the_repository(name: str) -> None:
    path = ROOT / name
    assert path.exists(), f"{name} is missing"
    assert broken_links(path) == [], f"{name} has broken links"


def test_the_readme_links_the_contract_and_the_benchmarks() -> None:
    targets = links(ROOT / "README.md")
    assert any(t.startswith("docs/contract.md") for t in targets)
    assert any(t.startswith("benchmarks/README.md") for t in targets)


def test_broken_links_are_found(tmp_path: Path) -> None:
    """The checker itself: each kind of dead link is reported, good ones are not."""
    (tmp_path / "docs").mkdir()
    (tmp_path / "docs" / "guide.md").write_text("# Guide\n\n## Grading on a cluster (Dask)\n\n## Tips\n\n## Tips\n")
    readme = tmp_path / "README.md"
    readme.write_text(
        "# Title\n\n## Three backends: `--sandbox auto|none`\n\n"
        "[ok](docs/guide.md) [ok](docs/guide.md#grading-on-a-cluster-dask) [ok](#title)\n"
        "[ok](#three-backends---sandbox-autonone) [ok](docs/guide.md#tips-1) [ok](https://example.org/x)\n"
        "[ok](docs/) `[not a link](nowhere.md)`\n\n```\n[not a link](nowhere.md)\n```\n"
        "[outside](../shared/CONTRACT.md) [missing](docs/gone.md) [anchor](docs/guide.md#grading)\n"
        "[local anchor](#nothing) [ref]\n\n[ref]: docs/also-gone.md\n")
    assert broken_links(readme, tmp_path) == [
        "../shared/CONTRACT.md: outside the repository",
        "docs/gone.md: no such file",
        "docs/guide.md#grading: no heading with anchor #grading in guide.md",
        "#nothing: no heading with anchor #nothing in README.md",
        "docs/also-gone.md: no such file",
    ]
