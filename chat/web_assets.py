"""The web chat page's own CSS and JavaScript."""

CSS = """
.source-card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;margin:0 0 10px 0;background:#fff;
 overflow-wrap:anywhere}
.card-meta{font-size:13px;color:#555;margin:2px 0 6px}
.card-passage{font-size:14px;margin:6px 0;padding-left:10px;border-left:3px solid #d0d7de;color:#222}
.card-passage mark{background:#fff3a3;padding:0 1px}
.card-actions{display:flex;gap:12px;align-items:center;font-size:14px}
.comparison td{vertical-align:top;padding:6px 8px;border-bottom:1px solid #e5e5e5}
.comparison .not-found{color:#59636e;font-style:italic}
.card-section{color:#555}
/* example questions as buttons that wrap their whole text */
#examples{flex-direction:row;flex-wrap:wrap;gap:6px;align-items:flex-start}
#examples .examples-label{flex-basis:100%}
#examples .example-question{flex:0 1 auto;width:auto;min-width:0;white-space:normal;text-align:left;height:auto}
.copy-citation{font-size:13px;padding:2px 8px;border:1px solid #6e7781;border-radius:6px;background:#f6f8fa;
 color:#1f2328;cursor:pointer}
.card-actions{flex-wrap:wrap}
.card-view{font-weight:600}
#sources a:focus-visible,#chat a:focus-visible,.copy-citation:focus-visible,#page-viewer :focus-visible{
 outline:3px solid #0969da;outline-offset:2px}
/* the page viewer: a panel at the right, over the sources; the whole screen on a phone (min and
   max, not @media: a media rule here did not reach the dialog, which is outside Gradio's container) */
#page-viewer{padding:0;border:0;margin:0 0 0 auto;width:min(780px,max(55vw,min(100vw,480px)));max-width:100vw;height:100dvh;
 max-height:100dvh;background:#fff;box-shadow:-4px 0 16px #0003;color:#1f2328}
#page-viewer[open]{display:flex;flex-direction:column}
#page-viewer::backdrop{background:#0003}
#page-viewer .viewer-bar{display:flex;gap:12px;align-items:center;padding:8px 12px;border-bottom:1px solid #d0d7de;
 font-size:14px}
#page-viewer .viewer-bar b{flex:1}
#page-viewer a{color:#0550ae}
#page-viewer-close{font:inherit;padding:4px 12px;border:1px solid #6e7781;border-radius:6px;background:#f6f8fa;
 color:#1f2328;cursor:pointer}
#page-viewer-frame{flex:1;border:0;width:100%}
#citation-preview{position:fixed;z-index:1000;max-width:min(420px,calc(100vw - 16px));background:#1f2328;color:#fff;
 padding:8px 10px;border-radius:6px;font-size:13px;line-height:1.4;box-shadow:0 2px 8px #0004;pointer-events:none}
#conversation-bar{align-items:end}
"""

# Gradio's autoscroll follows an answer to its end, the Sources list, but people read an answer from its
# start: this keeps the newest answer's first line at the top of the chat while it is written (until
# it reaches the top; shorter answers stay where they are).
SCROLL_TO_ANSWER_START = """
() => {
  const pinned = new WeakSet();
  new MutationObserver((records) => {
    const chat = document.getElementById('chat');
    if (!chat || !records.some((r) => chat.contains(r.target))) return;
    const answers = chat.querySelectorAll('[data-testid="bot"]');
    const answer = answers[answers.length - 1];
    if (!answer || pinned.has(answer)) return;
    let box = answer.parentElement;
    while (box && box !== chat.parentElement && !['auto', 'scroll'].includes(getComputedStyle(box).overflowY)) {
      box = box.parentElement;
    }
    if (!box) return;
    box.scrollTop += answer.getBoundingClientRect().top - box.getBoundingClientRect().top - 8;
    if (answer.getBoundingClientRect().top <= box.getBoundingClientRect().top + 16) pinned.add(answer);
  }).observe(document.body, {childList: true, subtree: true, characterData: true});
}
"""

