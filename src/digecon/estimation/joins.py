"""Layout at scale: left joins of a large table on a small one by row positions, text columns from few texts.

``DataFrame.merge`` factorizes the keys of both tables together and builds a new table; on the
values (millions of rows, string keys) that is most of the estimate's layout time. Here each key
column of the large table is factorized alone (fast on pyarrow strings), its few distinct values
are looked up among the small table's, and the small table's columns are taken by position.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd


def _codes(left: pd.Series, right: pd.Series) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the right values (0 ..) and of the left ones in the same numbering (-1: not among the right's)."""
    right_codes, uniques = pd.factorize(right)
    left_codes, left_uniques = pd.factorize(left)
    mapped = pd.Index(uniques).get_indexer(left_uniques)
    return np.where(left_codes >= 0, mapped[left_codes], -1), right_codes


def positions(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str]) -> np.ndarray:
    """Give the row of ``right`` with the same values of ``on`` as each row of ``left`` (-1 where none).

    Raises
    ------
    pandas.errors.MergeError
        If ``right`` has two rows with the same key (as a many-to-one merge would).
    """
    left_key, right_key = np.zeros(len(left), dtype=np.int64), np.zeros(len(right), dtype=np.int64)
    missing = np.zeros(len(left), dtype=bool)
    for column in on:
        left_codes, right_codes = _codes(left[column], right[column])
        size = int(right_codes.max()) + 1 if len(right_codes) else 1
        missing |= left_codes < 0
        left_key, right_key = left_key * size + left_codes, right_key * size + right_codes
    order = np.argsort(right_key, kind="stable")
    ranked = right_key[order]
    if len(ranked) > 1 and (np.diff(ranked) == 0).any():
        raise pd.errors.MergeError("Merge keys are not unique in right dataset; not a many-to-one merge")
    at = np.minimum(np.searchsorted(ranked, left_key), max(len(ranked) - 1, 0))
    found = ~missing & (ranked[at] == left_key) if len(ranked) else np.zeros(len(left), dtype=bool)
    return np.where(found, order[at] if len(ranked) else -1, -1)


def left_join(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str]) -> pd.DataFrame:
    """``left.merge(right, on=on, how="left", validate="many_to_one")``, by positions: same rows, order and dtypes.

    ``right``'s other columns must not be in ``left`` (no suffixes here). As in the merge, an
    integer column becomes float and a boolean one object where some row finds no match.
    """
    extra = [c for c in right.columns if c not in on]
    clash = sorted(set(extra) & set(left.columns))
    if clash:
        raise ValueError(f"both tables have the columns {clash}; rename them before the join")
    at = positions(left, right, on)
    taken = {c: pd.api.extensions.take(right[c].array, at, allow_fill=True) for c in extra}
    return left.reset_index(drop=True).assign(**taken)


def as_text(values: np.ndarray) -> pd.Index:
    """Give an object array of strings (None or NaN for missing) as a ``str`` column, each distinct text converted once.

    The same as ``pd.Series(values)`` for strings, several times faster where texts repeat.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return pd.Index(uniques, dtype="str").take(codes)
