// The chat of the panel and full modes: the person's conversations with the scope's co-pilot
// (threads kept by the AI plane), one of them shown, and new turns streamed into it.

export function chat(widget, client, { onError, clearError, context }) {
  const select = widget.querySelector("[data-copilot-thread]");
  const log = widget.querySelector("[data-copilot-log]");
  const form = widget.querySelector("[data-copilot-chat-form]");
  const input = form.querySelector("textarea");
  const label = (name) => widget.dataset[name] || "";
  let busy = false;

  async function loadThreads(keep = select.value) {
    const page = await client.call("GET", `/api/v1/copilot/${widget.dataset.scope}/threads`);
    const fresh = new Option(label("labelNewThread"), "");
    select.replaceChildren(fresh, ...page.items.map((thread) => new Option(thread.title, thread.id)));
    select.value = page.items.some((thread) => thread.id === keep) ? keep : "";
  }

  async function showThread() {
    log.replaceChildren();
    if (!select.value) return;
    const thread = await client.call("GET", `/api/v1/copilot/threads/${select.value}`);
    for (const message of thread.messages) addMessage(message.role, message.content);
  }

  function addMessage(role, text) {
    const item = document.createElement("li");
    item.className = `copilot__message copilot__message--${role}`;
    const who = document.createElement("span");
    who.className = "copilot__who";
    who.textContent = role === "user" ? label("labelYou") : widget.dataset.name;
    const body = document.createElement("p");
    body.className = "copilot__text";
    body.textContent = text;
    item.append(who, body);
    log.append(item);
    log.scrollTop = log.scrollHeight;
    return body;
  }

  async function send(question) {
    if (busy) return;
    busy = true;
    clearError();
    form.setAttribute("aria-busy", "true");
    let answer = null;
    try {
      if (!select.value) {
        const created = await client.call("POST", `/api/v1/copilot/${widget.dataset.scope}/threads`, {});
        select.append(new Option(created.title, created.id));
        select.value = created.id;
      }
      addMessage("user", question);
      answer = addMessage("assistant", label("labelThinking"));
      let text = "";
      const done = await client.stream(
        `/api/v1/copilot/threads/${select.value}/messages`,
        { content: question, language: widget.dataset.lang, context: context() },
        (piece) => {
          text += piece;
          answer.textContent = text;
          log.scrollTop = log.scrollHeight;
        },
      );
      answer.textContent = done.text || text;
      input.value = "";
      await loadThreads(select.value);
    } catch (error) {
      // The turn was not stored (the API keeps both halves or neither): take it off the log.
      if (answer) {
        answer.closest("li").previousElementSibling?.remove();
        answer.closest("li").remove();
      }
      onError(error, () => send(question));
    } finally {
      busy = false;
      form.removeAttribute("aria-busy");
    }
  }

  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const question = input.value.trim();
    if (question) send(question);
  });
  input.addEventListener("keydown", (event) => {
    if (event.key === "Enter" && !event.shiftKey && !event.isComposing) {
      event.preventDefault();
      form.requestSubmit();
    }
  });
  select.addEventListener("change", () => {
    clearError();
    showThread().catch((error) => onError(error, showThread));
  });

  return {
    async open() {
      clearError();
      try {
        await loadThreads();
        await showThread();
      } catch (error) {
        onError(error, () => this.open());
      }
    },
    reset() {
      select.replaceChildren(new Option(label("labelNewThread"), ""));
      log.replaceChildren();
    },
    focus() {
      input.focus();
    },
  };
}
