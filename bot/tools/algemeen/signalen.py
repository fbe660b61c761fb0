"""Recognising signs of acute distress as people write them, and the help lines to show.

The phrase families, spoken forms, key words and exceptions are in content/signalen.yaml; this
module only reads them. A text goes through four steps:

1. `Normaliser.tokens`: lower case without accents; punctuation and emoji dropped but kept as
   sentence and clause ends; runs of three or more equal letters collapsed; spoken and Flemish
   forms mapped to written ones ('k -> ik, nie -> niet, nimeer -> niet meer); words written apart
   joined (zelf moord -> zelfmoord); the few key words recognised with a typo (zelfmord).
2. Every phrase pattern is looked up from the word it starts with (an index, so the cost grows
   with the length of the text, not with text x patterns).
3. Who is it about: the writer, someone else ('mijn cliënt zei dat hij ...'), or 'you' (a
   question or an example).
4. A weak hit, or a hit not about the writer, is cancelled by an exception nearby (a training,
   a film, workload). A strong phrase about the writer never is.

Nothing of the text is kept: the result is the kind and the family's name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Literal

from bot.core.replies import Span, b
from bot.text.dutch import fold
from content.schemas.signalen import (
    END,
    FILL,
    GAP,
    LONG_GAP,
    MAX_GAP,
    MAX_LONG_GAP,
    MIN_TYPO_LENGTH,
    START,
    Herkenning,
    LandHulp,
    Signalen,
)

LIMIT = 10_000
"""Characters read; the engine refuses longer messages before they get here."""
EXCEPTION_WINDOW = 10
"""An exception this many words before or after a hit cancels it (when it may)."""
LOOK_BACK = 30
"""How far back (in words) the subject of a hit is looked for."""

Kind = Literal["self", "other"]


@dataclass(frozen=True)
class Signal:
    """What was recognised: about the writer ('self') or someone else ('other'), and which
    family of phrasings. Nothing of the text itself."""

    kind: Kind
    family: str


# --- normalising ---------------------------------------------------------------------------

_LAUGH = re.compile("[\U0001f602\U0001f923\U0001f606\U0001f605\U0001f639\U0001f60a\U0001f601]")
_APOSTROPHES = re.compile("['\u2019\u2018`\u00b4\"\u201c\u201d\u201e]")
_PIECES = re.compile(r"[^\W_]+|\n|[^\w\s]")
_SENTENCE_END = frozenset(".!?\n\u2026")
_NO_BREAK = frozenset("-/&+#@*_\u200d\ufe0f")
_RUN = re.compile(r"(.)\1{2,}")
NONE, CLAUSE, SENTENCE = 0, 1, 2


@dataclass
class Tokens:
    """The words of a text, and after each word whether a clause or sentence ends there."""

    words: list[str] = field(default_factory=list)
    ends: list[int] = field(default_factory=list)

    def add(self, word: str) -> None:
        self.words.append(word)
        self.ends.append(NONE)

    def end(self, level: int) -> None:
        if self.ends:
            self.ends[-1] = max(self.ends[-1], level)

    def joined(self, i: int) -> bool:
        """Word i follows word i-1 in the same sentence."""
        return i > 0 and self.ends[i - 1] < SENTENCE


def _distance(a: str, b: str, most: int) -> int:
    """Edit distance with swaps of neighbours (zelfmorod), or most+1 once it is clearly more."""
    if abs(len(a) - len(b)) > most:
        return most + 1
    before: list[int] | None = None
    row = list(range(len(b) + 1))
    for i in range(1, len(a) + 1):
        current = [i] + [0] * len(b)
        for j in range(1, len(b) + 1):
            cost = a[i - 1] != b[j - 1]
            current[j] = min(row[j] + 1, current[j - 1] + 1, row[j - 1] + cost)
            if (
                before is not None
                and i > 1
                and j > 1
                and a[i - 1] == b[j - 2]
                and a[i - 2] == b[j - 1]
            ):
                current[j] = min(current[j], before[j - 2] + 1)
        if min(current) > most:
            return most + 1
        before, row = row, current
    return row[-1]


@dataclass(frozen=True)
class _Word:
    """One word of a pattern: its alternatives, exact or as a beginning or ending."""

    exact: frozenset[str]
    prefixes: tuple[str, ...]
    suffixes: tuple[str, ...]

    def fits(self, word: str) -> bool:
        return (
            word in self.exact
            or (bool(self.prefixes) and word.startswith(self.prefixes))
            or (bool(self.suffixes) and word.endswith(self.suffixes))
        )


class Normaliser:
    def __init__(self, rules: Herkenning, vocabulary: set[str]) -> None:
        self._spoken = {key: tuple(value.split()) for key, value in rules.spreektaal.items()}
        self._joins = [
            (self._word(first), self._word(second))
            for first, second in (j.split() for j in rules.samenvoegen)
        ]
        self._keys = tuple(rules.sleutelwoorden)
        self._tails = frozenset(rules.samenstellingen)
        self._vocabulary = vocabulary | {w for v in self._spoken.values() for w in v}
        self._stems = tuple(sorted({w[:-1] for w in self._vocabulary_stems(rules)}))
        self._typo_cache: dict[str, str] = {}

    @staticmethod
    def _word(token: str) -> _Word:
        if token.endswith("*"):
            return _Word(frozenset(), (token[:-1],), ())
        return _Word(frozenset({token}), (), ())

    @staticmethod
    def _vocabulary_stems(rules: Herkenning) -> set[str]:
        stems: set[str] = set()
        for family in rules.families:
            for pattern in [*family.patronen, *family.zwak]:
                for token in pattern.split():
                    stems.update(
                        a for a in token.split("|") if a.endswith("*") and len(a) > MIN_TYPO_LENGTH
                    )
        return stems

    def word(self, word: str) -> tuple[str, ...]:
        """One written word as the written form(s) it stands for."""
        if _RUN.search(word):
            twice, once = _RUN.sub(r"\1\1", word), _RUN.sub(r"\1", word)
            known = self._vocabulary.__contains__
            word = (
                twice
                if known(twice) or twice in self._spoken
                else once
                if known(once) or once in self._spoken
                else twice
            )
        return self._spoken.get(word, (word,))

    def typo(self, word: str) -> str:
        """A key word written with a typo, as the key word (with its compound ending)."""
        if (
            len(word) < MIN_TYPO_LENGTH
            or len(word) > 40
            or word in self._vocabulary
            or not word.isalpha()
            or word.startswith(self._stems)
        ):
            return word
        cached = self._typo_cache.get(word)
        if cached is not None:
            return cached
        found = word
        for key in self._keys:
            if word[0] != key[0] and word[1:3] != key[1:3]:
                continue
            most = 1 if len(key) < 9 else 2
            if _distance(word, key, most) <= most:
                found = key
                break
            if len(word) > len(key) + 3:  # a compound: key with a typo + a known ending
                for tail in self._tails:
                    if word.endswith(tail) and _distance(word[: -len(tail)], key, 1) <= 1:
                        found = key + tail
                        break
                if found != word:
                    break
        if len(self._typo_cache) > 20_000:
            self._typo_cache.clear()
        self._typo_cache[word] = found
        return found

    def tokens(self, text: str) -> Tokens:
        folded = _APOSTROPHES.sub("", fold(_LAUGH.sub(" haha ", text[:LIMIT])))
        out = Tokens()
        for piece in _PIECES.findall(folded):
            if piece.isalnum():
                for word in self.word(piece):
                    self._append(out, self.typo(word))
            elif piece in _SENTENCE_END:
                out.end(SENTENCE)
            elif piece not in _NO_BREAK:
                out.end(CLAUSE)
        return out

    def _append(self, out: Tokens, word: str) -> None:
        if out.words and out.ends[-1] == NONE:
            previous = out.words[-1]
            for first, second in self._joins:
                if first.fits(previous) and second.fits(word):
                    out.words[-1] = previous + word
                    return
        out.add(word)


# --- patterns ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Gap:
    most: int
    fillers: frozenset[str] | None
    """Only these words may be skipped; None: any word."""


@dataclass(frozen=True)
class _Start:
    pass


@dataclass(frozen=True)
class _End:
    followers: frozenset[str]
    """The clause may also go on with one of these words ('zitten $|en|want')."""


_Element = _Word | _Gap | _Start | _End


@dataclass(frozen=True)
class _Pattern:
    family: str
    strong: bool
    source: str
    elements: tuple[_Element, ...]

    @property
    def head(self) -> int:
        """Index of the first word (after a ^)."""
        return 1 if isinstance(self.elements[0], _Start) else 0


@dataclass(frozen=True)
class _Hit:
    pattern: _Pattern
    start: int
    end: int


class _Index:
    """Patterns by the word they start with, so each word of a text only tries those."""

    def __init__(self, patterns: list[_Pattern]) -> None:
        self._exact: dict[str, list[_Pattern]] = {}
        self._prefix: dict[str, list[tuple[str, _Pattern]]] = {}
        self._suffix: list[tuple[str, _Pattern]] = []
        for pattern in patterns:
            head = pattern.elements[pattern.head]
            assert isinstance(head, _Word)
            for word in head.exact:
                self._exact.setdefault(word, []).append(pattern)
            for prefix in head.prefixes:
                self._prefix.setdefault(prefix[:1], []).append((prefix, pattern))
            for suffix in head.suffixes:
                self._suffix.append((suffix, pattern))

    def candidates(self, word: str) -> Iterator[_Pattern]:
        yield from self._exact.get(word, ())
        for prefix, pattern in self._prefix.get(word[:1], ()):
            if word.startswith(prefix):
                yield pattern
        for suffix, pattern in self._suffix:
            if word.endswith(suffix):
                yield pattern


def _match(elements: tuple[_Element, ...], k: int, toks: Tokens, i: int, first: bool) -> int | None:
    """Where the match of elements[k:] at word i ends (exclusive), or None."""
    words, n = toks.words, len(toks.words)
    while k < len(elements):
        element = elements[k]
        if isinstance(element, _Word):
            if i >= n or not element.fits(words[i]) or (not first and not toks.joined(i)):
                return None
            i, k, first = i + 1, k + 1, False
        elif isinstance(element, _Gap):
            for skip in range(element.most + 1):
                if skip:
                    j = i + skip - 1
                    if j >= n or not toks.joined(j):
                        return None
                    if element.fillers is not None and words[j] not in element.fillers:
                        return None
                end = _match(elements, k + 1, toks, i + skip, False)
                if end is not None:
                    return end
            return None
        elif isinstance(element, _Start):
            if i > 0 and toks.ends[i - 1] == NONE:
                return None
            k += 1
        else:
            if not (i == n or toks.ends[i - 1] > NONE or words[i] in element.followers):
                return None
            k += 1
    return i


def _find(index: _Index, toks: Tokens) -> Iterator[_Hit]:
    for i, word in enumerate(toks.words):
        for pattern in index.candidates(word):
            head = pattern.head
            if head and i > 0 and toks.ends[i - 1] == NONE:
                continue
            end = _match(pattern.elements, head, toks, i, True)
            if end is not None:
                yield _Hit(pattern, i, end)


# --- the detector --------------------------------------------------------------------------

Who = Literal["self", "other", "you"]


class Detector:
    def __init__(self, signalen: Signalen) -> None:
        rules = signalen.herkenning
        self._fillers = frozenset(rules.opvulwoorden)
        # the vocabulary: every exact word the rules use, so those are never 'corrected'
        vocabulary: set[str] = set(self._fillers)
        sources: list[str] = [
            *rules.personen.ik,
            *rules.personen.ik_in_zin,
            *rules.personen.ander,
            *rules.personen.ander_in_zin,
            *rules.personen.jij,
            *rules.personen.spreken,
        ]
        for family in rules.families:
            sources += [*family.patronen, *family.zwak]
        for uitzondering in rules.uitzonderingen:
            sources += uitzondering.patronen
        for source in sources:
            for token in source.split():
                vocabulary.update(a for a in token.split("|") if "*" not in a and a.isalnum())
        self.normaliser = Normaliser(rules, vocabulary)

        patterns = [self._compile(p, f.naam, True) for f in rules.families for p in f.patronen]
        patterns += [self._compile(p, f.naam, False) for f in rules.families for p in f.zwak]
        self._index = _Index(patterns)
        self._exceptions = [
            (
                _Index([self._compile(p, u.naam, False) for p in u.patronen]),
                frozenset(u.geldt_voor) or None,
            )
            for u in rules.uitzonderingen
        ]

        people = rules.personen
        self._self_subject = frozenset(people.ik)
        self._self_inside = frozenset(people.ik_in_zin)
        others = [self._word(token) for token in people.ander]
        self._other = _Word(
            frozenset().union(*(w.exact for w in others)),
            tuple(p for w in others for p in w.prefixes),
            tuple(x for w in others for x in w.suffixes),
        )
        self._other_inside = frozenset(people.ander_in_zin)
        self._you = frozenset(people.jij)
        self._speech = frozenset(people.spreken)

    # compiling ----------------------------------------------------------------------------

    def _word(self, token: str) -> _Word:
        exact: set[str] = set()
        prefixes: list[str] = []
        suffixes: list[str] = []
        for alternative in token.split("|"):
            if alternative.endswith("*"):
                prefixes.append(alternative[:-1])
            elif alternative.startswith("*"):
                suffixes.append(alternative[1:])
            else:
                mapped = self.normaliser.word(alternative)
                exact.add(mapped[0] if len(mapped) == 1 else alternative)
        return _Word(frozenset(exact), tuple(prefixes), tuple(suffixes))

    def _compile(self, source: str, family: str, strong: bool) -> _Pattern:
        elements: list[_Element] = []
        for token in source.split():
            if token == START:
                elements.append(_Start())
            elif token.startswith(END):
                elements.append(
                    _End(frozenset(self.normaliser.word(w)[0] for w in token.split("|")[1:]))
                )
            elif token == GAP:
                elements.append(_Gap(MAX_GAP, None))
            elif token == LONG_GAP:
                elements.append(_Gap(MAX_LONG_GAP, None))
            elif token == FILL:
                elements.append(_Gap(MAX_GAP, self._fillers))
            elif "|" not in token and "*" not in token:
                # a spoken form in a pattern ('nimeer') stands for its written words
                elements += [_Word(frozenset({w}), (), ()) for w in self.normaliser.word(token)]
            else:
                elements.append(self._word(token))
        return _Pattern(family, strong, source, tuple(elements))

    # who -----------------------------------------------------------------------------------

    def _is_other(self, word: str) -> bool:
        return self._other.fits(word)

    def _speech_before(self, toks: Tokens, j: int) -> bool:
        """'mijn dochter zei: ik wil dood' - the 'ik' at j is someone else speaking."""
        words = toks.words
        k = j - 1
        while k >= max(0, j - 4) and toks.joined(k + 1):
            if words[k] in ("dat", "of", "omdat", "als"):
                return False
            if words[k] in self._speech:
                m = k - 1
                while m >= 0 and toks.joined(m + 1) and m >= k - LOOK_BACK:
                    if self._is_other(words[m]):
                        return True
                    m -= 1
                return False
            k -= 1
        return False

    def _marker(self, word: str) -> Who | None:
        if word in self._self_subject:
            return "self"
        if self._is_other(word):
            return "other"
        if word in self._you:
            return "you"
        return None

    def who(self, toks: Tokens, hit: _Hit) -> tuple[Who, bool]:
        """About whom, and whether that is marked in the text (not just the default)."""
        words = toks.words
        for j in range(hit.start, hit.end):
            if words[j] in self._self_inside:
                return ("other" if self._speech_before(toks, j) else "self"), True
        for j in range(hit.start, hit.end):
            if words[j] in self._other_inside:
                return "other", True
        for j in range(hit.start, hit.end):
            if words[j] in self._you:
                return "you", True
        # the subject before it, in the same sentence
        j = hit.start - 1
        while j >= 0 and j >= hit.start - LOOK_BACK and toks.joined(j + 1):
            marker = self._marker(words[j])
            if marker == "self":
                return ("other" if self._speech_before(toks, j) else "self"), True
            if marker is not None:
                return marker, True
            j -= 1
        # '..., zegt ze' right after it
        k = hit.end
        if k < len(words) and words[k] in self._speech and toks.joined(k):
            if k + 1 < len(words) and self._is_other(words[k + 1]):
                return "other", True
        # an earlier sentence: who it is about, but not marked for this sentence
        while j >= 0 and j >= hit.start - LOOK_BACK:
            marker = self._marker(words[j])
            if marker is not None:
                return marker, False
            j -= 1
        return "self", False

    # checking ------------------------------------------------------------------------------

    def _cancelled(self, toks: Tokens, hit: _Hit, found: dict[int, list[int]]) -> bool:
        """An exception this family gives way to, within the window around the hit."""
        low = max(0, hit.start - EXCEPTION_WINDOW)
        high = min(len(toks.words), hit.end + EXCEPTION_WINDOW)
        for n, (index, families) in enumerate(self._exceptions):
            if families is not None and hit.pattern.family not in families:
                continue
            if n not in found:
                found[n] = self._coverage(index, toks)
            if found[n][high] - found[n][low] > 0:
                return True
        return False

    @staticmethod
    def _coverage(index: _Index, toks: Tokens) -> list[int]:
        """Prefix sums of the words an exception covers: any in [a, b) is one subtraction."""
        covered = [0] * (len(toks.words) + 1)
        for hit in _find(index, toks):
            for j in range(hit.start, hit.end):
                covered[j + 1] = 1
        for j in range(1, len(covered)):
            covered[j] += covered[j - 1]
        return covered

    def check(self, text: str) -> Signal | None:
        """The distress in the text, or None. About the writer wins over about someone else."""
        toks = self.normaliser.tokens(text)
        if not toks.words:
            return None
        exceptions: dict[int, list[int]] = {}
        other: Signal | None = None
        for hit in _find(self._index, toks):
            who, marked = self.who(toks, hit)
            immune = hit.pattern.strong and who == "self" and marked
            if not immune and self._cancelled(toks, hit, exceptions):
                continue
            if who != "other":
                return Signal("self", hit.pattern.family)
            other = other or Signal("other", hit.pattern.family)
        return other

    def hits(self, text: str) -> bool:
        return self.check(text) is not None

    def explain(self, text: str) -> list[str]:
        """For reviewers and tests: the normalised words and every hit with its verdict."""
        toks = self.normaliser.tokens(text)
        lines = [
            " ".join(
                w + ("." if e == SENTENCE else "," if e == CLAUSE else "")
                for w, e in zip(toks.words, toks.ends, strict=True)
            )
        ]
        exceptions: dict[int, list[int]] = {}
        for hit in _find(self._index, toks):
            who, marked = self.who(toks, hit)
            immune = hit.pattern.strong and who == "self" and marked
            cancelled = not immune and self._cancelled(toks, hit, exceptions)
            lines.append(
                f"{hit.pattern.family}: {hit.pattern.source!r} "
                f"[{' '.join(toks.words[hit.start : hit.end])}] who={who}"
                f"{'' if marked else '?'}{' cancelled' if cancelled else ''}"
            )
        return lines


_DETECTORS: dict[int, tuple[Signalen, Detector]] = {}


def detector(signalen: Signalen) -> Detector:
    """One compiled detector per loaded content."""
    cached = _DETECTORS.get(id(signalen))
    if cached is None or cached[0] is not signalen:
        cached = (signalen, Detector(signalen))
        _DETECTORS[id(signalen)] = cached
    return cached[1]


# --- help lines ----------------------------------------------------------------------------


def _line_parts(land: LandHulp) -> list[str | Span]:
    parts: list[str | Span] = []
    for line in land.hulplijnen:
        number = line.nummer + (f" of {line.ook}" if line.ook else "")
        when = line.wanneer + (f"; chatten kan {line.chat}" if line.chat else "")
        parts += ["\n📞 ", b(line.naam), f": bel {number} ({when})"]
    return parts


def help_lines(
    signalen: Signalen, country: str | None, bystander: bool = False, others: bool | None = None
) -> list[str | Span]:
    """The help lines of the country (the default one for None) in full; and, when the person
    did not choose a country themselves (`others`, by default: when there is no country), the
    other country's numbers in one line. For a bystander (someone worried about another
    person) first who is there for them too."""
    land = signalen.land(country or signalen.standaard)
    parts: list[str | Span] = [b(f"Hulp nu in {land.naam}")]
    if bystander:
        parts.append(f"\n{land.omstaanders}")
    parts += _line_parts(land)
    if country is None if others is None else others:
        for other in signalen.landen:
            if other.code != land.code:
                numbers = "; ".join(
                    f"{h.naam}: {h.nummer}" + (f" of {h.ook}" if h.ook else "")
                    for h in other.hulplijnen
                )
                parts.append(f"\nWoon je in {other.naam}? {numbers}.")
    return parts
