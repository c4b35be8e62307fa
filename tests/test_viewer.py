"""The page viewer, marker previews and kept conversations, in a real browser (Debian chromium).

Every page here runs with all requests off this machine blocked and recorded: the app, the viewer
included, must load nothing from outside.
"""

import urllib.error
import urllib.request
from urllib.parse import parse_qs, urlparse

import pytest

from chat.viewer import viewer_link
from indexer import load_index
from indexer.locate import letters_of
from tests.conftest import free_port
from tests.test_web import ARTIFACTS, Server, _ask_for_new_sources, _ask_in_browser

pytestmark = pytest.mark.real_corpus
QUESTION = "How many people of Mexican heritage live in the United States?"
OTHER_QUESTION = "What is the Mérida Initiative?"


@pytest.fixture(scope="module")
def server(real_index, tmp_path_factory):
    srv = Server(real_index, tmp_path_factory.mktemp("viewer") / "feedback.jsonl")
    yield srv
    srv.stop()


@pytest.fixture
def offline(browser):
    """new_page(**context options): pages whose requests to other hosts are aborted; .outside lists them."""
    contexts, outside = [], []

    def block(route):
        if urlparse(route.request.url).hostname in ("127.0.0.1", "localhost"):
            route.continue_()
        else:
            outside.append(route.request.url)
            route.abort()

    def new_page(**options):
        context = browser.new_context(**options)
        context.route("**/*", block)
        contexts.append(context)
        return context.new_page()

    new_page.outside = outside
    yield new_page
    for context in contexts:
        context.close()


def _open(page, server):
    page.goto(server.url, wait_until="load")
    page.locator("#question textarea").wait_for()


def _highlighted(frame) -> str:
    return " ".join(frame.locator("mark.highlight").evaluate_all("ms => ms.map(m => m.dataset.text)"))


# WCAG contrast of an element's text against the first opaque background behind it.
CONTRAST = """els => els.map(el => {
  const rgb = c => (c.match(/[\\d.]+/g) || []).map(Number);
  const lum = ([r, g, b]) => [r, g, b].map(v => { v /= 255; return v <= 0.03928 ? v / 12.92
      : ((v + 0.055) / 1.055) ** 2.4; }).reduce((s, v, i) => s + v * [0.2126, 0.7152, 0.0722][i], 0);
  let back = el, bg = null;
  while (back) { const c = rgb(getComputedStyle(back).backgroundColor);
    if (c.length === 3 || c[3] === 1) { bg = c.slice(0, 3); break; } back = back.parentElement; }
  const [a, b] = [lum(rgb(getComputedStyle(el).color)), lum(bg || [255, 255, 255])];
  return (Math.max(a, b) + 0.05) / (Math.min(a, b) + 0.05);
})"""
OUR_TEXT = ["#sources .card-meta", "#sources .card-passage", "#sources .card-section", "#sources a.card-view",
            "#sources a.card-pdf", "#sources .copy-citation", "#page-viewer-title", "#page-viewer-close",
            "#page-viewer-tab"]


def _viewer(page):
    frame = page.frame_locator("#page-viewer-frame")
    frame.locator(".viewer-status").wait_for(timeout=30_000)
    page.wait_for_function("() => { const d = document.querySelector('#page-viewer-frame').contentDocument;"
                           " return d && [...d.images].length && [...d.images].every(i => i.complete && i.naturalWidth); }",
                           timeout=30_000)
    return frame


