"""Text → search terms, the same way for what is indexed and what is asked.

Neither SQLite's FTS5 tokenizers nor PostgreSQL's parsers segment Chinese, and neither
stems English in a way both share. So shoplink tokenizes in Python and hands the databases
space-separated terms: Latin words folded and Snowball-stemmed ("Running Shoes" → "run shoe"),
CJK runs as single characters plus overlapping bigrams ("跑步鞋" → "跑 步 鞋 跑步 步鞋"),
the standard CJK approach of Lucene's CJKAnalyzer. A query of two or more CJK characters
asks for its bigrams; a single character asks for itself.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

# Han, Hiragana, Katakana, Hangul, and the CJK compatibility ideographs.
_CJK = "\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\uf900-\ufaff"
_TOKEN = re.compile(rf"[{_CJK}]+|[^\W{_CJK}]+")
_IS_CJK = re.compile(rf"[{_CJK}]")
# The same tokens, each told apart by its group: (CJK run, "") or ("", Latin word).
_RUNS = re.compile(rf"([{_CJK}]+)|([^\W{_CJK}]+)")
# Characters that may carry a diacritic to remove: ASCII has none, and neither do the CJK
# ranges (their decompositions stay CJK or Hangul jamo).
_FOLDABLE = re.compile(rf"[^\x00-\x7f{_CJK}]")
MAX_QUERY_TERMS = 16
MAX_CACHED_RUN = 16  # CJK runs past this are rare phrases, not words worth a cache entry
_stemmer = snowballstemmer.stemmer("english")


@lru_cache(maxsize=65_536)
def _stem_cached(word: str) -> str:
    return str(_stemmer.stemWord(word))


def _stem(word: str) -> str:
    # Numbers, codes and words with digits have nothing to stem (and would flood the cache).
    return word if not word.isalpha() or len(word) < 4 else _stem_cached(word)


@lru_cache(maxsize=4096)
def _latin_base(char: str) -> str:
    """A Latin letter without its diacritics ("é" → "e"), any other character as it is."""
    base = unicodedata.normalize("NFD", char)[0]
    return base if base <= "\u024f" else char


def _base_of(match: re.Match[str]) -> str:
    return _latin_base(match.group())


def _normalize(text: str) -> str:
    # Diacritics go here, not in the databases: FTS5's remove_diacritics drops them from Latin
    # letters but PostgreSQL's 'simple' configuration keeps them, so "cafe" missed "Café" there.
    if text.isascii():  # NFKC leaves ASCII as it is, and casefold is lower there
        return text.lower()
    folded = unicodedata.normalize("NFKC", text).casefold()
    return folded if folded.isascii() else _FOLDABLE.sub(_base_of, folded)


def _cjk_grams(run: str) -> list[str]:
    return list(run) + [run[i : i + 2] for i in range(len(run) - 1)]


@lru_cache(maxsize=16_384)
def _cjk_terms_cached(run: str) -> str:
    return " ".join(_cjk_grams(run))


def _cjk_terms(run: str) -> str:
    # Product names repeat their CJK words ("手机壳") as English ones repeat theirs.
    return _cjk_terms_cached(run) if len(run) <= MAX_CACHED_RUN else " ".join(_cjk_grams(run))


def index_terms(text: str) -> str:
    """Terms to store for a title or description. An import makes them for every line, hence
    the caches and the single pass over the text."""
    return " ".join(
        [_cjk_terms(cjk) if cjk else _stem(latin) for cjk, latin in _RUNS.findall(_normalize(text))]
    )


@dataclass(frozen=True, slots=True)
class QueryTerm:
    text: str
    prefix: bool  # the last Latin word may be half-typed


def query_terms(query: str) -> list[QueryTerm]:
    """Terms every result must contain (AND), deduplicated, at most MAX_QUERY_TERMS."""
    tokens = _TOKEN.findall(_normalize(query))
    terms: list[QueryTerm] = []
    for i, token in enumerate(tokens):
        if _IS_CJK.match(token):
            grams = list(token) if len(token) == 1 else _cjk_grams(token)[len(token) :]
            terms += [QueryTerm(gram, prefix=False) for gram in grams]
        else:
            # The last word may be half-typed: match what starts with its stem ("sho" → shoe).
            stem = _stem(token)
            terms.append(QueryTerm(stem, prefix=i == len(tokens) - 1 and len(stem) > 1))
    unique = list(dict.fromkeys(terms))
    return unique[:MAX_QUERY_TERMS]
