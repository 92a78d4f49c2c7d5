// Talking to the copilot API: JSON calls and answers streamed as server-sent events over a POST
// (EventSource only does GET). A refusal becomes a CopilotError whose kind picks the sentence
// the widget shows; nothing raw from the server reaches the page.

import { readEvents } from "./sse.js";

export class CopilotError extends Error {
  constructor(kind, detail = {}) {
    super(kind);
    this.kind = kind; // unavailable | break | offline | invalid | failed
    this.detail = detail;
  }
}

export function api(widget) {
  const headers = (json) => {
    const found = { "x-csrf-token": widget.dataset.csrf, Accept: "application/json" };
    if (widget.dataset.org) found["x-org-id"] = widget.dataset.org;
    if (json) found["Content-Type"] = "application/json";
    return found;
  };

  async function call(method, path, body) {
    let response;
    try {
      response = await fetch(path, {
        method,
        headers: headers(body !== undefined),
        body: body === undefined ? undefined : JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new CopilotError("offline");
    }
    if (!response.ok) throw await refusal(response);
    return response.status === 204 ? null : response.json();
  }

  // Streams `path`'s answer: onDelta(text) for each piece; resolves with the final "done" data.
  async function stream(path, body, onDelta) {
    let response;
    try {
      response = await fetch(path, {
        method: "POST",
        headers: { ...headers(true), Accept: "text/event-stream" },
        body: JSON.stringify(body),
        credentials: "same-origin",
      });
    } catch {
      throw new CopilotError("offline");
    }
    if (!response.ok) throw await refusal(response);
    try {
      for await (const event of readEvents(response)) {
        if (event.name === "delta") onDelta(event.data.text || "");
        else if (event.name === "done") return event.data;
        else if (event.name === "error") throw fromProblem(event.data);
      }
    } catch (error) {
      throw error instanceof CopilotError ? error : new CopilotError("offline");
    }
    throw new CopilotError("failed"); // the stream ended without its "done"
  }

  return { call, stream };
}

async function refusal(response) {
  let problem = {};
  try {
    problem = await response.json();
  } catch {
    // a proxy's HTML error page: the status decides
  }
  return fromProblem({ status: response.status, ...problem });
}

function fromProblem(problem) {
  const code = problem.code || String(problem.type || "").split("/").pop();
  if (code === "assistant-on-a-break") return new CopilotError("break", problem);
  if (problem.status === 422) return new CopilotError("invalid", problem);
  if (problem.status === 503 || code === "assistant-unavailable") {
    return new CopilotError("unavailable", problem);
  }
  return new CopilotError("failed", problem);
}
