// Header menus are native <details>: this closes them on Escape and on a click elsewhere, and
// opens <dialog> modals from buttons naming them (data-open-dialog="id").
export function initMenus() {
  const menus = () => document.querySelectorAll("details[data-menu][open]");
  document.addEventListener("click", (event) => {
    for (const menu of menus()) if (!menu.contains(event.target)) menu.open = false;
    const opener = event.target.closest?.("[data-open-dialog]");
    const dialog = opener && document.getElementById(opener.dataset.openDialog);
    if (dialog) {
      event.preventDefault();
      dialog.showModal();
    }
  });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    for (const menu of menus()) {
      menu.open = false;
      menu.querySelector("summary")?.focus();
    }
  });
}
