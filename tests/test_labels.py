"""The label catalogue (digecon.outputs.labels): every text in English and Chinese, every key used."""

from __future__ import annotations

import string
from collections import defaultdict
from pathlib import Path

from digecon.outputs import gallery as gallery_module
from digecon.outputs import labels as catalogue
from digecon.outputs import names, plots, scenarios

LANGUAGE_OWN_FIELDS = {"design_label", "holdout", "used", "not_rescaled"}  # a language may compose from others


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_catalogue_entry_has_english_and_chinese_that_fill_from_the_data() -> None:
    for key, (english, chinese) in catalogue.CATALOGUE.items():
        assert english.strip() and chinese.strip(), key
        for text in (english, chinese):
            assert text.format_map(defaultdict(lambda: 0.5)), key  # every template fills (numbers for the specs)
        # both languages receive the same fields: one the other lacks is a typo, unless composed differently
        assert fields(chinese) - fields(english) <= LANGUAGE_OWN_FIELDS, key
    assert set(plots.LABELS["en"]) == set(plots.LABELS["zh"]) == set(catalogue.CATALOGUE) | set(catalogue.PUNCTUATION)


# keys the code composes from a name in the data (f"short_{component}", f"kind_{kind}", ...)
COMPOSED = ("short_", "component_", "convention_", "band_from_", "chain_", "real_flag_", "kind_", "tilemap_")
COMPOSED += ("multiples_", "national_ratio_benchmark", "national_ratio_control")


def test_every_catalogue_key_is_used_by_the_code() -> None:
    code = "".join(Path(m.__file__).read_text(encoding="utf-8") for m in (plots, gallery_module, names, scenarios))
    named = set(plots.METHOD_STYLE) | set(plots.COMPONENT_ORDER) | set(plots.BACKTEST_KINDS)  # keys from the data
    unused = [
        key
        for key in catalogue.CATALOGUE
        if f'"{key}"' not in code and f"'{key}'" not in code and not key.startswith(COMPOSED) and key not in named
    ]
    assert unused == []


def test_latin_words_skip_code_sector_codes_and_the_allow_list() -> None:
    assert catalogue.latin_words("电子设备制造 (C39)、I64-65、Chow-Lin、占GDP比重 2.5 %") == []
    assert catalogue.latin_words("见 `results/validation/backtest.csv` 的数据（CSV）") == []
    assert catalogue.latin_words("方法：linear，口径：share") == ["linear", "share"]