def test_a_citation_opens_its_page_with_the_quoted_words_highlighted(server, offline):
    page = offline(viewport={"width": 1400, "height": 1000})
    _open(page, server)
    _ask_in_browser(page, QUESTION)
    marker = page.locator("#chat [data-testid='bot'] a[href^='/viewer/']").first
    marker.wait_for()
    quote = parse_qs(urlparse(marker.get_attribute("href")).query)["quote"][0]

    marker.hover()  # the preview: report, page, quote
    preview = page.locator("#citation-preview")
    preview.wait_for(state="visible")
    card = page.locator("#source-1")
    assert card.locator(".card-title").inner_text() in preview.inner_text()
    assert card.locator(".card-page").inner_text() in preview.inner_text()
    assert quote[:60] in preview.inner_text()

    marker.click()
    frame = _viewer(page)
    assert page.locator("#page-viewer").evaluate("d => d.open")
    assert page.locator("#page-viewer-title").inner_text().startswith(card.locator(".card-page").inner_text())
    assert letters_of(_highlighted(frame)) == letters_of(quote)
    assert frame.locator("figure.viewer-page").count() == 1
    # each mark lies on the page image, and the first is scrolled into view
    inside = frame.locator("figure.viewer-page").evaluate(
        "f => { const r = f.getBoundingClientRect(); return [...f.querySelectorAll('mark')].every(m => {"
        " const b = m.getBoundingClientRect(); return b.width > 0 && b.left >= r.left && b.right <= r.right + 1"
        " && b.top >= r.top && b.bottom <= r.bottom + 1; }); }")
    assert inside
    assert frame.locator("#highlight").evaluate("m => { const b = m.getBoundingClientRect();"
                                                " return b.top >= 0 && b.bottom <= window.innerHeight; }")
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / "viewer.png"))

    page.keyboard.press("Escape")  # closes, and focus goes back to the marker
    page.wait_for_function("() => !document.querySelector('#page-viewer').open")
    assert marker.evaluate("m => document.activeElement === m")
    card.locator("a.card-view").click()  # the card's "Show the quote" opens the same page
    frame = _viewer(page)
    assert letters_of(_highlighted(frame)) == letters_of(quote)
    page.locator("#page-viewer-close").click()
    assert offline.outside == []


def test_keyboard_reaches_markers_and_the_viewer_with_names_for_every_control(server, offline):
    page = offline(viewport={"width": 1400, "height": 1000})
    _open(page, server)
    _ask_in_browser(page, QUESTION)
    unnamed = page.evaluate(
        "() => [...document.querySelectorAll('button, a[href], textarea, input')].filter(e => e.offsetParent)"
        ".filter(e => !(e.getAttribute('aria-label') || e.textContent.trim() || e.title || e.placeholder"
        " || (e.labels && e.labels.length) || e.getAttribute('aria-labelledby'))).map(e => e.outerHTML.slice(0, 120))")
    assert unnamed == []
    page.locator("#question textarea").focus()
    for _ in range(60):  # Shift+Tab from the question box back up into the answer
        page.keyboard.press("Shift+Tab")
        if page.evaluate("() => !!document.activeElement.closest('#chat a[href^=\"/viewer/\"]')"):
            break
    else:
        pytest.fail("no citation marker can be reached with the keyboard")
    page.locator("#citation-preview").wait_for(state="visible")  # the preview shows on focus too
    page.keyboard.press("Enter")
    frame = _viewer(page)
    assert page.evaluate("() => document.activeElement.id") == "page-viewer-close"
    ratios = {selector: min(page.locator(selector).evaluate_all(CONTRAST)) for selector in OUR_TEXT}
    ratios.update({f"viewer {s}": min(frame.locator(s).evaluate_all(CONTRAST)) for s in (".viewer-status", "a")})
    assert all(ratio >= 4.5 for ratio in ratios.values()), ratios  # WCAG AA for body text
    page.keyboard.press("Enter")
    page.wait_for_function("() => !document.querySelector('#page-viewer').open")
    assert offline.outside == []


