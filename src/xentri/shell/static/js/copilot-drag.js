// The collapsed widget goes where the person drags it, and stays there on this device
// (localStorage). Shift+arrow keys move it from the keyboard. A press that moves less than a few
// pixels is a click, not a drag.

const KEY = "xentri.copilot.position";
const THRESHOLD = 5;
const STEP = 24;

export function placeLauncher(launcher, onClick, onMove = () => {}) {
  const saved = load();
  if (saved) moveTo(launcher, saved.left, saved.top);
  window.addEventListener("resize", () => {
    const current = load();
    if (current) moveTo(launcher, current.left, current.top);
    onMove();
  });

  let start = null;
  let dragged = false;
  launcher.addEventListener("pointerdown", (event) => {
    if (event.button !== 0) return;
    const box = launcher.getBoundingClientRect();
    start = { x: event.clientX, y: event.clientY, left: box.left, top: box.top };
    dragged = false;
    launcher.setPointerCapture(event.pointerId);
  });
  launcher.addEventListener("pointermove", (event) => {
    if (!start) return;
    const dx = event.clientX - start.x;
    const dy = event.clientY - start.y;
    if (!dragged && Math.hypot(dx, dy) < THRESHOLD) return;
    dragged = true;
    launcher.classList.add("copilot__launcher--dragging");
    moveTo(launcher, start.left + dx, start.top + dy);
    onMove();
  });
  const finish = () => {
    if (!start) return;
    start = null;
    launcher.classList.remove("copilot__launcher--dragging");
    if (dragged) save(launcher);
  };
  launcher.addEventListener("pointerup", finish);
  launcher.addEventListener("pointercancel", finish);
  launcher.addEventListener("click", (event) => {
    if (dragged) {
      dragged = false;
      event.preventDefault();
      return;
    }
    onClick();
  });
  launcher.addEventListener("keydown", (event) => {
    const moves = { ArrowLeft: [-STEP, 0], ArrowRight: [STEP, 0], ArrowUp: [0, -STEP], ArrowDown: [0, STEP] };
    if (!event.shiftKey || !(event.key in moves)) return;
    event.preventDefault();
    const box = launcher.getBoundingClientRect();
    const [dx, dy] = moves[event.key];
    moveTo(launcher, box.left + dx, box.top + dy);
    save(launcher);
    onMove();
  });
}

// The quick overlay opens beside the button wherever it was dragged: above it when there is
// more room there, else below; its right edge lined up with the button's, kept inside the
// window. It is anchored on the side facing the button, so as its answer grows it grows away
// from the button, never over it. On a narrow screen the stylesheet spans it across the bottom.
const GAP = 8;
export function placeBeside(overlay, launcher) {
  if (overlay.hidden) return;
  for (const side of ["left", "top", "right", "bottom", "maxHeight"]) overlay.style[side] = "";
  if (window.matchMedia("(max-width: 48rem)").matches) return;
  const button = launcher.getBoundingClientRect();
  const width = overlay.getBoundingClientRect().width;
  const roomAbove = button.top - 2 * GAP;
  const roomBelow = window.innerHeight - button.bottom - 2 * GAP;
  const left = Math.min(Math.max(GAP, button.right - width), window.innerWidth - width - GAP);
  overlay.style.left = `${Math.round(left)}px`;
  overlay.style.right = "auto";
  if (roomAbove >= roomBelow) {
    overlay.style.top = "auto";
    overlay.style.bottom = `${Math.round(window.innerHeight - button.top + GAP)}px`;
  } else {
    overlay.style.top = `${Math.round(button.bottom + GAP)}px`;
    overlay.style.bottom = "auto";
  }
  overlay.style.maxHeight = `${Math.round(Math.max(roomAbove, roomBelow))}px`;
}

function moveTo(launcher, left, top) {
  const width = launcher.offsetWidth || 56;
  const height = launcher.offsetHeight || 56;
  const x = Math.min(Math.max(0, left), Math.max(0, window.innerWidth - width));
  const y = Math.min(Math.max(0, top), Math.max(0, window.innerHeight - height));
  // CSSOM, not a style attribute: allowed under the page's style-src 'self'.
  launcher.style.left = `${Math.round(x)}px`;
  launcher.style.top = `${Math.round(y)}px`;
  launcher.style.right = "auto";
  launcher.style.bottom = "auto";
}

function save(launcher) {
  const box = launcher.getBoundingClientRect();
  try {
    localStorage.setItem(KEY, JSON.stringify({ left: Math.round(box.left), top: Math.round(box.top) }));
  } catch {
    // storage full or blocked: the position lasts until the page closes
  }
}

function load() {
  try {
    const found = JSON.parse(localStorage.getItem(KEY) || "null");
    return found && Number.isFinite(found.left) && Number.isFinite(found.top) ? found : null;
  } catch {
    return null;
  }
}
