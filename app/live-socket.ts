import { SIGNED_OUT } from "#workers/sockets/close-codes.ts";

/**
 * The pages' live sockets (the same streaming API Mastodon clients use, signed in by the session cookie). Pages work
 * without them; with them the badge, the home page's "N new posts", a post's counts and deleted posts update in place.
 * A dropped socket reconnects with the last event id it saw, so it is sent what it missed (docs/decisions/0034).
 */

/** A frame as the streaming API sends it. */
export interface LiveFrame {
  stream?: string[];
  event?: string;
  payload?: string;
  event_id?: string;
}

/** The window event the shell's socket re-dispatches every frame as, so any component on the page can listen. */
export const LIVE_EVENT = "perch:live";

const RETRY_MS = [1_000, 2_000, 5_000, 15_000, 30_000];

/**
 * Opens a socket to the streaming API with this query, reconnecting (and resuming) until the returned close is called
 * or the server signs the account out.
 */
export function openLiveSocket(query: Record<string, string>, onFrame: (frame: LiveFrame) => void): () => void {
  let lastEventId: string | undefined;
  let socket: WebSocket | undefined;
  let attempt = 0;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const open = () => {
    const url = new URL("/api/v1/streaming", window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    for (const [name, value] of Object.entries({ ...query, ...(lastEventId ? { last_event_id: lastEventId } : {}) })) {
      url.searchParams.set(name, value);
    }
    socket = new WebSocket(url);
    socket.addEventListener("open", () => (attempt = 0));
    socket.addEventListener("message", (message) => {
      const frame = JSON.parse(String(message.data)) as LiveFrame;
      if (frame.event_id) lastEventId = frame.event_id;
      onFrame(frame);
    });
    socket.addEventListener("close", (event) => {
      if (stopped || event.code === SIGNED_OUT) return;
      retry = setTimeout(open, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
      attempt += 1;
    });
  };
  open();
  return () => {
    stopped = true;
    clearTimeout(retry);
    socket?.close(1000, "page left");
  };
}

/** Listens to the frames the shell's socket receives; returns how to stop. */
export function onLiveFrame(listener: (frame: LiveFrame) => void): () => void {
  const handle = (event: Event) => listener((event as CustomEvent<LiveFrame>).detail);
  window.addEventListener(LIVE_EVENT, handle);
  return () => window.removeEventListener(LIVE_EVENT, handle);
}

/** The unread messages total a "perch.chat_unread" frame carries (docs/decisions/0035); undefined for any other frame. */
export function chatUnreadOf(frame: LiveFrame): number | undefined {
  if (frame.event !== "perch.chat_unread" || !frame.payload) return undefined;
  const { unread } = JSON.parse(frame.payload) as { unread?: unknown };
  return typeof unread === "number" ? unread : undefined;
}

/** A deleted post leaves the page at once (wherever it is shown); the next load leaves it out anyway. */
export function hideDeletedPost(postId: string): void {
  for (const element of document.querySelectorAll<HTMLElement>(`[data-post-id="${CSS.escape(postId)}"]`)) element.hidden = true;
}
