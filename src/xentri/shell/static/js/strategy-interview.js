// The Strategy interview: an answer shows at once and the co-pilot's reply streams in as it is
// written (server-sent events over a POST), then the conversation and the Brief are fetched
// again, so what is stored is what stays on screen. Without this script the form posts and the
// page comes back whole. The server stores the answer before the reply starts: a dropped
// connection loses nothing, and an answer still waiting for its reply is picked up here.

import { readEvents } from "./sse.js";

const STREAM = { Accept: "text/event-stream" };

export function initStrategyInterview() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement)) return;
    if (!form.hasAttribute("data-interview-answer") && !form.hasAttribute("data-interview-reply")) return;
    const box = form.closest("[data-interview]");
    if (!box || box.dataset.busy === "true") {
      event.preventDefault();
      return;
    }
    event.preventDefault();
    send(box, form);
  });
  resumeWaiting(document);
  document.addEventListener("htmx:load", (event) => resumeWaiting(event.target));
  window.addEventListener("online", () => {
    const box = document.querySelector("[data-interview][data-lost-connection]");
    if (box) refresh(box, { resume: true });
  });
}

// An answer whose reply never came (the page was closed mid-reply): ask for it now.
function resumeWaiting(root) {
  const form = root.querySelector?.("[data-interview] [data-pending] form[data-interview-reply]");
  const box = form?.closest("[data-interview]");
  if (form && box && box.dataset.busy !== "true") send(box, form);
}

async function send(box, form) {
  box.dataset.busy = "true";
  const answering = form.hasAttribute("data-interview-answer");
  const body = new FormData(form);
  const bubble = answering ? showAnswer(box, form, String(body.get("answer") || "")) : waitingBubble(box);
  let response;
  try {
    response = await fetch(form.action, { method: "POST", body, headers: STREAM, credentials: "same-origin" });
  } catch {
    // Nothing came back: the answer may not have reached the server. It goes back in the box
    // to send again (if it did arrive, sending again shows it, waiting for its reply).
    return answering ? unsent(box, form, bubble, String(body.get("answer") || "")) : lost(box, bubble);
  }
  const type = response.headers.get("content-type") || "";
  if (!type.startsWith("text/event-stream")) {
    // A refusal (an empty answer, a changed state): the page as the server drew it, in place.
    return replace(box, await response.text());
  }
  const text = bubble.querySelector("[data-reply-text]");
  let written = "";
  try {
    for await (const item of readEvents(response)) {
      if (item.name === "delta") {
        written += item.data.text || "";
        text.textContent = written;
        bubble.removeAttribute("aria-busy");
        bubble.classList.remove("chat__message--pending");
        scrollDown(box);
      } else if (item.name === "error") {
        // The answer stays saved and waiting; the page offers "Get the reply" to try again.
        text.textContent = box.dataset.failed;
        await new Promise((resolve) => setTimeout(resolve, 1500));
        break;
      } else if (item.name === "done") {
        break;
      }
    }
  } catch {
    return lost(box, bubble);
  }
  await refresh(box);
}

function showAnswer(box, form, answer) {
  const chat = box.querySelector("#chat");
  const mine = document.createElement("li");
  mine.className = "chat__message chat__message--owner";
  const said = document.createElement("p");
  said.className = "chat__text";
  said.textContent = answer;
  mine.append(said);
  chat.append(mine);
  form.querySelector("textarea").value = "";
  for (const control of form.querySelectorAll("textarea, button")) control.disabled = true;
  return waitingBubble(box);
}

function waitingBubble(box) {
  const chat = box.querySelector("#chat");
  let bubble = chat.querySelector("[data-pending]");
  if (!bubble) {
    bubble = document.createElement("li");
    bubble.className = "chat__message chat__message--copilot chat__message--pending";
    bubble.setAttribute("data-pending", "");
    const text = document.createElement("p");
    text.className = "chat__text";
    text.setAttribute("data-reply-text", "");
    bubble.append(text);
    chat.append(bubble);
  }
  bubble.querySelector("form")?.remove();
  bubble.setAttribute("aria-busy", "true");
  bubble.querySelector("[data-reply-text]").textContent = box.dataset.writing;
  scrollDown(box);
  return bubble;
}

function unsent(box, form, bubble, answer) {
  bubble.previousElementSibling?.remove(); // the answer shown at once
  bubble.remove();
  const textarea = form.querySelector("textarea");
  for (const control of form.querySelectorAll("textarea, button")) control.disabled = false;
  textarea.value = answer;
  let note = form.querySelector("[data-unsent-note]");
  if (!note) {
    note = document.createElement("p");
    note.className = "field__error";
    note.setAttribute("data-unsent-note", "");
    note.setAttribute("role", "alert");
    textarea.after(note);
  }
  note.textContent = box.dataset.unsent;
  delete form.dataset.sending; // js/forms.js lets it be sent again
  for (const button of form.querySelectorAll("button")) button.removeAttribute("aria-disabled");
  box.dataset.busy = "false";
}

// The connection dropped: the server goes on writing the reply; look again when back online,
// or after a while (less often each time).
function lost(box, bubble, wait = 5000) {
  bubble.querySelector("[data-reply-text]").textContent = box.dataset.lost;
  bubble.removeAttribute("aria-busy");
  box.dataset.lostConnection = "";
  setTimeout(() => {
    if (box.isConnected) refresh(box, { resume: true, wait: Math.min(wait * 2, 60000) });
  }, wait);
}

async function refresh(box, { resume = false, wait = 5000 } = {}) {
  let response;
  try {
    response = await fetch(window.location.pathname, { headers: { Accept: "text/html" }, credentials: "same-origin" });
  } catch {
    const bubble = box.querySelector("[data-pending]");
    if (bubble) lost(box, bubble, wait);
    return;
  }
  replace(box, await response.text(), resume);
}

function replace(box, html, resume = false) {
  const fresh = new DOMParser().parseFromString(html, "text/html").querySelector("[data-interview]");
  if (!fresh) {
    box.dataset.busy = "false";
    return;
  }
  box.replaceWith(fresh);
  scrollDown(fresh);
  const answer = fresh.querySelector("#answer");
  if (answer) answer.focus();
  // After a reply that failed the answer stays waiting with its "Get the reply" button: asking
  // again by itself would loop; after a dropped connection it is asked for again.
  if (resume) resumeWaiting(fresh.parentElement);
}

function scrollDown(box) {
  const chat = box.querySelector("#chat");
  if (chat) chat.scrollTop = chat.scrollHeight;
}
