"""Words as the scent scorer and the task matcher compare them, per language: split, stop words
dropped, stemmed by Snowball, accents folded, and closed compounds split into the words of the
site that they are made of.

English is read exactly as it always was (letters a-z and digits, the English stop words of
audits/scent.py, Snowball's English stemmer, nothing folded or split), so English results do
not move. Every other language: Unicode letters and digits, the stop words of the `stop-words`
package, Snowball's stemmer of the language, then accents folded ("démarche" meets
"demarche").

Compounds (German, Dutch and the Scandinavian languages write "Kontoauszug", "afvalkalender",
"kontoutskrift" as one word) are split as Lucene's DictionaryCompoundWordTokenFilter splits
them: a long word also yields the known words it begins or ends with, the known words being
the site's own link words and the task's. "Afvalkalender" then holds "afval" when the site or
the task says "Afval" anywhere; a German linking "s" ("Versicherungsschutz") is allowed.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache, lru_cache

import snowballstemmer
from stop_words import get_stop_words

from contract.languages import DEFAULT, LANGUAGES, NAMES, OTHER_TAGS, language_of_tag

ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "are",
        "as",
        "at",
        "be",
        "by",
        "for",
        "from",
        "has",
        "have",
        "how",
        "i",
        "in",
        "is",
        "it",
        "its",
        "my",
        "of",
        "on",
        "or",
        "our",
        "the",
        "to",
        "up",
        "we",
        "what",
        "with",
        "you",
        "your",
        "this",
        "that",
        "can",
        "do",
    ]
)
SNOWBALL = {
    "en": "english",
    "nl": "dutch",
    "de": "german",
    "fr": "french",
    "es": "spanish",
    "it": "italian",
    "nb": "norwegian",
    "da": "danish",
    "sv": "swedish",
}
STOP_WORDS = {"nb": "norwegian"}  # stop-words names Norwegian by name, the others by code
COMPOUNDING = frozenset({"de", "nl", "nb", "da", "sv"})
MIN_PART = 4  # letters of a compound's known part: "bank" in "Bankkarte", not "an" in "Kanal"
MIN_COMPOUND = 7  # letters of a word that may be a compound of two such parts (and a link)
LINKING = ("s", "es", "en", "e", "n")  # a part's ending before the next: "Rechnungsadresse"
FOLDED = str.maketrans({"ß": "ss", "ø": "o", "æ": "ae", "œ": "oe", "đ": "d", "ł": "l"})
_ENGLISH_WORDS = re.compile(r"[a-z0-9]+")
_WORDS = re.compile(r"[^\W_]+")


def fold(text: str) -> str:
    """Accents and ligatures away: "Démarches" and "demarches", "Bøker" and "boker" meet."""
    decomposed = unicodedata.normalize("NFKD", text.translate(FOLDED))
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True)
class Analyzer:
    """How one language's text becomes the terms TF-IDF compares."""

    lang: str
    pattern: re.Pattern[str]
    stopwords: frozenset[str]
    compounds: bool
    _stem: object = field(repr=False, compare=False)

    def stem(self, word: str) -> str:
        """A word's stem; a number or code (any digit) as it is."""
        if not word.isalpha():
            return word
        return self._stem(word)  # type: ignore[operator]

    def words(self, text: str) -> list[str]:
        """The text's words, lowercased, stop words left out."""
        return [w for w in self.pattern.findall(text.lower()) if w not in self.stopwords]

    def known_words(self, words: Iterable[str]) -> frozenset[str]:
        """The words a compound may be split into: long enough, and not stop words."""
        if not self.compounds:
            return frozenset()
        return frozenset(w for w in words if len(w) >= MIN_PART and w.isalpha())

    def parts(self, word: str, known: frozenset[str]) -> list[str]:
        """The longest known word `word` begins with and the longest it ends with."""
        if not self.compounds or len(word) < MIN_COMPOUND or not word.isalpha():
            return []
        return compound_parts(word, known)

    def word_terms(self, word: str, known: frozenset[str] = frozenset()) -> list[str]:
        """A word's stem, then its compound parts' stems."""
        if word in self.stopwords:
            return []
        stems = [self.stem(word)]
        for part in self.parts(word, known):
            if (stem := self.stem(part)) not in stems:
                stems.append(stem)
        return stems

    def terms(self, text: str, known: frozenset[str] = frozenset()) -> list[str]:
        """The text's terms: each word's stem and, in a compounding language, the stems of
        the known words it is made of."""
        if not self.compounds:
            return [self.stem(w) for w in self.words(text)]
        return [t for w in self.words(text) for t in self.word_terms(w, known)]


def compound_parts(word: str, known: frozenset[str]) -> list[str]:
    """Lucene's dictionary decomposition, kept to a word's two ends: the longest known word at
    its start (with or without a linking ending) and the longest at its end, each leaving at
    least MIN_PART - 1 letters for the other part."""
    found = []
    for end in range(len(word) - MIN_PART + 1, MIN_PART - 1, -1):
        head = word[:end]
        if head in known:
            found.append(head)
            break
        bare = next((head[: -len(s)] for s in LINKING if head.endswith(s)), "")
        if len(bare) >= MIN_PART and bare in known:
            found.append(bare)
            break
    for start in range(MIN_PART - 1, len(word) - MIN_PART + 1):
        tail = word[start:]
        if tail in known:
            found.append(tail)
            break
    return found


def analyzer(lang: str = DEFAULT) -> Analyzer:
    """The language's analyzer; a language toptasks does not read (or "") reads as English."""
    return _analyzer(language_of_tag(lang) or DEFAULT)


@cache
def _analyzer(lang: str) -> Analyzer:
    stemmer = snowballstemmer.stemmer(SNOWBALL[lang])
    if lang == "en":
        # A site's link texts share a small vocabulary: each word is stemmed once (at 100,000
        # pages stemming every occurrence took 10 s of the audit phase).
        stem = lru_cache(maxsize=200_000)(stemmer.stemWord)
        return Analyzer("en", _ENGLISH_WORDS, ENGLISH_STOPWORDS, False, stem)

    @lru_cache(maxsize=200_000)
    def folded_stem(word: str) -> str:
        return fold(stemmer.stemWord(word))

    own = [w.lower() for w in get_stop_words(STOP_WORDS.get(lang, lang))]
    stopwords = frozenset(own) | frozenset(fold(w) for w in own)
    return Analyzer(lang, _WORDS, stopwords, lang in COMPOUNDING, folded_stem)


_NAMES = frozenset(name for names in NAMES.values() for name in names)
_CODES = frozenset(LANGUAGES) | {"no", "nn"} | frozenset(OTHER_TAGS)


def is_language_switch(text: str) -> bool:
    """A link of a language switcher: its label only names languages ("English", "EN",
    "Deutsch", "NL | FR"). It leads to the same content in another language, never toward a
    task: no competing link, no distraction."""
    if not isinstance(text, str):  # a link with no label (a missing value) names nothing
        return False
    names = [w for w in re.split(r"[\s/|·,()]+", text.lower()) if w]
    return bool(names) and all(w in _NAMES or w in _CODES for w in names)
