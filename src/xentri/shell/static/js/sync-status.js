// The header's sync indicator. Nothing is queued offline yet, so it reports only what the
// browser knows for sure: whether it is online (navigator.onLine and its events).
export function initSyncStatus() {
  const indicator = document.querySelector("[data-sync-status]");
  const banner = document.getElementById("offline-banner");
  const update = () => {
    const online = navigator.onLine;
    if (indicator) {
      indicator.hidden = false;
      indicator.dataset.state = online ? "online" : "offline";
      const text = online ? indicator.dataset.labelOnline : indicator.dataset.labelOffline;
      indicator.querySelector(".sync-status__label").textContent = text;
      indicator.setAttribute("aria-label", text);
      indicator.title = text;
    }
    if (banner) banner.hidden = online;
  };
  window.addEventListener("online", update);
  window.addEventListener("offline", update);
  update();
}
