"""Property-based fuzzing of the IO-table reader.

A corrupted table either parses cleanly or fails with an InputError (file, place, what was
expected) -- never any other exception.
"""

from __future__ import annotations

import functools
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from digecon.core.errors import InputError
from digecon.inputs.concordance import load_concordance
from digecon.inputs.iotable import IOTable, read_io_table
from tests.tables import NET_OUTFLOW, io_table_rows, write_workbook

CONCORDANCE = load_concordance()
BASE = io_table_rows("2017")
# A 2023 layout: region code in the title, one flat heading row, no marker, 净流出, GO only headed 总产出.
BASE_2023 = io_table_rows(
    "2017", year=2017, title="11市投入产出表（2017）", headings="flat", final_use=NET_OUTFLOW, marker="", go_code=""
)
N_ROWS, N_COLUMNS = len(BASE), min(len(BASE[0]), len(BASE_2023[0]))
assert len(BASE_2023) == N_ROWS

cells = st.tuples(st.integers(0, N_ROWS - 1), st.integers(0, N_COLUMNS - 1))
printable = st.characters(blacklist_categories=("Cc", "Cs"))  # what a spreadsheet cell can hold
junk = st.one_of(
    st.just(""),
    st.text(alphabet=printable, max_size=6),
    st.floats(allow_nan=True, allow_infinity=True),
    st.integers(-(10**9), 10**9),
    st.sampled_from(["-", "—", "TVA", "TI", "VA001", "01", "42", "GO", "单位：亿元", "天津", "文化、体育和娱乐"]),
    st.sampled_from(["代码", "总产出", "总产品", "NOF", "50地区", "500000", 5.0, 42.0]),
)
edits = st.lists(
    st.one_of(
        st.tuples(st.just("set"), cells, junk),
        st.tuples(st.just("delete_row"), st.integers(0, N_ROWS - 1), st.none()),
        st.tuples(st.just("duplicate_row"), st.integers(0, N_ROWS - 1), st.none()),
        st.tuples(st.just("swap_rows"), st.integers(0, N_ROWS - 1), st.integers(0, N_ROWS - 1)),
    ),
    min_size=1,
    max_size=6,
)


def apply(edits_: list, base: list[list] = BASE) -> list[list]:
    rows = [list(r) for r in base]
    for kind, a, b in edits_:
        if kind == "set":
            r, c = a
            if r < len(rows):
                rows[r][c] = b
        elif kind == "delete_row" and a < len(rows):
            rows.pop(a)
        elif kind == "duplicate_row" and a < len(rows):
            rows.insert(a, list(rows[a]))
        elif kind == "swap_rows" and max(a, b) < len(rows):
            rows[a], rows[b] = rows[b], rows[a]
    return rows


def read_or_clean_error(path: Path) -> None:
    try:
        assert isinstance(read_io_table(path, CONCORDANCE), IOTable)
    except InputError as error:
        assert str(path) in str(error)


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(edits_=edits, suffix=st.sampled_from([".xls", ".xlsx"]), base=st.sampled_from([BASE, BASE_2023]))
def test_corrupted_cells_and_rows(edits_: list, suffix: str, base: list[list]) -> None:
    rows = apply(edits_, base)
    with tempfile.TemporaryDirectory() as folder:
        rows = [[v if not (isinstance(v, float) and v != v) else "" for v in row] for row in rows]  # xlwt: no NaN
        path = write_workbook(rows, Path(folder) / "2017年各省份投入产出表" / f"01-北京{suffix}")
        read_or_clean_error(path)


@functools.cache
def base_bytes(suffix: str) -> bytes:
    """The intact workbook, written once (xlsx files carry a timestamp, so sizes differ between writes)."""
    with tempfile.TemporaryDirectory() as folder:
        return write_workbook(BASE, Path(folder) / f"base{suffix}").read_bytes()


@settings(max_examples=60, deadline=None)
@given(data=st.data(), suffix=st.sampled_from([".xls", ".xlsx"]))
def test_corrupted_bytes(data: st.DataObject, suffix: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / f"01-北京{suffix}"
        content = bytearray(base_bytes(suffix))
        cut = data.draw(st.integers(0, len(content)))
        flips = data.draw(st.lists(st.tuples(st.integers(0, len(content) - 1), st.integers(0, 255)), max_size=20))
        for position, value in flips:
            content[position] = value
        path.write_bytes(bytes(content[:cut] if data.draw(st.booleans()) else content))
        read_or_clean_error(path)
