// The live Pulse: one EventSource per tab (GET /api/v1/pulse/stream) keeps the sidebar's badge
// and an open Pulse list current, and the Pulse page tells the server it was the last one used.
// The server pushes `count` (the landing Pulse's count), `item` (a new item this person may
// see), `withdrawn` (an item its producer took back) and `resync`; after any reconnection the list is fetched again, so a missed wake-up
// never hides an item. Without scripts the pages are plain links and forms.
let source = null;
let reported = null;

export function initPulse() {
  const badge = document.querySelector("[data-pulse-badge]");
  if (!badge || !window.EventSource) return;
  connect(badge);
  document.body.addEventListener("htmx:afterSettle", rememberScope);
  rememberScope();
}

function connect(badge) {
  if (source) return;
  let broken = false;
  // The page's org (the frame may show one the session has not chosen yet).
  source = new EventSource(`/api/v1/pulse/stream?org=${encodeURIComponent(badge.dataset.org)}`);
  source.addEventListener("open", () => {
    if (broken) refreshList();
    broken = false;
  });
  source.addEventListener("error", () => { broken = true; });
  source.addEventListener("count", (event) => {
    const { count } = JSON.parse(event.data);
    badge.textContent = count > 99 ? "99+" : String(count);
    badge.hidden = count === 0;
  });
  source.addEventListener("item", (event) => {
    const { scope } = JSON.parse(event.data);
    const list = document.querySelector("[data-pulse-list]");
    if (list && list.dataset.scope === scope) refreshList();
  });
  source.addEventListener("withdrawn", (event) => {
    // Its fact is over (an overdue invoice paid): it leaves whichever Pulse shows it.
    const { id } = JSON.parse(event.data);
    const shown = document.querySelector(`[data-pulse-list] [data-pulse-item="${CSS.escape(id)}"]`);
    if (shown) refreshList();
  });
  source.addEventListener("resync", refreshList);
  window.addEventListener("pagehide", () => source && source.close());
}

async function refreshList() {
  const list = document.querySelector("[data-pulse-list]");
  if (!list) return;
  const response = await fetch(window.location.pathname, {
    headers: { "HX-Request": "true" }, credentials: "same-origin", cache: "no-store",
  });
  if (!response.ok) return;
  const html = new DOMParser().parseFromString(await response.text(), "text/html");
  const fresh = html.querySelector("[data-pulse-list]");
  const current = document.querySelector("[data-pulse-list]");
  if (fresh && current && current.dataset.scope === fresh.dataset.scope) {
    current.replaceWith(fresh);
    if (window.htmx) window.htmx.process(fresh);
    // The briefing's summary counts the items: it follows the list.
    const summary = html.querySelector("[data-pulse-summary]");
    const shown = document.querySelector("[data-pulse-summary]");
    if (summary && shown) shown.replaceWith(summary);
  }
}

function rememberScope() {
  const pulse = document.querySelector("[data-pulse]");
  if (!pulse || reported === pulse.dataset.scope) return;
  reported = pulse.dataset.scope;
  fetch("/api/v1/users/me/last-scope", {
    method: "PUT",
    credentials: "same-origin",
    headers: {
      "Content-Type": "application/json",
      "x-csrf-token": pulse.dataset.csrf,
      "x-org-id": pulse.dataset.org,
    },
    body: JSON.stringify({ scope: pulse.dataset.scope }),
  }).catch(() => { reported = null; });
}
