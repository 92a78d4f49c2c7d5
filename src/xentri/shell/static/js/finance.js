// Finance's pages: copy a public link, and send a receipt straight to object storage (an
// upload URL from the API, the file PUT there, the form carrying only its key). Without this
// script the receipt goes with the form and the app stores it; nothing depends on it.

async function uploadReceipt(input) {
  const box = input.closest("[data-receipt]");
  const file = input.files && input.files[0];
  if (!box || !file || (input.dataset.maxBytes && file.size > Number(input.dataset.maxBytes))) return;
  const status = box.querySelector("[data-receipt-status]");
  const key = box.querySelector("input[name=receipt_key]");
  const name = box.querySelector("input[name=receipt_name]");
  status.textContent = box.dataset.uploading;
  try {
    const asked = await fetch("/api/v1/finance/expenses/receipts/uploads", {
      method: "POST",
      credentials: "same-origin",
      headers: {
        "Content-Type": "application/json",
        "x-csrf-token": box.dataset.csrf,
        "x-org-id": box.dataset.org,
      },
      body: JSON.stringify({ content_type: file.type, size: file.size }),
    });
    if (!asked.ok) throw new Error(String(asked.status));
    const { key: newKey, upload } = await asked.json();
    const sent = await fetch(upload.url, { method: upload.method, headers: upload.headers, body: file });
    if (!sent.ok) throw new Error(String(sent.status));
    key.value = newKey;
    name.value = file.name;
    input.value = ""; // the form now carries the key, not the file
    status.textContent = box.dataset.uploaded.replace("{name}", file.name);
  } catch {
    key.value = "";
    name.value = "";
    status.textContent = box.dataset.failed;
  }
}

function showCopyButtons(root) {
  for (const button of root.querySelectorAll("[data-copy][hidden]")) {
    if (navigator.clipboard) button.hidden = false;
  }
}

export function initFinance() {
  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input instanceof HTMLInputElement && input.type === "file" && input.closest("[data-receipt]")) {
      uploadReceipt(input);
    }
  });
  document.addEventListener("click", async (event) => {
    const button = event.target.closest?.("[data-copy]");
    if (!button) return;
    const source = document.querySelector(button.dataset.copy);
    if (!source) return;
    await navigator.clipboard.writeText(source.value);
    button.textContent = button.dataset.copied;
  });
  document.addEventListener("focusin", (event) => {
    if (event.target instanceof HTMLInputElement && event.target.hasAttribute("data-select-on-focus")) {
      event.target.select();
    }
  });
  showCopyButtons(document);
  document.addEventListener("htmx:load", (event) => showCopyButtons(event.target));
}