def test_a_quote_over_a_page_break_is_highlighted_on_both_pages(server, offline, real_index):
    index = load_index(real_index)
    chunk, sentence = next((c, s) for c in index.chunks for s in c.sentences
                           if s.kind == "statement" and s.page_end == s.page + 1 and len(s.text) > 120)
    page = offline(viewport={"width": 1000, "height": 1000})
    page.goto(server.url + viewer_link(chunk.report_id, sentence.page, sentence.text, sentence.page_end))
    frame = page.main_frame
    figures = page.locator("figure.viewer-page")
    assert figures.evaluate_all("fs => fs.map(f => f.dataset.page)") == [str(sentence.page), str(sentence.page_end)]
    assert all(figures.nth(i).locator("mark.highlight").count() for i in range(2))
    assert letters_of(_highlighted(frame)) == letters_of(sentence.text)
    page.wait_for_function("() => [...document.images].every(i => i.complete && i.naturalWidth)")
    page.screenshot(path=str(ARTIFACTS / "viewer-page-break.png"), full_page=True)
    assert offline.outside == []


def test_words_not_on_the_page_are_reported_not_highlighted(server, offline):
    page = offline()
    page.goto(server.url + viewer_link("wayne-2018-building-partnership-with-mexico", 2,
                                       "The lighthouse keeper counted forty-two whales at dawn."))
    assert "could not be located on p. 2" in page.locator(".viewer-status").inner_text()
    assert page.locator("mark.highlight").count() == 0 and page.locator("figure.viewer-page img").count() == 1
    assert offline.outside == []


@pytest.mark.parametrize("path, status, message", [
    ("/viewer/nope?page=1", 404, "There is no report “nope” in the index"),
    ("/viewer/wayne-2018-building-partnership-with-mexico?page=999", 404, "which has pages 1 to 18"),
    ("/viewer/wayne-2018-building-partnership-with-mexico?page=0", 404, "which has pages 1 to 18"),
    ("/viewer/wayne-2018-building-partnership-with-mexico?page=two", 400, "The page must be a whole number"),
    ("/viewer/wayne-2018-building-partnership-with-mexico", 400, "The page must be a whole number"),
    ("/page/wayne-2018-building-partnership-with-mexico/999.png", 404, "which has pages 1 to 18"),
    ("/page/nope/1.png", 404, "No such report in the index."),
    ("/viewer/wayne-2018-building-partnership-with-mexico?page=2&quote=" + "word+" * 1000, 400, "The quote is too long"),
])
def test_bad_viewer_requests_get_a_sentence_not_a_traceback(server, path, status, message):
    with pytest.raises(urllib.error.HTTPError) as err:
        urllib.request.urlopen(server.url + path, timeout=30)
    body = err.value.read().decode()
    assert err.value.code == status and message in body and "Traceback" not in body


def test_a_reload_keeps_the_conversation_and_earlier_ones_can_be_reopened(server, offline):
    page = offline(viewport={"width": 1400, "height": 1000})
    _open(page, server)
    _ask_in_browser(page, QUESTION)
    page.wait_for_function("() => document.querySelector('#conversations input').value.length > 0", timeout=30_000)
    first_answer = page.locator("#chat [data-testid='bot']").last.inner_text()
    sources = page.locator("#sources").inner_text()

    page.reload(wait_until="load")
    page.locator("#chat [data-testid='bot']").first.wait_for(timeout=30_000)
    assert page.locator("#chat [data-testid='bot']").last.inner_text() == first_answer
    assert page.locator("#sources").inner_text() == sources
    assert QUESTION[:40] in page.locator("#conversations input").input_value()

    page.get_by_role("button", name="New conversation").click()
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=\"bot\"]')", timeout=30_000)
    assert "appear here" in page.locator("#sources").inner_text()
    _ask_for_new_sources(page, OTHER_QUESTION)
    page.wait_for_function("q => document.querySelector('#conversations input').value.startsWith(q)",
                           arg=OTHER_QUESTION, timeout=30_000)
    page.reload(wait_until="load")
    page.locator("#chat [data-testid='bot']").first.wait_for(timeout=30_000)
    assert "Mérida" in page.locator("#chat [data-testid='bot']").last.inner_text()

    page.locator("#conversations input").click()  # the list: both, newest first
    options = page.get_by_role("option")
    options.first.wait_for()
    assert [t.split("\n")[-1].split(" · ")[0] for t in options.all_inner_texts()] == [OTHER_QUESTION, QUESTION]
    options.nth(1).click()
    page.wait_for_function("a => [...document.querySelectorAll('#chat [data-testid=\"bot\"]')].some("
                           "b => b.innerText === a)", arg=first_answer, timeout=30_000)
    page.wait_for_function("s => document.querySelector('#sources').innerText === s", arg=sources, timeout=30_000)

    page.locator("#chat").get_by_role("button", name="Clear").click()  # the chat's bin: a new conversation
    page.wait_for_function("() => !document.querySelector('#chat [data-testid=\"bot\"]')", timeout=30_000)
    page.locator("#conversations input").click()
    assert page.get_by_role("option").count() == 2
    assert offline.outside == []


