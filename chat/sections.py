"""The section a source card shows: the headings above a passage, not the bylines and lists of people
that the indexer also took for headings ("Andrew Selee¹", "By Duncan Wood & Andrew I. Rudman").

A heading part names people when it is a byline ("By" or "Edited by" and a capitalised word), or
when it is made of names only: each name two to four capitalised words or initials, names joined by
"and", "&" or commas, and each name's first word one the reports never write in lowercase. That last test is what
tells "Duncan Wood" or "Rosario Green" (given names are not words of the text) from "Border Health"
or "Medical Tourism" (the reports write "border" and "medical"), without a list of names.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

PATH_SEPARATOR = " > "  # how the indexer joins a passage's headings, outermost first
LOWERCASE_WORD = re.compile(r"(?<![\w'’-])[a-zß-ÿ][\w'’-]*")
BYLINE = re.compile(r"(?:Edited by|By) [A-ZÀ-Þ]")
BETWEEN_NAMES = re.compile(r"\s*(?:,|&|\band\b)\s*")
FOOTNOTE_MARKS = re.compile(r"[\d¹²³⁰-⁹*†]+")
NAME_WORD = re.compile(r"[A-ZÀ-Þ][a-zß-ÿ'’-]+|[A-Z]\.")
WORDS_PER_NAME = range(2, 5)


class SectionLabels:
    """Section labels for source cards, knowing which words the reports write in lowercase."""

    def __init__(self, texts: Iterable[str]):
        self.lowercase = {w for text in texts for w in LOWERCASE_WORD.findall(text)}

    def label(self, section: str) -> str:
        """The section's headings without the parts that name people; "" when nothing else is left."""
        return PATH_SEPARATOR.join(part for part in section.split(PATH_SEPARATOR)
                                   if part.strip() and not self.names_people(part))

    def names_people(self, heading: str) -> bool:
        heading = FOOTNOTE_MARKS.sub("", heading).strip()
        if BYLINE.match(heading):
            return True
        names = [name.split() for name in BETWEEN_NAMES.split(heading)]
        return all(len(words) in WORDS_PER_NAME and all(NAME_WORD.fullmatch(w) for w in words)
                   and words[0].lower() not in self.lowercase for words in names)
