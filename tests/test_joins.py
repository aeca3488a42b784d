"""The position-based left join gives exactly what pandas' many-to-one left merge gives."""

import numpy as np
import pandas as pd
import pytest

from digecon.estimation.joins import (
    as_text,
    combined_codes,
    concat_tables,
    find,
    label_codes,
    left_join,
    positions,
    row_keys,
    take_labels,
)


def _tables() -> tuple[pd.DataFrame, pd.DataFrame]:
    left = pd.DataFrame(
        {
            "code": [110000, 120000, 110000, 990000, 120000],
            "component": ["telecom", "media", "media", "telecom", None],
            "value": [1.0, 2.0, 3.0, 4.0, 5.0],
        }
    )
    right = pd.DataFrame(
        {
            "code": [120000, 110000, 110000],
            "component": ["media", "media", "telecom"],
            "count": [7, 8, 9],
            "flag": [True, False, True],
            "source": ["b.xls", "a.xls", "c.xls"],
        }
    )
    return left, right


def test_left_join_equals_the_merge_with_missing_rows_and_their_dtypes() -> None:
    left, right = _tables()
    expected = left.merge(right, on=["code", "component"], how="left", validate="many_to_one")
    joined = left_join(left, right, ["code", "component"])
    pd.testing.assert_frame_equal(joined, expected, check_exact=True)
    assert joined["count"].dtype == float and joined["flag"].dtype == object  # as the merge: rows 3 and 4 unmatched
    assert positions(left, right, ["code", "component"]).tolist() == [2, 0, 1, -1, -1]


def test_left_join_keeps_integer_and_boolean_columns_when_every_row_matches() -> None:
    left, right = _tables()
    left = left.iloc[:3]
    joined = left_join(left, right, ["code", "component"])
    pd.testing.assert_frame_equal(joined, left.merge(right, on=["code", "component"], how="left"), check_exact=True)
    assert joined["count"].tolist() == [9, 7, 8] and joined["flag"].dtype == bool


def test_left_join_refuses_a_right_table_with_repeated_keys_and_clashing_columns() -> None:
    left, right = _tables()
    with pytest.raises(pd.errors.MergeError, match="not unique"):
        left_join(left, pd.concat([right, right.iloc[:1]]), ["code", "component"])
    with pytest.raises(ValueError, match="value"):
        left_join(left, right.assign(value=0.0), ["code", "component"])


def test_left_join_of_an_empty_right_table_fills_every_row() -> None:
    left, right = _tables()
    joined = left_join(left, right.iloc[:0], ["code", "component"])
    assert joined["source"].isna().all() and len(joined) == len(left)
    assert np.array_equal(joined["value"], left["value"])


def test_as_text_equals_a_string_series_missing_values_included() -> None:
    values = np.array(["工业增加值", None, "地区生产总值", "工业增加值", np.nan], dtype=object)
    expected = pd.Series(values)
    got = pd.Series(as_text(values))
    pd.testing.assert_series_equal(got, expected, check_exact=True)
    assert got.dtype == "str" and got.isna().tolist() == [False, True, False, False, True]


def test_left_join_matches_missing_keys_as_the_merge_does() -> None:
    left = pd.DataFrame({"code": [1, 2, 3], "component": ["media", None, "telecom"]})
    right = pd.DataFrame({"code": [2, 1], "component": [None, "media"], "source": ["none.xls", "media.xls"]})
    expected = left.merge(right, on=["code", "component"], how="left", validate="many_to_one")
    pd.testing.assert_frame_equal(left_join(left, right, ["code", "component"]), expected, check_exact=True)
    assert expected["source"].tolist()[:2] == ["media.xls", "none.xls"]


def test_row_keys_and_find_locate_rows_and_miss_absent_values() -> None:
    wanted, table = row_keys([np.array([5, 7, 9]), np.array(["a", "b", "a"])], [np.array([7, 5]), np.array(["b", "a"])])
    assert find(table, wanted).tolist() == [1, 0, -1] and wanted[2] == -1


