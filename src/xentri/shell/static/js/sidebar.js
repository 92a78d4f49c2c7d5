// Collapse and expand the sidebar; the choice is remembered in this browser.
const KEY = "xentri.sidebar.collapsed";

export function initSidebar() {
  const sidebar = document.getElementById("sidebar");
  const toggle = document.querySelector("[data-sidebar-toggle]");
  if (!sidebar || !toggle) return;
  const apply = (collapsed) => {
    sidebar.dataset.collapsed = String(collapsed);
    toggle.setAttribute("aria-expanded", String(!collapsed));
  };
  let stored = null;
  try { stored = localStorage.getItem(KEY); } catch { /* storage may be disabled */ }
  apply(stored === "true");
  toggle.hidden = false;
  toggle.addEventListener("click", () => {
    const collapsed = sidebar.dataset.collapsed !== "true";
    apply(collapsed);
    try { localStorage.setItem(KEY, String(collapsed)); } catch { /* not remembered then */ }
  });
}
