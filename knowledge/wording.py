"""Reading a message the way safeguarding phrases are written: one canonical word per word typed.

`Wording.words(text)` turns "Im SO burnt-out, cant cope!!" into stems
["i", "am", "so", "burn", "out", ".", "can", "not", "cope", "."]:

1. Unicode folded (NFKC, casefold); apostrophes dropped ("can't" = "cant"); sentence
   punctuation becomes a "." word, so a phrase can end at a sentence end.
2. Letters typed three or more times in a row are shortened ("soooo").
3. Short forms, contractions and listed spellings are replaced (`spellings` in the content:
   "cant" → "can not", "kms" → "kill myself").
4. A word the English word list does not know is tried in its American spelling
   (organise → organize, behaviour → behavior, paediatric → pediatric): the list is American.
5. A word still unknown is matched, with rapidfuzz, to the nearest word the phrases use (or an
   inflection of one: "sucidal" → "suicidal", "harrased" → "harassed"): same first letter, one
   edit (two from eight letters; a swap of two letters is one edit, and wins a tie: "wnat" →
   "want", not "what"). Known English words are never "corrected".
6. Each word is reduced to its Snowball stem (PyStemmer), so inflections match
   ("bullied" = "bullying"), except words the content keeps whole ("suicidal").

The English word list is pyspellchecker's (loaded once per process, about a quarter of a second).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from functools import cache

import Stemmer
from rapidfuzz import process
from rapidfuzz.distance import OSA
from spellchecker import SpellChecker

APOSTROPHES = re.compile(r"['’‘`´]")
BOUNDARY = re.compile(r"[.!?;,:\n]+")
WORD = re.compile(r"[^\W_]+|\.")
REPEATS = re.compile(r"(\w)\1{2,}")
# British spellings, tried in turn on a word the (American) word list does not know.
BRITISH = (
    (re.compile(r"is(e|ed|es|ing|ation|ations|er|ers)$"), r"iz\1"),
    (re.compile(r"ys(e|ed|es|ing)$"), r"yz\1"),
    (re.compile(r"our(s|ed|ing|ite|ites|able|er)?$"), r"or\1"),
    (re.compile(r"ll(ed|ing|er|ers|or|ors)$"), r"l\1"),
    (re.compile(r"tre(s)?$"), r"ter\1"),
    (re.compile(r"ence$"), r"ense"),
    (re.compile(r"ae"), r"e"),
    (re.compile(r"oe"), r"e"),
    (re.compile(r"mme$"), r"m"),
    (re.compile(r"ogue$"), r"og"),
)
MAX_CACHE = 50_000  # words remembered (a message rarely brings a new one)


@cache
def english_words() -> tuple[tuple[str, ...], frozenset[str]]:
    """The English (American) word list, most frequent first, and as a set: a word in it is never
    taken for a misspelling, and a misspelling goes to the likelier of two words."""
    counts: dict[str, int] = SpellChecker(language="en", distance=1).word_frequency.dictionary
    ordered = tuple(sorted(counts, key=counts.__getitem__, reverse=True))
    return ordered, frozenset(ordered)


class Wording:
    """Turns text into the canonical words phrases are matched on.

    Args:
        spellings: word or words typed → words meant (lower case).
        keep_whole: words never reduced to a stem.
    """

    def __init__(self, spellings: dict[str, str], keep_whole: frozenset[str]) -> None:
        self.stemmer = Stemmer.Stemmer("english")
        self.spellings = spellings
        self.keep_whole = keep_whole
        keys = sorted(spellings, key=len, reverse=True)
        self._spelling_re = re.compile(r"(?<!\S)(?:" + "|".join(re.escape(k) for k in keys) + r")(?!\S)")
        self.english = english_words()[1]
        self.known = {w for value in spellings.values() for w in value.split()}  # besides the English words
        self._targets: dict[str, list[str]] = {}
        self._cache: dict[str, str] = {}

    def learn(self, phrase_words: Iterable[str]) -> None:
        """Make the words phrases use (and their inflections in the word list) targets for misspellings."""
        words = {self._canonical_spelling(w) for w in phrase_words if w.isalpha()}
        self.known |= words
        stems = {self.stem(w) for w in words}
        prefixes = {s[:4] for s in stems}  # a word's stem starts with its first four letters (or is shorter)
        nearby = [w for w in english_words()[0] if len(w) >= 4 and (w[:4] in prefixes or w[:3] in prefixes)]
        chosen = [w for w, s in zip(nearby, self.stemmer.stemWords(nearby), strict=True) if s in stems]
        chosen += sorted(words.difference(chosen, [w for w in words if len(w) < 4]))
        self._targets.clear()
        for word in chosen:
            self._targets.setdefault(word[0], []).append(word)
        self._cache.clear()

    def words(self, text: str) -> list[str]:
        """The canonical words of `text` (stems, with "." at sentence ends), ending with "."."""
        folded = APOSTROPHES.sub("", unicodedata.normalize("NFKC", text).casefold())
        raw = " ".join(REPEATS.sub(r"\1\1", w) for w in WORD.findall(BOUNDARY.sub(" . ", folded)))
        spelled = self._spelling_re.sub(lambda m: self.spellings[m.group(0)], raw).split()
        words = [self._word(w) for w in spelled]
        if not words or words[-1] != ".":
            words.append(".")
        return words

    def is_known(self, word: str) -> bool:
        return word in self.english or word in self.known

    def stem(self, word: str) -> str:
        return word if word in self.keep_whole else str(self.stemmer.stemWord(word))

    def _word(self, word: str) -> str:
        found = self._cache.get(word)
        if found is None:
            found = self.stem(self._corrected(word))
            if len(self._cache) < MAX_CACHE:
                self._cache[word] = found
        return found

    def _canonical_spelling(self, word: str) -> str:
        """American spelling of a word the list does not know, when that spelling is in the list."""
        if self.is_known(word) or not word.isalpha():
            return word
        for pattern, replacement in BRITISH:
            candidate = pattern.sub(replacement, word)
            if candidate != word and self.is_known(candidate):
                return candidate
        return word

    def _corrected(self, word: str) -> str:
        if word == "." or self.is_known(word) or not word.isalpha() or len(word) < 4:
            return word
        spelled = self._canonical_spelling(word)
        if spelled != word:
            return spelled
        targets = self._targets.get(word[0])
        if not targets:
            return word
        found = process.extract(word, targets, scorer=OSA.distance, score_cutoff=1 if len(word) < 8 else 2, limit=8)
        if not found:
            return word
        # Nearest first; between equals, the same letters swapped ("wnat" is "want", not "what"), then the commoner.
        letters = sorted(word)
        best = min(found, key=lambda f: (f[1], sorted(f[0]) != letters, f[2]))
        return str(best[0])
