"""Layout at scale: left joins of a large table on a small one by row positions, text columns from few texts.

``DataFrame.merge`` factorizes the keys of both tables together and builds a new table; on the
values (millions of rows, string keys) that is most of the estimate's layout time. Here each key
column of the large table is factorized alone (fast on pyarrow strings), its few distinct values
are looked up among the small table's, and the small table's columns are taken by position.

The text columns of the values (the provenance of every row) are categoricals (:func:`take_labels`):
a few distinct texts and a small integer per row, instead of millions of strings. Their categories
are in code-point order, so that sorting or ``factorize(sort=True)`` orders the rows as the texts
would; :func:`concat_tables` keeps them categorical across tables whose categories differ.
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd
from numpy.typing import ArrayLike


def _codes(left: ArrayLike, right: ArrayLike) -> tuple[np.ndarray, np.ndarray]:
    """Codes of the right values (0 ..) and of the left ones in the same numbering (-1: not among the right's).

    Missing values are values here, as in a merge: a missing left value matches a missing right one.
    """
    right_codes, uniques = pd.factorize(right, use_na_sentinel=False)
    left_codes, left_uniques = pd.factorize(left, use_na_sentinel=False)
    return pd.Index(uniques).get_indexer(left_uniques)[left_codes], right_codes


def combined_codes(codes: list[tuple[np.ndarray, int]]) -> tuple[np.ndarray, int]:
    """One number per combination of codes (each given with its number of values); -1 where any code is.

    Two rows get the same number exactly when all their codes are the same, and the numbers are
    in the lexicographic order of the codes.

    Returns
    -------
    tuple
        The numbers, and a bound above them.
    """
    combined, size = np.zeros(len(codes[0][0]), dtype=np.int64), 1
    for code, n in codes:
        if size * n > 2**62:  # renumber densely, in order (a sort: rare), so that this step cannot overflow int64
            uniques, combined = np.unique(combined, return_inverse=True)
            size = len(uniques)
        combined, size = combined * n + code, size * n
    missing = np.zeros(len(combined), dtype=bool)
    for code, _ in codes:
        missing |= code < 0
    return np.where(missing, -1, combined), size


def row_keys(left: Sequence[ArrayLike], right: Sequence[ArrayLike]) -> tuple[np.ndarray, np.ndarray]:
    """Give one int64 key per row of two tables on the same key columns, equal exactly for equal rows.

    Each column is factorized on its own side and the left's distinct values are looked up among
    the right's, so a long column of strings is never converted. The right's keys are 0 or more;
    a left row with a value the right lacks gets -1 (found nowhere by :func:`find`).
    """
    n, columns = len(left[0]), []
    for a, b in zip(left, right, strict=True):
        left_codes, right_codes = _codes(a, b)
        columns.append(
            (np.concatenate([left_codes, right_codes]), int(right_codes.max()) + 1 if len(right_codes) else 1)
        )
    key, _ = combined_codes(columns)
    return key[:n], key[n:]


def find(table: np.ndarray, wanted: np.ndarray) -> np.ndarray:
    """Give the position in ``table`` of each wanted key (the first of equal keys), -1 where absent."""
    if not len(table):
        return np.full(len(wanted), -1, dtype=np.int64)
    order = np.argsort(table, kind="stable")
    at = order[np.minimum(np.searchsorted(table[order], wanted), len(table) - 1)]
    return np.where(table[at] == wanted, at, -1)


def positions(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str]) -> np.ndarray:
    """Give the row of ``right`` with the same values of ``on`` as each row of ``left`` (-1 where none).

    Raises
    ------
    pandas.errors.MergeError
        If ``right`` has two rows with the same key (as a many-to-one merge would).
    """
    left_key, right_key = row_keys([left[c] for c in on], [right[c] for c in on])
    bound = int(right_key.max()) + 1 if len(right_key) else 0
    if bound > 8 * len(right_key) + 4096:  # sparse keys: look them up in the sorted right keys
        if (np.diff(np.sort(right_key)) == 0).any():
            raise pd.errors.MergeError("Merge keys are not unique in right dataset; not a many-to-one merge")
        return find(right_key, left_key)
    # dense keys (the usual case): a table indexed by key, counted and filled in O(n), no sort
    if (np.bincount(right_key, minlength=bound) > 1).any():
        raise pd.errors.MergeError("Merge keys are not unique in right dataset; not a many-to-one merge")
    slot = np.full(bound + 1, -1, dtype=np.int64)  # the last cell, -1, answers absent keys (-1 or beyond)
    slot[right_key] = np.arange(len(right_key))
    return slot[np.clip(left_key, -1, bound)]


def left_join(left: pd.DataFrame, right: pd.DataFrame, on: Sequence[str], *, labels: bool = False) -> pd.DataFrame:
    """``left.merge(right, on=on, how="left", validate="many_to_one")``, by positions: same rows, order and dtypes.

    ``right``'s other columns must not be in ``left`` (no suffixes here). As in the merge, an
    integer column becomes float and a boolean one object where some row finds no match. With
    ``labels``, ``right``'s text columns arrive as categoricals (:func:`take_labels`): the same
    texts, no string built per row.
    """
    extra = [c for c in right.columns if c not in on]
    clash = sorted(set(extra) & set(left.columns))
    if clash:
        raise ValueError(f"both tables have the columns {clash}; rename them before the join")
    at = positions(left, right, on)
    taken = {
        c: take_labels(right[c], at)
        if labels and _is_text(right[c])
        else pd.api.extensions.take(right[c].array, at, allow_fill=True)
        for c in extra
    }
    return left.reset_index(drop=True).assign(**taken)


def _is_text(column: pd.Series) -> bool:
    """Whether a column holds texts (str or object strings, missing values allowed), not numbers or flags."""
    return not isinstance(column.dtype, pd.CategoricalDtype) and pd.api.types.is_string_dtype(column)


def label_codes(column: pd.Series) -> tuple[np.ndarray, pd.Index]:
    """Give each row's code (-1 where missing) and the values coded: a categorical's own, else factorized.

    Unlike ``pd.factorize`` of a categorical, the values are a plain index (its categories, unused
    ones included), so ``pd.Categorical.from_codes(codes, values)`` rebuilds the column.
    """
    if isinstance(column.dtype, pd.CategoricalDtype):
        return column.cat.codes.to_numpy(dtype=np.int64), column.cat.categories
    return pd.factorize(column)


def take_labels(texts: ArrayLike, at: np.ndarray) -> pd.Categorical:
    """Give ``texts[at]`` as a categorical (categories in code-point order; -1 in ``at`` or a missing text: missing).

    Each distinct text is kept once, so the column costs a small integer per row: the way the
    values' provenance columns are built (module doc).
    """
    codes, uniques = pd.factorize(np.asarray(texts, dtype=object), sort=True)
    # taken from a lookup in the categorical's own small code type: no int64 column made, then narrowed
    small = np.append(codes, -1).astype(
        np.int8 if len(uniques) < 2**7 else np.int16 if len(uniques) < 2**15 else np.int32
    )
    return pd.Categorical.from_codes(small[at], pd.Index(uniques, dtype="str"), validate=False)


def repeat_label(text: str, n: int) -> pd.Categorical:
    """One text on ``n`` rows, as a categorical column (:func:`take_labels`)."""
    return take_labels([text], np.zeros(n, dtype=np.intp))


def plain_text(frame: pd.DataFrame) -> pd.DataFrame:
    """Give the table with its categorical columns as ``str`` (the small tables grouped from the large ones)."""
    return frame.astype({c: "str" for c in frame.columns if isinstance(frame[c].dtype, pd.CategoricalDtype)})


def concat_tables(frames: Sequence[pd.DataFrame]) -> pd.DataFrame:
    """``pd.concat(frames, ignore_index=True)``, with a column categorical in every frame kept categorical.

    pandas makes a column of differing categories plain text; here the categories are unioned
    (in code-point order) first, so the rows keep their small codes.
    """
    frames = list(frames)
    shared = {}
    for column in frames[0].columns if len(frames) > 1 else []:
        parts = [f[column] for f in frames if column in f.columns]
        if len(parts) == len(frames) and all(isinstance(p.dtype, pd.CategoricalDtype) for p in parts):
            union = sorted(set().union(*(p.cat.categories for p in parts)))
            shared[column] = pd.CategoricalDtype(pd.Index(union, dtype="str"))
    if shared:
        frames = [f.astype(shared) for f in frames]
    return pd.concat(frames, ignore_index=True)


def as_text(values: np.ndarray) -> pd.Index:
    """Give an object array of strings (None or NaN for missing) as a ``str`` column, each distinct text converted once.

    The same as ``pd.Series(values)`` for strings, several times faster where texts repeat.
    """
    codes, uniques = pd.factorize(values, use_na_sentinel=False)
    return pd.Index(uniques, dtype="str").take(codes)
