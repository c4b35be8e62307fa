"""Who wrote each passage of an edited volume: the authors of the chapter it stands in.

"What does Olson see as the main gap…?" names the 2017 volume through its catalog authors (see
chat.report_hints), but only Olson's chapter speaks for him: the volume's other chapters, on
energy or migration, and its summary do not. A chapter starts at its byline, which names some of
the catalog's authors: "By Eric L. Olson²", "By Andrew Selee, Andrea Tanco, & Ariel G. Ruiz Soto",
or the names alone on a line of their own ("E. Anthony Wayne and Arturo Sarukhan"). It runs to the
next byline. A byline naming most of a volume's authors is the volume's, and "Edited by" names its
editor: neither starts a chapter.

The bylines are read from the words, whatever kind the indexer gave the line: where a chapter
begins on the page where the previous one's endnotes end, its byline falls among them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from typing import NamedTuple

import numpy as np

from chat.names import POSSESSIVE
from chat.report_hints import ORGANISATION, surname
from indexer.kinds import SUPERSCRIPTS
from indexer.lexical import fold_accents

# Words that join the names of a byline: "Wood & Ramiro", "Wayne and Sarukhan", "Selee, Tanco, & Ruiz Soto"
JOINERS = frozenset("& and y ,".split())
BY = re.compile(r"(?:^|\s)(Edited by|By)\s+(\S.*)$")
# Where a contents line puts a chapter's page before its byline ("Regional Issues 115 By Arturo
# Sarukhan"): the line lists the chapter, it does not start it.
CONTENTS_PAGE = re.compile(r"\s\d{1,3}$")
NAME_TOKEN = re.compile(r"[^\s,]+|,")
# A byline naming more than this share of a volume's authors is the volume's own, on its title page
# ("By Christopher E. Wilson Eric L. Olson … Arturo Sarukhan": 6 of 6); a chapter's names one to three.
VOLUME_SHARE = 0.5


class ChunkText(NamedTuple):
    report_id: str
    page: int
    sentences: Sequence[str]


class Person(NamedTuple):
    name: str  # as the catalog writes it: "Eric L. Olson"
    surname: str  # its last word: "Olson"
    words: frozenset[str]  # every word of the name: "Eric", "L.", "Olson"


class Chapters:
    """The chapters of the corpus's edited volumes, by their bylines, and the authors a question names."""

    def __init__(self, authors: dict[str, list[str]], chunks: Iterable[ChunkText]):
        """authors: per report, the catalog's authors; chunks: every passage's sentences, in reading order."""
        self._people = {rid: [p for p in map(_person, names) if p] for rid, names in authors.items()}
        # A surname that is also a word of an organisation the catalog names ("Wilson" of the Wilson
        # Center) names the person only with a first name: "Christopher Wilson".
        self._organisation_words = {w for names in authors.values() for name in names if ORGANISATION.search(name)
                                    for w in name.split()}
        chapters_of: list[frozenset[Chapter]] = []  # per chunk, the chapters it stands in
        self._chapters: set[Chapter] = set()
        current: dict[str, Chapter | None] = {}  # per report, the chapter being read
        last_line: dict[str, Byline | None] = {}  # per report, the byline just read, if the last line was one
        for chunk in chunks:
            report, people = chunk.report_id, self._people.get(chunk.report_id, [])
            here: set[Chapter] = set()
            for text in chunk.sentences:
                line, before = _byline(text, people, chunk.page), last_line.get(report)
                if line and before and not line.by and not before.editor:
                    # A byline wrapped onto the next line goes on there ("By Christopher E. Wilson … E.
                    # Anthony Wayne", then "Arturo Sarukhan"): what its first line started is no chapter.
                    partial = current.get(report)
                    here.discard(partial)
                    self._chapters.discard(partial)
                    line = Byline(before.names | line.names, False, True, before.page)
                if line:
                    names = _chapter_authors(line, people)
                    current[report] = Chapter(report, line.page, names) if names else None
                last_line[report] = line
                if current.get(report):
                    here.add(current[report])
            chapters_of.append(frozenset(here))
            self._chapters |= here
        self._chapter_authors = {name for chapter in self._chapters for name in chapter.authors}
        # Per chapter, which chunks stand in it: computed once, as retrieval asks per question
        self._inside = {chapter: np.array([chapter in here for here in chapters_of], dtype=bool)
                        for chapter in self._chapters}
        self._chunks = len(chapters_of)

    def named(self, question: str) -> list[str]:
        """The authors of chapters the question names by their surname ("according to Sarukhan",
        "Olson's view", "según Sarukhán"), as the catalog writes them."""
        words = set(re.findall(r"[\w-]+", fold_accents(question)))
        found = []
        for person in {p for people in self._people.values() for p in people}:
            if person.name not in self._chapter_authors or fold_accents(person.surname) not in words:
                continue
            firsts = {fold_accents(w) for w in person.words - {person.surname}}
            if person.surname in self._organisation_words and not words & firsts:
                continue
            found.append(person.name)
        return sorted(found)

    def without_surnames(self, question: str, authors: Iterable[str]) -> str:
        """The question without the authors' surnames: what else in it names a report."""
        wanted = set(authors)
        surnames = {fold_accents(p.surname) for people in self._people.values() for p in people if p.name in wanted}
        return " ".join(w for w in question.split() if _bare(w) not in surnames)

    def by_authors(self, authors: Iterable[str]) -> dict[str, list[str]]:
        """Per report, the chapters (labels) any of the authors wrote."""
        wanted = set(authors)
        return _by_report(c for c in self._chapters if c.authors & wanted)

    def within(self, report_id: str, labels: Iterable[str]) -> np.ndarray:
        """Per chunk, whether it stands in one of the report's chapters so labelled."""
        wanted = set(labels)
        inside = np.zeros(self._chunks, dtype=bool)
        for chapter, mask in self._inside.items():
            if chapter.report_id == report_id and chapter.label in wanted:
                inside |= mask
        return inside


