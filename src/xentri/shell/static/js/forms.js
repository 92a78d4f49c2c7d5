// Forms marked data-once disable their submit button while sending: one click, one request.
export function initForms() {
  document.addEventListener("submit", (event) => {
    const form = event.target;
    if (!(form instanceof HTMLFormElement) || !form.hasAttribute("data-once")) return;
    if (form.dataset.sending === "true") {
      event.preventDefault();
      return;
    }
    form.dataset.sending = "true";
    for (const button of form.querySelectorAll("button[type=submit], button:not([type])")) {
      button.setAttribute("aria-disabled", "true");
    }
  });
  // A file over the size limit is refused here, in words, before it is sent: the server
  // would refuse the whole request, too large to reach the page that explains it.
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (!(input instanceof HTMLInputElement) || !input.dataset.maxBytes) return;
    const tooLarge = [...(input.files || [])].some((file) => file.size > Number(input.dataset.maxBytes));
    input.setCustomValidity(tooLarge ? input.dataset.tooLarge || "" : "");
    if (tooLarge) input.reportValidity();
  });
  // Toasts close on their button and leave by themselves after a while.
  for (const toast of document.querySelectorAll("[data-toast]")) {
    toast.querySelector("[data-dismiss]")?.addEventListener("click", () => toast.remove());
    setTimeout(() => toast.remove(), 8000);
  }
}
