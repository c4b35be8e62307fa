"""How many of the index's sentences the page viewer finds on their pages, and how fast.

    python bench/locate.py --index index

Every running-text sentence is looked for on the page(s) the index gives it (indexer/locate.py), as a
citation of it would be; the figures are for the README. The first look at a page reads its
characters (tens of ms); later looks reuse them.
"""

from __future__ import annotations

import argparse
import time
from collections import Counter
from pathlib import Path

from indexer import load_index
from indexer.locate import letters_of, locate_quote, render_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--index", type=Path, default=Path("index"))
    args = parser.parse_args()
    index = load_index(args.index)
    corpus = Path(index.manifest.corpus_dir)
    files = {f.report_id: corpus / f.file_name for f in index.manifest.files}
    sentences = {(c.report_id, s.text, s.page, s.page_end) for c in index.chunks for s in c.sentences
                 if s.kind in ("statement", "list_item", "question")}
    counts, first_look, missing = Counter(), [], []
    seen_pages = set()
    for report, text, page, page_end in sorted(sentences):
        start = time.perf_counter()
        location = locate_quote(files[report], page, text, page_end)
        if (report, page) not in seen_pages:
            first_look.append(time.perf_counter() - start)
            seen_pages.add((report, page))
        kind = "over a page break" if page_end != page else "on one page"
        counts[kind] += 1
        if location.found and letters_of(location.text) == letters_of(text):
            counts[f"{kind}: found, exactly its letters"] += 1
            if page_end != page and all(p.boxes for p in location.pages):
                counts[f"{kind}: marked on both pages"] += 1
        else:
            missing.append(f"{report} p. {page}: {text[:70]}")
    renders = []
    for report, page in sorted(seen_pages)[:40]:
        start = time.perf_counter()
        render_page(files[report], page)
        renders.append(time.perf_counter() - start)
    for name, count in sorted(counts.items()):
        print(f"{name}: {count}")
    print(f"not found: {len(missing)}", *missing[:10], sep="\n  ")
    first_look.sort()
    renders.sort()
    print(f"first look at a page: median {1000 * first_look[len(first_look) // 2]:.0f} ms; "
          f"rendering a page to PNG: median {1000 * renders[len(renders) // 2]:.0f} ms")


if __name__ == "__main__":
    main()
