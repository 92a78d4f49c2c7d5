// The browser knows its time zone; the wizard sends it along so the region step starts right.
export function initTimeZone() {
  let zone = "";
  try {
    zone = Intl.DateTimeFormat().resolvedOptions().timeZone || "";
  } catch {
    return;
  }
  for (const input of document.querySelectorAll("input[data-browser-time-zone]")) {
    if (!input.value) input.value = zone;
  }
}