class Chapter(NamedTuple):
    report_id: str
    page: int  # where it starts
    authors: frozenset[str]

    @property
    def label(self) -> str:
        """Its authors and first page, as a Reading names it: "Eric L. Olson, p. 21"."""
        return f"{' & '.join(sorted(self.authors))}, p. {self.page}"


def _by_report(chapters: Iterable[Chapter]) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for chapter in chapters:
        out.setdefault(chapter.report_id, []).append(chapter.label)
    return {report: sorted(set(labels)) for report, labels in out.items()}


def _person(name: str) -> Person | None:
    """A catalog author who is a person with a first and a last name; None for an organisation."""
    last = surname(name)
    return Person(name, last, frozenset(name.split())) if last else None


class Byline(NamedTuple):
    names: frozenset[str]
    editor: bool  # "Edited by": it names the volume's editor
    by: bool  # it says "By"; a line of names alone may continue the byline before it
    page: int  # where it stands


def _byline(text: str, people: list[Person], page: int) -> Byline | None:
    """The authors a line names as a byline: "By" and names, or names alone on their line; None when
    it is no byline."""
    if not people:
        return None
    text = text.strip()
    match = BY.search(text)
    if match:
        if CONTENTS_PAGE.search(text[:match.start()].rstrip()):
            return None
        named = _names_only(match.group(2), people)
        return Byline(frozenset(named), match.group(1).startswith("Edited"), True, page) if named else None
    named = _names_only(text, people, whole_names=True)
    return Byline(frozenset(named), False, False, page) if named else None


def _bare(word: str) -> str:
    """A word without its possessive and punctuation, accents folded: "Sarukhán's," -> "Sarukhan"."""
    word = fold_accents(word).rstrip(".,;:?!)¿¡")
    return next((word[:-len(p)] for p in POSSESSIVE if word.endswith(p)), word)


def _chapter_authors(byline: Byline, people: list[Person]) -> frozenset[str]:
    """Whose chapter a byline starts: no one's when it is the editor's or names most of the volume's
    authors (it is the volume's own)."""
    if byline.editor or len(byline.names) > VOLUME_SHARE * len(people):
        return frozenset()
    return byline.names


def _names_only(text: str, people: list[Person], whole_names: bool = False) -> set[str] | None:
    """The people a run of names names, or None when it holds any other word. With whole_names,
    each must be named by more than the surname ("Duncan Wood", not "Wood")."""
    tokens = [t.rstrip(SUPERSCRIPTS) for t in NAME_TOKEN.findall(text.strip().rstrip(SUPERSCRIPTS))]
    known = {w for p in people for w in p.words}
    if not tokens or any(t not in known and t.lower() not in JOINERS for t in tokens if t):
        return None
    said = set(tokens)
    named = {p.name for p in people if p.surname in said and (not whole_names or len(said & p.words) > 1)}
    return named or None