def test_conversations_survive_a_restart_of_the_server(real_index, tmp_path, offline):
    port = free_port()  # the same address: localStorage belongs to it
    srv = Server(real_index, tmp_path / "feedback.jsonl", port=port)
    try:
        page = offline()
        _open(page, srv)
        _ask_in_browser(page, QUESTION)
        page.wait_for_function("() => document.querySelector('#conversations input').value.length > 0",
                               timeout=30_000)
        answer = page.locator("#chat [data-testid='bot']").last.inner_text()
    finally:
        srv.stop()
    srv = Server(real_index, tmp_path / "feedback.jsonl", port=port)
    try:
        _open(page, srv)
        page.locator("#chat [data-testid='bot']").first.wait_for(timeout=30_000)
        assert page.locator("#chat [data-testid='bot']").last.inner_text() == answer
    finally:
        srv.stop()
    assert offline.outside == []


def test_a_phone_shows_the_chat_sources_and_viewer(server, offline):
    page = offline(viewport={"width": 390, "height": 844}, device_scale_factor=2, is_mobile=True, has_touch=True)
    _open(page, server)
    _ask_in_browser(page, QUESTION)
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 390, "the page scrolls sideways"
    for selector in ("#chat", "#question textarea", "#sources .source-card", "#new-conversation"):
        box = page.locator(selector).first.bounding_box()
        assert box["x"] >= 0 and box["x"] + box["width"] <= 390, selector
    page.screenshot(path=str(ARTIFACTS / "phone-chat.png"), full_page=True)
    page.locator("#sources .source-card a.card-view").first.tap()
    frame = _viewer(page)
    dialog = page.locator("#page-viewer").bounding_box()
    assert dialog["x"] == 0 and dialog["width"] == 390
    assert page.locator("#page-viewer-close").is_visible()
    assert frame.locator("mark.highlight").count() > 0
    image = frame.locator("figure.viewer-page img").first.bounding_box()
    assert image["width"] <= 390
    page.screenshot(path=str(ARTIFACTS / "phone-viewer.png"))
    frame.get_by_role("button", name="Zoom in").tap()
    frame.get_by_role("button", name="Zoom in").tap()  # 200%: the page twice as wide, its marks with it
    page.wait_for_function("() => document.querySelector('#page-viewer-frame').contentDocument"
                           ".getElementById('zoom-level').textContent === '200%'")
    zoomed = frame.locator("figure.viewer-page img").first.bounding_box()
    assert abs(zoomed["width"] - 2 * image["width"]) < 2
    mark, figure = frame.locator("#highlight").bounding_box(), frame.locator("figure.viewer-page").first.bounding_box()
    assert abs((mark["x"] - figure["x"]) / figure["width"]
               - float(frame.locator("#highlight").evaluate("m => parseFloat(m.style.left) / 100"))) < 0.01
    assert 0 <= mark["y"] < 844 and mark["x"] < 390  # scrolled to the quote
    page.screenshot(path=str(ARTIFACTS / "phone-viewer-zoomed.png"))
    page.locator("#page-viewer-close").tap()
    page.wait_for_function("() => !document.querySelector('#page-viewer').open")
    assert offline.outside == []
