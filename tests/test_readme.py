"""The Chinese README (README.zh-CN.md) is a complete edition of README.md, not a drifting copy.

The two files must have the same structure: headings of the same levels in the same order, the same
fenced code blocks (identical text, same order), the same tables (rows x columns, same order), the
same inline code spans (commands, keys, paths, messages are never translated) and the same relative
link targets, each of which must exist inside the repository. Each file starts with a one-line
switch to the other. A section added to README.md without its translation fails here.
"""

import re
from collections import Counter
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
ENGLISH = ROOT / "README.md"
CHINESE = ROOT / "README.zh-CN.md"
SWITCH = {ENGLISH: "[中文说明](README.zh-CN.md)", CHINESE: "[English](README.md)"}

FENCE = re.compile(r"^(```|~~~)")
HEADING = re.compile(r"^(#{1,6})\s+\S")
LINK = re.compile(r"!?\[[^\]]*\]\(\s*<?([^)\s>]+)>?(?:\s+\"[^\"]*\")?\s*\)")
INLINE_CODE = re.compile(r"(`+)(.+?)\1", re.DOTALL)
SCHEME = re.compile(r"^[a-zA-Z][a-zA-Z0-9+.-]*:")


def split(text: str) -> tuple[list[str], list[str]]:
    """The prose lines (code blocks blanked) and the fenced code blocks (fence lines included) of a text."""
    prose, blocks, block = [], [], None
    for line in text.splitlines():
        if block is None and FENCE.match(line):
            block = [line]
            prose.append("")
        elif block is not None:
            block.append(line)
            prose.append("")
            if line.strip() == block[0][:3]:
                blocks.append("\n".join(block))
                block = None
        else:
            prose.append(line)
    assert block is None, f"unclosed code block: {block[0]!r}"
    return prose, blocks


def parse(path: Path) -> dict:
    """The structure of one README: headings, code blocks, tables, inline code and link targets."""
    prose, blocks = split(path.read_text(encoding="utf-8"))
    headings = [len(m.group(1)) for line in prose if (m := HEADING.match(line))]
    tables, rows = [], []
    for line in [*prose, ""]:
        if line.lstrip().startswith("|"):
            cells = re.split(r"(?<!\\)\|", line.strip().strip("|"))
            rows.append(len(cells))
        elif rows:
            tables.append(tuple(rows))
            rows = []
    text = "\n".join(prose)
    spans = [" ".join(m.group(2).split()) for m in INLINE_CODE.finditer(text)]
    links = [m.group(1) for m in LINK.finditer(INLINE_CODE.sub("", text))]
    return {"headings": headings, "blocks": blocks, "tables": tables, "spans": spans, "links": links}


def relative(links: list[str]) -> set[str]:
    """The link targets inside the repository, without fragment, other than the language switch."""
    targets = {link.split("#")[0] for link in links if not SCHEME.match(link) and not link.startswith("#")}
    return targets - {ENGLISH.name, CHINESE.name}


@pytest.fixture(scope="module")
def readmes() -> tuple[dict, dict]:
    """The parsed English and Chinese READMEs."""
    assert CHINESE.exists(), "README.zh-CN.md is missing"
    return parse(ENGLISH), parse(CHINESE)


@pytest.mark.parametrize("path", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_language_switch_on_first_line(path):
    first = path.read_text(encoding="utf-8").splitlines()[0].strip()
    assert first == SWITCH[path]


def test_same_headings(readmes):
    english, chinese = readmes
    assert english["headings"], "no headings found in README.md"
    assert Counter(english["headings"]) == Counter(chinese["headings"]), "number of headings per level differs"
    assert english["headings"] == chinese["headings"], "heading levels are not in the same order"


def test_same_code_blocks(readmes):
    english, chinese = readmes
    assert english["blocks"], "no code blocks found in README.md"
    assert len(english["blocks"]) == len(chinese["blocks"]), "number of code blocks differs"
    for number, (en, zh) in enumerate(zip(english["blocks"], chinese["blocks"], strict=True), start=1):
        assert en == zh, f"code block {number} differs"


def test_same_tables(readmes):
    english, chinese = readmes
    assert english["tables"] == chinese["tables"], "tables differ in number, rows or columns"


def test_same_inline_code(readmes):
    english, chinese = readmes
    missing = Counter(english["spans"]) - Counter(chinese["spans"])
    extra = Counter(chinese["spans"]) - Counter(english["spans"])
    assert not missing, f"inline code of README.md missing from README.zh-CN.md: {sorted(missing)}"
    assert not extra, f"inline code of README.zh-CN.md not in README.md: {sorted(extra)}"


def test_same_link_targets(readmes):
    english, chinese = readmes
    assert relative(english["links"]) == relative(chinese["links"]), "relative link targets differ"
    external = [{link for link in readme["links"] if SCHEME.match(link)} for readme in readmes]
    assert external[0] == external[1], "external link targets differ"


@pytest.mark.parametrize("path", [ENGLISH, CHINESE], ids=["en", "zh"])
def test_link_targets_exist_in_repository(path):
    for target in relative(parse(path)["links"]) | ({CHINESE.name} if path == ENGLISH else {ENGLISH.name}):
        resolved = (path.parent / target).resolve()
        assert resolved.is_relative_to(ROOT), f"{path.name}: {target} is outside the repository"
        assert resolved.exists(), f"{path.name}: {target} does not exist"
