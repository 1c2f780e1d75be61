"""Text → search terms (policy.search_terms), the same for the index and the query. Pure."""

from __future__ import annotations

import re
import unicodedata

import pytest
import snowballstemmer
from hypothesis import example, given
from hypothesis import strategies as st

from shoplink.policy.search_terms import MAX_QUERY_TERMS, QueryTerm, index_terms, query_terms

CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"


def fullwidth(text: str) -> str:
    """The full-width form of ASCII text, as typed with a CJK input method."""
    return "".join(
        "\u3000" if c == " " else chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text
    )


def texts(query: str) -> list[str]:
    return [term.text for term in query_terms(query)]


def plain(*words: str) -> list[QueryTerm]:
    return [QueryTerm(word, prefix=False) for word in words]


# --- index_terms: Latin -------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "terms"),
    [
        ("Trail Running Shoes", "trail run shoe"),
        ("Red Summer Dresses", "red summer dress"),
        ("running runs run", "run run run"),
        ("Wireless Headphones", "wireless headphon"),
        ("Charging cable, 2m", "charg cabl 2m"),
        ("T-Shirt (men's)", "t shirt men s"),
        ("e-book", "e book"),
    ],
)
def test_latin_words_are_folded_and_snowball_stemmed(text: str, terms: str) -> None:
    assert index_terms(text) == terms


def test_case_is_folded() -> None:
    assert index_terms("RUNNING Shoes") == index_terms("running shoes") == "run shoe"
    assert index_terms("Straße") == index_terms("STRASSE")  # casefold, not lower


def test_full_width_latin_and_digits_are_nfkc_folded() -> None:
    assert index_terms(fullwidth("RUNNING SHOES")) == "run shoe"
    assert index_terms(fullwidth("iPhone 15")) == index_terms("iPhone 15") == "iphon 15"


def test_compatibility_characters_are_folded() -> None:
    assert index_terms("ﬁne") == "fine"  # the fi ligature
    assert index_terms("Ⅻ") == "xii"  # a Roman numeral


def test_latin_diacritics_are_removed_as_fts5_does_and_postgres_simple_does_not() -> None:
    assert index_terms("Café Latte") == index_terms("cafe latte") == "cafe latt"
    assert index_terms("naïve Über Ångström") == "naiv uber angstrom"
    assert index_terms("Tiếng Việt") == "tieng viet"
    assert query_terms("café") == query_terms("CAFE") == [QueryTerm("cafe", prefix=True)]


def test_marks_of_other_scripts_are_kept() -> None:
    assert index_terms("ά") == "ά"  # Greek
    assert index_terms("が") == "が"  # the dakuten makes another kana, not an accent
    assert index_terms("운동화") == "운 동 화 운동 동화"  # Hangul syllables stay whole


def test_numbers_and_codes_are_kept_as_written() -> None:
    assert index_terms("Model X100 2024 edition") == "model x100 2024 edit"


def test_punctuation_and_symbols_are_not_terms() -> None:
    assert index_terms("!!! --- ... ★ $ % 。，、") == ""
    assert index_terms("") == ""


# --- index_terms: CJK --------------------------------------------------------------------------


def test_cjk_runs_give_unigrams_and_overlapping_bigrams() -> None:
    assert index_terms("跑步鞋") == "跑 步 鞋 跑步 步鞋"
    assert index_terms("蓝牙耳机") == "蓝 牙 耳 机 蓝牙 牙耳 耳机"


def test_a_single_cjk_character_is_its_own_term() -> None:
    assert index_terms("鞋") == "鞋"


def test_cjk_runs_are_split_by_spaces_and_punctuation() -> None:
    # No bigram across a break: "鞋轻" does not appear.
    assert index_terms("跑步鞋 轻便") == "跑 步 鞋 跑步 步鞋 轻 便 轻便"
    assert index_terms("跑步鞋，轻便") == "跑 步 鞋 跑步 步鞋 轻 便 轻便"


def test_latin_and_cjk_without_a_space_are_separate_tokens() -> None:
    assert index_terms("iPhone手机壳") == "iphon 手 机 壳 手机 机壳"
    assert index_terms("iPhone 手机壳") == index_terms("iPhone手机壳")


def test_kana_and_hangul_are_cjk_too() -> None:
    assert index_terms("ランニング") == "ラ ン ニ ン グ ラン ンニ ニン ング"
    assert index_terms("운동화") == "운 동 화 운동 동화"


# --- query_terms -------------------------------------------------------------------------------


def test_the_last_latin_word_is_a_prefix_term() -> None:
    assert query_terms("running shoe") == [
        QueryTerm("run", prefix=False),
        QueryTerm("shoe", prefix=True),
    ]
    assert query_terms("sneak") == [QueryTerm("sneak", prefix=True)]
    assert query_terms("red dress ") == [
        QueryTerm("red", prefix=False),
        QueryTerm("dress", prefix=True),
    ]


def test_a_prefix_term_is_the_stem_of_what_was_typed() -> None:
    assert query_terms("dresse") == [QueryTerm("dress", prefix=True)]
    assert query_terms("jacke") == [QueryTerm("jack", prefix=True)]  # "jacket" starts with it
    assert index_terms("Jacket").startswith("jack")


def test_a_single_letter_is_not_a_prefix() -> None:
    assert query_terms("x") == [QueryTerm("x", prefix=False)]
    assert query_terms("vitamin c") == [QueryTerm("vitamin", False), QueryTerm("c", False)]


