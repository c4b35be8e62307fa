"""The web chat page's own CSS and JavaScript."""

CSS = """
.source-card{border:1px solid #d0d7de;border-radius:8px;padding:10px 12px;margin:0 0 10px 0;background:#fff;
 overflow-wrap:anywhere}
.card-meta{font-size:13px;color:#555;margin:2px 0 6px}
.card-passage{font-size:14px;margin:6px 0;padding-left:10px;border-left:3px solid #d0d7de;color:#222}
.card-passage mark{background:#fff3a3;padding:0 1px}
.card-actions{display:flex;gap:12px;align-items:center;font-size:14px}
.comparison td{vertical-align:top;padding:6px 8px;border-bottom:1px solid #e5e5e5}
.comparison .not-found{color:#888;font-style:italic}
.card-section{color:#555}
/* example questions as buttons that wrap their whole text */
#examples{flex-direction:row;flex-wrap:wrap;gap:6px;align-items:flex-start}
#examples .examples-label{flex-basis:100%}
#examples .example-question{flex:0 1 auto;width:auto;min-width:0;white-space:normal;text-align:left;height:auto}
.copy-citation{font-size:13px;padding:2px 8px;border:1px solid #aaa;border-radius:6px;background:#f6f8fa;cursor:pointer}
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
