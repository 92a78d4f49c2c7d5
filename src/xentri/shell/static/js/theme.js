// Light/dark toggle. The choice goes in a cookie so the server renders it on the next page
// (no flash, and no inline script, which our CSP forbids); without a choice the system decides.
const COOKIE = "xentri_theme";

function systemTheme() {
  return window.matchMedia("(prefers-color-scheme: dark)").matches ? "dark" : "light";
}

function currentTheme() {
  return document.documentElement.dataset.theme || systemTheme();
}

function label(button) {
  const theme = currentTheme();
  button.setAttribute("aria-label", theme === "dark" ? button.dataset.labelDark : button.dataset.labelLight);
  button.setAttribute("aria-pressed", String(theme === "dark"));
}

export function initTheme() {
  for (const button of document.querySelectorAll("[data-theme-toggle]")) {
    button.hidden = false;
    label(button);
    button.addEventListener("click", () => {
      const next = currentTheme() === "dark" ? "light" : "dark";
      document.documentElement.dataset.theme = next;
      document.cookie = `${COOKIE}=${next}; path=/; max-age=31536000; samesite=lax`;
      label(button);
    });
  }
}