def test_a_latin_word_before_a_cjk_run_is_not_a_prefix() -> None:
    assert query_terms("iPhone 手机壳") == plain("iphon", "手机", "机壳")
    assert query_terms("iPhone手机壳") == plain("iphon", "手机", "机壳")


def test_a_cjk_query_asks_for_its_bigrams() -> None:
    assert query_terms("跑步鞋") == plain("跑步", "步鞋")
    assert query_terms("跑鞋") == plain("跑鞋")
    assert query_terms("连衣裙") == plain("连衣", "衣裙")
    assert query_terms("蓝牙耳机") == plain("蓝牙", "牙耳", "耳机")


def test_a_single_cjk_character_asks_for_itself() -> None:
    assert query_terms("鞋") == plain("鞋")
    assert query_terms("鞋 跑步") == plain("鞋", "跑步")


def test_query_is_folded_like_the_index() -> None:
    assert query_terms("CAFE") == query_terms("cafe") == [QueryTerm("cafe", prefix=True)]
    assert query_terms(fullwidth("RUNNING shoes")) == query_terms("running shoes")
    assert query_terms("Café") == query_terms("CAFÉ")


@pytest.mark.parametrize("query", ["", "   ", "!!!", "... ---", "?!", "★☆", "。，、", "'\"*:()"])
def test_a_punctuation_only_query_has_no_terms(query: str) -> None:
    assert query_terms(query) == []


def test_terms_are_deduplicated_in_order() -> None:
    assert query_terms("shoe shoes shoe red") == [
        QueryTerm("shoe", prefix=False),
        QueryTerm("red", prefix=True),
    ]
    assert query_terms("鞋 鞋") == plain("鞋")


def test_at_most_max_query_terms_are_asked_the_first_ones() -> None:
    words = [f"w{i}" for i in range(3 * MAX_QUERY_TERMS)]
    terms = query_terms(" ".join(words))
    assert len(terms) == MAX_QUERY_TERMS
    assert texts(" ".join(words)) == words[:MAX_QUERY_TERMS]
    assert not any(term.prefix for term in terms)  # the prefix word was cut off
    long_cjk = "".join(chr(0x4E00 + i) for i in range(40))
    assert len(query_terms(long_cjk)) == MAX_QUERY_TERMS


def test_query_syntax_characters_never_reach_a_term() -> None:
    # search.py quotes terms for FTS5 and to_tsquery; they hold word characters only.
    for query in ['"shoe" OR x', "shoe' | 'x", "title:shoe*", "a&b|!c<->d", "NEAR(a b)"]:
        for term in query_terms(query):
            assert re.fullmatch(r"\w+", term.text), (query, term)


# --- properties --------------------------------------------------------------------------------

TITLE_ALPHABET = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -,.!'éüßÅ")
    + list("跑步鞋连衣裙蓝牙耳机手机壳男女子红色轻便透气ランニグ운동화")
    + [fullwidth("ABC"), fullwidth("x"), "\u3000", "ﬁ", "Ⅻ", "ing", "es", "s "]
)
TITLES = st.lists(TITLE_ALPHABET, max_size=40).map("".join) | st.text(max_size=40)


@given(title=TITLES)
@example(title="Trail Running Shoes")
@example(title="男子跑步鞋 轻便透气")
@example(title="iPhone手机壳 " + fullwidth("ABC"))
@example(title="ﬁne Ⅻ Straße")
def test_a_titles_own_words_find_it(title: str) -> None:
    """Every term asked by a title's own text is among that title's index terms."""
    indexed = index_terms(title).split()
    for term in query_terms(title):
        if term.prefix:
            assert any(word.startswith(term.text) for word in indexed), (title, term)
        else:
            assert term.text in indexed, (title, term)


@given(query=st.text(max_size=200))
def test_query_terms_are_few_unique_and_word_characters_only(query: str) -> None:
    terms = query_terms(query)
    assert len(terms) <= MAX_QUERY_TERMS
    assert len(set(terms)) == len(terms)
    for term in terms:
        assert term.text and re.fullmatch(r"\w+", term.text), term
    assert sum(term.prefix for term in terms) <= 1


@given(text=st.text(max_size=100))
def test_index_terms_are_space_separated_words(text: str) -> None:
    terms = index_terms(text)
    assert terms == " ".join(terms.split())
    assert all(re.fullmatch(r"\w+", word) for word in terms.split())
    assert index_terms(text) == terms  # deterministic


def reference_terms(text: str) -> str:
    """index_terms as the module docstring states it, one character and one token at a time,
    without the shortcuts and caches that the bulk import needs."""
    folded = unicodedata.normalize("NFKC", text).casefold()
    plain = "".join(
        base if (base := unicodedata.normalize("NFD", c)[0]) <= "\u024f" else c for c in folded
    )
    out: list[str] = []
    for token in re.findall(rf"[{CJK}]+|[^\W{CJK}]+", plain):
        if re.match(rf"[{CJK}]", token):
            out += list(token) + [token[i : i + 2] for i in range(len(token) - 1)]
        elif token.isalpha() and len(token) >= 4:
            out.append(snowballstemmer.stemmer("english").stemWord(token))
        else:
            out.append(token)
    return " ".join(out)


@given(text=TITLES | st.text(st.characters(max_codepoint=0x2FFF), max_size=40))
@example(text="跑" * 40 + " " + "跑步" * 3)  # a run past the cached length, then a cached one
@example(text="ASCII only, Straße, ≠ and ≮")
def test_index_terms_match_the_plain_reading(text: str) -> None:
    assert index_terms(text) == reference_terms(text)
