"""The page viewer: a cited page as an image, the quote's words marked on it, as one HTML page.

It loads nothing but the page images this app serves (/page/...), so it works offline. Where the
words cannot be found on the page, it says so and marks nothing.
"""

from __future__ import annotations

import html
from urllib.parse import quote as url_quote
from urllib.parse import urlencode

from indexer.locate import RENDER_SCALE, QuoteLocation

STYLE = """
body{margin:0;font:15px/1.45 system-ui,-apple-system,"Segoe UI",sans-serif;color:#1f2328;background:#f6f8fa}
.viewer-status{margin:0;padding:10px 14px;background:#fff;border-bottom:1px solid #d0d7de}
.viewer-status.not-found{background:#fff8c5;color:#3b2300}
.viewer-quote{display:block;margin-top:4px;color:#3d444d}
.viewer-page{position:relative;margin:12px auto;width:calc(min(918px, 100vw - 24px) * var(--zoom, 1));background:#fff;
 box-shadow:0 1px 4px #0003}
.viewer-zoom{display:flex;gap:8px;align-items:center;justify-content:flex-end;padding:6px 14px;background:#fff;
 border-bottom:1px solid #d0d7de;position:sticky;top:0;z-index:1}
.viewer-pages{overflow-x:auto}  /* a zoomed page scrolls sideways here, the bars above stay */
.viewer-zoom button{font:inherit;min-width:36px;min-height:32px;border:1px solid #6e7781;border-radius:6px;
 background:#f6f8fa;color:#1f2328;cursor:pointer}
.viewer-zoom button:focus-visible{outline:3px solid #0969da;outline-offset:2px}
.viewer-page img{display:block;width:100%;height:auto}
.viewer-page figcaption{position:absolute;right:6px;top:6px;font-size:12px;background:#fffd;padding:1px 6px;
 border-radius:4px;color:#3d444d}
.highlight{position:absolute;background:rgba(255,200,0,.42);mix-blend-mode:multiply;border-bottom:2px solid #bf8700;
 color:transparent;pointer-events:none;scroll-margin-top:30vh}
.viewer-error{padding:24px 16px;color:#82071e}
a{color:#0550ae}
"""

# Zoom for small screens: the page is scaled as a whole, so the marks (placed in shares of it) follow.
ZOOM = """<div class='viewer-zoom'><button type='button' data-step='-1' aria-label='Zoom out'>−</button>
<span id='zoom-level' aria-live='polite'>100%</span><button type='button' data-step='1' aria-label='Zoom in'>+</button></div>
<script>
(() => {
  const levels = [1, 1.5, 2, 3];
  let at = 0;
  document.querySelectorAll('.viewer-zoom button').forEach((button) => button.addEventListener('click', () => {
    at = Math.max(0, Math.min(levels.length - 1, at + Number(button.dataset.step)));
    document.documentElement.style.setProperty('--zoom', levels[at]);
    document.getElementById('zoom-level').textContent = levels[at] * 100 + '%';
    const mark = document.getElementById('highlight');
    if (mark) mark.scrollIntoView({block: 'center', inline: 'center'});
  }));
})();
</script>"""


def viewer_link(doc: str, page: int, quote: str, page_end: int | None = None) -> str:
    """The viewer's address for a citation: its report, page(s) and quoted words."""
    query = {"page": page, **({"page_end": page_end} if page_end and page_end != page else {}), "quote": quote}
    return f"/viewer/{url_quote(doc)}?{urlencode(query)}#highlight"


def viewer_html(doc: str, title: str, location: QuoteLocation, quote: str) -> str:
    """The page(s) of a quote with its words marked, and a line saying what is marked (or not found)."""
    e = html.escape
    numbers = [p.page for p in location.pages]
    where = " and ".join(f"p. {n}" for n in numbers)
    if location.found:
        status = (f"<p class='viewer-status' role='status'>Highlighted on {where} of <i>{e(title)}</i>:"
                  f"<span class='viewer-quote'>\u201c{e(location.text)}\u201d</span></p>")
    elif quote.strip():
        status = (f"<p class='viewer-status not-found' role='status'>The quoted words could not be located on "
                  f"{where} of <i>{e(title)}</i>; the page is shown without a highlight."
                  f"<span class='viewer-quote'>Quoted: \u201c{e(quote)}\u201d</span></p>")
    else:
        status = f"<p class='viewer-status' role='status'>{where} of <i>{e(title)}</i>.</p>"
    pages, first = [], True
    for match in location.pages:
        marks = []
        for box in match.boxes:
            anchor = " id='highlight'" if first else ""
            first = False
            marks.append(f"<mark class='highlight'{anchor} data-text='{e(box.text)}' style='left:{box.left:.4%};"
                         f"top:{box.top:.4%};width:{box.width:.4%};height:{box.height:.4%}'>{e(box.text)}</mark>")
        pages.append(f"<figure class='viewer-page' data-page='{match.page}'>"
                     f"<img src='/page/{e(url_quote(doc))}/{match.page}.png' width='{round(match.width * RENDER_SCALE)}' "
                     f"height='{round(match.height * RENDER_SCALE)}' "
                     f"alt='Page {match.page} of {e(title)}'>"
                     f"<figcaption>p. {match.page}</figcaption>{''.join(marks)}</figure>")
    pdf = f"/pdf/{e(url_quote(doc))}#page={numbers[0]}"
    return _page(f"{where} · {title}", status + ZOOM + f"<main class='viewer-pages'>{''.join(pages)}</main>"
                 + f"<p style='text-align:center'><a href='{pdf}' target='_blank' rel='noopener'>"
                   f"Open the whole PDF at p. {numbers[0]}</a></p>")


def viewer_error(message: str) -> str:
    """A viewer page that says what is wrong with the request, in one sentence."""
    return _page("Page not shown", f"<p class='viewer-error' role='alert'>⚠️ {html.escape(message)}</p>")


def _page(title: str, body: str) -> str:
    return (f"<!doctype html><html lang='en'><head><meta charset='utf-8'>"
            f"<meta name='viewport' content='width=device-width,initial-scale=1'>"
            f"<title>{html.escape(title)}</title><style>{STYLE}</style></head><body>{body}</body></html>")