# Citation links (the markers [n], the sources under an answer, "Show the quote" on a card) open the
# page viewer in a dialog instead of leaving the chat; focus goes to its Close button and comes back to
# the link. Hovering or focusing a marker shows its preview (report, page, quote) from the link's title.
PAGE_VIEWER = """
() => {
  const dialog = document.createElement('dialog');
  dialog.id = 'page-viewer';
  dialog.setAttribute('aria-labelledby', 'page-viewer-title');
  dialog.innerHTML = '<div class="viewer-bar"><b id="page-viewer-title">The cited page</b>'
    + '<a id="page-viewer-tab" target="_blank" rel="noopener">Open in a new tab</a>'
    + '<button type="button" id="page-viewer-close">Close</button></div>'
    + '<iframe id="page-viewer-frame" title="The cited page, the quoted words highlighted"></iframe>';
  document.body.appendChild(dialog);
  const frame = dialog.querySelector('iframe');
  frame.addEventListener('load', () => {  // the viewer page's title: "p. N · Report"
    const title = frame.contentDocument && frame.contentDocument.title;
    dialog.querySelector('#page-viewer-title').textContent = title || 'The cited page';
  });
  let opener = null;
  dialog.querySelector('#page-viewer-close').addEventListener('click', () => dialog.close());
  dialog.addEventListener('click', (event) => { if (event.target === dialog) dialog.close(); });
  dialog.addEventListener('close', () => { if (opener && opener.isConnected) opener.focus(); });
  document.addEventListener('click', (event) => {
    const link = event.target.closest && event.target.closest('a[href^="/viewer/"]');
    if (!link || event.ctrlKey || event.metaKey || event.shiftKey || dialog.contains(link)) return;
    event.preventDefault();
    event.stopPropagation();
    opener = link;
    const href = link.getAttribute('href');
    frame.src = href;
    dialog.querySelector('#page-viewer-tab').href = href;
    if (!dialog.open) dialog.showModal();
    dialog.querySelector('#page-viewer-close').focus();
    tip.hidden = true;
  }, true);

  const tip = document.createElement('div');
  tip.id = 'citation-preview';
  tip.setAttribute('role', 'tooltip');
  tip.hidden = true;
  document.body.appendChild(tip);
  const marker = (event) => event.target.closest && event.target.closest('#chat a[href^="/viewer/"]');
  const show = (event) => {
    const link = marker(event);
    if (!link) return;
    if (link.title) {  // the preview replaces the browser's own tooltip
      link.dataset.preview = link.title;
      link.removeAttribute('title');
      link.setAttribute('aria-describedby', 'citation-preview');
    }
    if (!link.dataset.preview) return;
    tip.textContent = link.dataset.preview;
    tip.hidden = false;
    const r = link.getBoundingClientRect();
    const below = r.bottom + 6 + tip.offsetHeight < window.innerHeight;
    tip.style.top = (below ? r.bottom + 6 : Math.max(8, r.top - 6 - tip.offsetHeight)) + 'px';
    tip.style.left = Math.max(8, Math.min(r.left, window.innerWidth - tip.offsetWidth - 8)) + 'px';
  };
  const hide = (event) => { if (marker(event)) tip.hidden = true; };
  document.addEventListener('mouseover', show);
  document.addEventListener('focusin', show);
  document.addEventListener('mouseout', hide);
  document.addEventListener('focusout', hide);
  document.addEventListener('keydown', (event) => { if (event.key === 'Escape') tip.hidden = true; });

  // Gradio's send button is an icon without a name: screen readers would announce just "button".
  const name = () => {
    const send = document.querySelector('#question [data-testid="submit-button"]');
    if (send && !send.getAttribute('aria-label')) send.setAttribute('aria-label', 'Ask');
  };
  name();
  new MutationObserver(name).observe(document.body, {childList: true, subtree: true});
}
"""

PAGE_JS = f"() => {{ ({SCROLL_TO_ANSWER_START})(); ({PAGE_VIEWER})(); }}"