@pytest.mark.parametrize("distinct", [10, 100])  # dense keys (a table by key) and sparse ones (a sorted lookup)
def test_positions_equal_the_merge_for_dense_and_sparse_keys(distinct: int) -> None:
    rng = np.random.default_rng(7)
    right = pd.DataFrame({"a": np.arange(distinct), "b": [f"x{i}" for i in range(distinct)][::-1]})
    right = right.assign(row=np.arange(distinct))  # product of distinct values: 100 (dense) or 10,000 (sparse)
    left = pd.DataFrame(
        {"a": rng.integers(0, distinct + 2, 500), "b": [f"x{i}" for i in rng.integers(0, distinct, 500)]}
    )
    expected = left.merge(right, on=["a", "b"], how="left")["row"].fillna(-1).astype(int).to_numpy()
    assert positions(left, right, ["a", "b"]).tolist() == expected.tolist() and (expected >= 0).any()
    with pytest.raises(pd.errors.MergeError, match="not unique"):
        positions(left, pd.concat([right, right.iloc[-1:]]), ["a", "b"])


def test_take_labels_gives_the_texts_as_a_categorical_in_code_point_order() -> None:
    texts = ["媒体", "electronics", None, "电信"]
    taken = take_labels(texts, np.array([3, 0, 2, -1, 1, 3]))
    assert list(taken.categories) == sorted(["媒体", "electronics", "电信"]) and taken.categories.dtype == "str"
    expected = pd.Series(["电信", "媒体", None, None, "electronics", "电信"], dtype="str")
    pd.testing.assert_series_equal(pd.Series(taken).astype("str"), expected)
    # sorting the codes orders the rows as sorting the texts does
    assert np.argsort(taken.codes[[0, 1, 4]], kind="stable").tolist() == [2, 1, 0]


def test_left_join_with_labels_gives_the_merge_s_texts_as_categoricals() -> None:
    left, right = _tables()
    expected = left.merge(right, on=["code", "component"], how="left", validate="many_to_one")
    joined = left_join(left, right, ["code", "component"], labels=True)
    assert isinstance(joined["source"].dtype, pd.CategoricalDtype) and joined["count"].dtype == float
    pd.testing.assert_frame_equal(joined.astype({"source": "str"}), expected, check_exact=True)


def test_concat_tables_keeps_columns_categorical_when_their_categories_differ() -> None:
    first = pd.DataFrame({"method": take_labels(["spline"], np.zeros(2, dtype=np.intp)), "value": [1.0, 2.0]})
    second = pd.DataFrame({"method": take_labels(["linear", "hold"], np.array([0, 1])), "value": [3.0, 4.0]})
    joined = concat_tables([first, second])
    assert pd.concat([first, second])["method"].dtype == "str"  # what pandas alone does
    assert list(joined["method"].cat.categories) == ["hold", "linear", "spline"]
    assert joined["method"].tolist() == ["spline", "spline", "linear", "hold"] and joined["value"].sum() == 10.0
    # a column missing from one table is filled as pandas fills it
    ragged = concat_tables([first, second.drop(columns="method")])
    assert ragged["method"].tolist()[:2] == ["spline", "spline"] and ragged["method"].isna().sum() == 2


def test_label_codes_rebuild_a_categorical_column_and_code_a_text_one() -> None:
    # pandas 3.1: from_codes with factorize's uniques of a categorical (a CategoricalIndex) gives wrong rows
    column = pd.Series(take_labels(["b", "a"], np.array([0, 1, 0])))
    codes, values = label_codes(column)
    assert pd.Categorical.from_codes(codes, values).tolist() == ["b", "a", "b"] and values.tolist() == ["a", "b"]
    codes, values = label_codes(pd.Series(["b", "a", "b"]))
    assert codes.tolist() == [0, 1, 0] and values.tolist() == ["b", "a"]


@pytest.mark.parametrize("n", [7, 2**25])  # small counts; counts whose product (2**75) would overflow int64
def test_combined_codes_number_combinations_in_lexicographic_order(n: int) -> None:
    rng = np.random.default_rng(3)
    columns = [rng.integers(0, 3, 200) * (n // 3) for _ in range(3)]
    columns[1][5] = -1
    numbers, bound = combined_codes([(c, n) for c in columns])
    rows = list(zip(*columns, strict=True))
    valid = [i for i in range(200) if i != 5]
    assert numbers[5] == -1 and (numbers[valid] < bound).all()
    for i in valid[:40]:
        for j in valid[:40]:
            assert (numbers[i] < numbers[j]) == (rows[i] < rows[j])
            assert (numbers[i] == numbers[j]) == (rows[i] == rows[j])
