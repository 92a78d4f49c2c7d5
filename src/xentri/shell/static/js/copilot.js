// The co-pilot widget (ADR 0021). States: collapsed (a draggable button with a badge; its quick
// overlay streams short answers), panel (docked right or bottom, the person's choice kept on
// their account) and full (the chat replaces the main section, focus stays inside). The state
// lasts for the browser session (sessionStorage), the button's place for the device
// (localStorage). The page says which co-pilot answers: the server resolves it from the path
// and an htmx navigation brings it with the new #content.
import { api } from "./copilot-stream.js";
import { chat } from "./copilot-chat.js";
import { placeBeside, placeLauncher } from "./copilot-drag.js";

const STATE_KEY = "xentri.copilot.state";
const LAST_OPEN_KEY = "xentri.copilot.last-open";
const STATES = ["collapsed", "quick", "panel", "full"];

export function initCopilot() {
  const widget = document.querySelector("[data-copilot]");
  if (!widget || !widget.dataset.org || !window.fetch) return;
  const launcher = widget.querySelector("[data-copilot-launcher]");
  const quick = widget.querySelector("[data-copilot-quick]");
  const panel = widget.querySelector("[data-copilot-panel]");
  const badge = widget.querySelector("[data-copilot-badge]");
  const sideButton = widget.querySelector("[data-copilot-side]");
  const fullButton = widget.querySelector("[data-copilot-full]");
  const client = api(widget);
  const words = (name, values = {}) =>
    (widget.dataset[name] || "").replace(/\{(\w+)\}/g, (_, key) => values[key] ?? "");

  const errorSlot = () => (state() === "quick" ? quick : panel).querySelector("[data-copilot-error]");
  const clearError = () => widget.querySelectorAll("[data-copilot-error]").forEach((slot) => slot.replaceChildren());
  const showError = (error, retry) => {
    const slot = errorSlot();
    const box = document.getElementById("tpl-copilot-error").content.firstElementChild.cloneNode(true);
    box.querySelector("[data-copilot-error-text]").textContent = sentence(error);
    box.querySelector("[data-copilot-retry]").addEventListener("click", () => {
      clearError();
      retry();
    });
    slot.replaceChildren(box);
  };
  const sentence = (error) => {
    if (error.kind === "break") {
      const at = new Date(error.detail.next_available);
      const time = Number.isNaN(at.getTime())
        ? ""
        : new Intl.DateTimeFormat(widget.dataset.lang, { timeStyle: "short" }).format(at);
      return words("errorBreak", { time });
    }
    const names = { unavailable: "errorUnavailable", offline: "errorOffline", invalid: "errorInvalid" };
    return words(names[error.kind] || "errorFailed");
  };

  const briefSection = () => {
    const marked = [...document.querySelectorAll("#content [data-brief-section]")];
    const focused = marked.find((element) => element.contains(document.activeElement));
    return (focused || marked[0])?.dataset.briefSection || null;
  };
  const context = () => {
    const section = briefSection();
    return section ? { brief_section: section } : null;
  };
  const conversation = chat(widget, client, { onError: showError, clearError, context });

  // --- state -------------------------------------------------------------------------------
  const state = () => widget.dataset.state;
  function setState(next, { focus = true } = {}) {
    const previous = state();
    widget.dataset.state = next;
    try {
      sessionStorage.setItem(STATE_KEY, next);
      if (next !== "collapsed") sessionStorage.setItem(LAST_OPEN_KEY, next);
    } catch {
      // private mode: the state lasts until the page closes
    }
    quick.hidden = next !== "quick";
    placeBeside(quick, launcher);
    panel.hidden = next !== "panel" && next !== "full";
    launcher.setAttribute("aria-expanded", String(next !== "collapsed"));
    launcher.setAttribute("aria-controls", next === "quick" ? quick.id : panel.id);
    const full = next === "full";
    document.body.classList.toggle("copilot-full", full);
    for (const outside of document.querySelectorAll(".topbar, #sidebar, #main")) outside.inert = full;
    panel.setAttribute("role", full ? "dialog" : "region");
    if (full) panel.setAttribute("aria-modal", "true");
    else panel.removeAttribute("aria-modal");
    fullButton.textContent = words(full ? "labelExitFull" : "labelFull");
    if (next !== "collapsed") {
      clearBadge();
      loadContext();
    }
    if ((next === "panel" || next === "full") && previous !== "panel" && previous !== "full") {
      conversation.open();
    }
    if (!focus) return;
    if (next === "quick") quick.querySelector("input").focus();
    else if (next === "panel" || next === "full") conversation.focus();
    else if (previous !== "collapsed") launcher.focus();
  }
  const lastOpen = () => {
    try {
      return sessionStorage.getItem(LAST_OPEN_KEY) || "quick";
    } catch {
      return "quick";
    }
  };
  const toggle = () => setState(state() === "collapsed" ? lastOpen() : "collapsed");

  // --- panel side (the person's preference, on the server) --------------------------------
  function setSide(side) {
    widget.dataset.side = side;
    sideButton.textContent = words(side === "right" ? "labelDockBottom" : "labelDockRight");
  }
  sideButton.addEventListener("click", async () => {
    const side = widget.dataset.side === "right" ? "bottom" : "right";
    setSide(side);
    try {
      await client.call("PUT", "/api/v1/users/me/copilot-widget", { panel_side: side });
    } catch (error) {
      showError(error, () => sideButton.click());
    }
  });

  // --- badge and context -------------------------------------------------------------------
  function showBadge(count) {
    badge.hidden = !count;
    badge.textContent = count > 99 ? "99+" : String(count || "");
    const name = words("labelOpen", { name: widget.dataset.name });
    const extra = count ? ` · ${words("labelBadge", { count })}` : "";
    widget.querySelector("[data-copilot-launcher-label]").textContent = name + extra;
    launcher.title = name;
  }
  async function loadBadge() {
    try {
      const found = await client.call("GET", `/api/v1/copilot/${widget.dataset.scope}/badge`);
      if (state() === "collapsed") showBadge(found.count || 0);
    } catch {
      showBadge(0); // the badge is a hint: without it the page works the same
    }
  }
  function clearBadge() {
    showBadge(0);
    client.call("POST", `/api/v1/copilot/${widget.dataset.scope}/badge/seen`).catch(() => {});
  }
  async function loadContext() {
    const lines = widget.querySelectorAll("[data-copilot-context]");
    let events = null;
    try {
      const found = await client.call(
        "GET",
        `/api/v1/copilot/${widget.dataset.scope}/context?language=${widget.dataset.lang}`,
      );
      events = found.events.length;
    } catch {
      events = null; // the line only describes; the answer reads the events itself
    }
    const places = [];
    const section = briefSection();
    if (section) places.push(words("labelSection", { section }));
    if (events !== null) places.push(events ? words("labelEvents", { count: events }) : words("labelNoEvents"));
    const text = places.length ? words("labelContext", { place: places.join(" · ") }) : "";
    lines.forEach((line) => (line.textContent = text));
  }

  // --- the page's co-pilot, after an htmx navigation ------------------------------------------
  function follow(content) {
    const scope = content?.dataset.copilotScope;
    if (!scope || scope === widget.dataset.scope) return;
    widget.dataset.scope = scope;
    widget.dataset.name = content.dataset.copilotName;
    widget.querySelectorAll("[data-copilot-name]").forEach((title) => (title.textContent = widget.dataset.name));
    clearError();
    quick.querySelector("[data-copilot-quick-answer]").replaceChildren();
    conversation.reset();
    showBadge(0);
    if (state() === "collapsed") loadBadge();
    else {
      clearBadge();
      loadContext();
      if (state() !== "quick") conversation.open();
    }
  }
  document.body.addEventListener("htmx:afterSwap", () => follow(document.getElementById("content")));

  // --- quick answers -------------------------------------------------------------------------
  const quickForm = quick.querySelector("[data-copilot-quick-form]");
  const quickAnswer = quick.querySelector("[data-copilot-quick-answer]");
  async function ask(question) {
    clearError();
    quickAnswer.textContent = words("labelThinking");
    quickForm.setAttribute("aria-busy", "true");
    let text = "";
    try {
      const done = await client.stream(
        `/api/v1/copilot/${widget.dataset.scope}/ask`,
        { question, language: widget.dataset.lang, context: context() },
        (piece) => {
          text += piece;
          quickAnswer.textContent = text;
        },
      );
      quickAnswer.textContent = done.text || text;
    } catch (error) {
      quickAnswer.replaceChildren();
      showError(error, () => ask(question));
    } finally {
      quickForm.removeAttribute("aria-busy");
    }
  }
  quickForm.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = quickForm.elements.question.value.trim();
    if (question) ask(question);
  });

  // --- buttons and keys --------------------------------------------------------------------
  widget.querySelectorAll("[data-copilot-close]").forEach((button) => button.addEventListener("click", () => setState("collapsed")));
  widget.querySelector("[data-copilot-to]").addEventListener("click", (event) => setState(event.currentTarget.dataset.copilotTo));
  fullButton.addEventListener("click", () => setState(state() === "full" ? "panel" : "full"));

  document.addEventListener("keydown", (event) => {
    // Ctrl+. types nothing, so it works from inside a text field too.
    if (event.key === "." && (event.ctrlKey || event.metaKey) && !event.altKey) {
      event.preventDefault();
      toggle();
      return;
    }
    if (event.key === "Escape" && state() !== "collapsed" && (state() === "full" || widget.contains(document.activeElement))) {
      event.preventDefault();
      setState("collapsed");
      return;
    }
    if (event.key === "Tab" && state() === "full") trapFocus(event, panel);
  });

  placeLauncher(launcher, toggle, () => placeBeside(quick, launcher));
  setSide("right");
  client
    .call("GET", "/api/v1/users/me/copilot-widget")
    .then((found) => setSide(found.panel_side))
    .catch(() => {});
  let saved = "collapsed";
  try {
    saved = sessionStorage.getItem(STATE_KEY) || "collapsed";
  } catch {
    // keep collapsed
  }
  showBadge(0); // names the button until the count arrives
  widget.hidden = false;
  setState(STATES.includes(saved) ? saved : "collapsed", { focus: false });
  if (state() === "collapsed") loadBadge();
}

function trapFocus(event, container) {
  const focusable = [...container.querySelectorAll("button, select, textarea, input, a[href], [tabindex]:not([tabindex='-1'])")].filter(
    (element) => !element.disabled && element.offsetParent !== null,
  );
  if (!focusable.length) return;
  const first = focusable[0];
  const last = focusable[focusable.length - 1];
  if (!container.contains(document.activeElement)) {
    event.preventDefault();
    first.focus();
  } else if (event.shiftKey && document.activeElement === first) {
    event.preventDefault();
    last.focus();
  } else if (!event.shiftKey && document.activeElement === last) {
    event.preventDefault();
    first.focus();
  }
}
