// Sidebar navigation through htmx: prefetch on hover or keyboard focus, move focus to the new
// content, and show an inline error with a retry button when a page cannot be loaded.
export function initNavigation() {
  const sidebar = document.getElementById("sidebar");
  if (!sidebar || !window.htmx) return;

  // The preload extension listens for this event on each link (preload="preload:hint").
  const hint = (event) => {
    const link = event.target.closest("a[href]");
    if (link && sidebar.contains(link)) link.dispatchEvent(new Event("preload:hint"));
  };
  sidebar.addEventListener("mouseover", hint);
  sidebar.addEventListener("focusin", hint);

  document.body.addEventListener("htmx:afterSettle", (event) => {
    if (event.detail.target?.id !== "content") return;
    const heading = document.querySelector("#content h1");
    (heading || document.getElementById("content"))?.focus?.({ preventScroll: true });
    if (heading && !heading.hasAttribute("tabindex")) heading.setAttribute("tabindex", "-1");
    window.scrollTo(0, 0);
  });

  const showError = (event) => {
    const detail = event.detail;
    if (detail.target?.id !== "content" || detail.requestConfig?.verb !== "get") return;
    const path = detail.pathInfo?.finalRequestPath || detail.requestConfig.path;
    const template = document.getElementById("tpl-load-error");
    const content = document.getElementById("content");
    if (!template || !content) return;
    const box = template.content.firstElementChild.cloneNode(true);
    if (!navigator.onLine) {
      const offline = document.getElementById("tpl-load-error-offline");
      box.querySelector("[data-error-detail]").append(offline.content.cloneNode(true));
    }
    box.querySelector("[data-retry]").addEventListener("click", () => {
      window.htmx.ajax("GET", path, { source: sidebar, target: "#content", select: "#content", swap: "outerHTML" })
        .then(() => history.pushState({ htmx: true }, "", path));
    });
    content.replaceChildren(box);
    box.querySelector("[data-retry]").focus();
  };
  document.body.addEventListener("htmx:responseError", showError);
  document.body.addEventListener("htmx:sendError", showError);
}
