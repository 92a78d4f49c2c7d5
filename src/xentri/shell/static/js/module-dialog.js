// A module's link loads its dialog into #module-dialog-slot through htmx; this opens it as a
// modal (the page behind is inert, focus stays inside, Escape closes it) and gives focus back
// to the link when it closes. Without scripts the link is a full page.
export function initModuleDialog() {
  const slot = document.getElementById("module-dialog-slot");
  if (!slot || !window.htmx) return;
  let opener = null;
  document.body.addEventListener("htmx:beforeRequest", (event) => {
    const source = event.detail.elt;
    if (event.detail.target === slot && !slot.contains(source)) opener = source;
  });
  // A refused vote (expired form, too long a use case) answers with the dialog and the reason.
  document.body.addEventListener("htmx:beforeSwap", (event) => {
    if (event.detail.target === slot && [403, 409, 422].includes(event.detail.xhr.status)) {
      event.detail.shouldSwap = true;
      event.detail.isError = false;
    }
  });
  document.body.addEventListener("htmx:afterSwap", (event) => {
    if (event.detail.target !== slot) return;
    const dialog = slot.querySelector("dialog");
    if (!dialog) return;
    dialog.addEventListener("close", () => {
      if (!slot.contains(dialog)) return; // replaced by the answer to a vote, not closed
      slot.replaceChildren();
      if (opener?.isConnected) opener.focus();
    });
    if (!dialog.open) dialog.showModal();
  });
}
