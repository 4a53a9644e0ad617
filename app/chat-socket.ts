import { NOT_A_MEMBER, SIGNED_OUT } from "#workers/sockets/close-codes.ts";

/**
 * A conversation page's socket to its room (frames in docs/decisions/0035), signed in by the session cookie. It
 * reconnects after a drop, with growing pauses, until the page closes it or the room says the viewer is no longer a
 * member or was signed out (close-codes.ts). The room keeps no history to replay, so `onOpen` says whether this is a
 * reconnection: the page then reloads what it may have missed.
 */

/** A frame the room sends: an event in the streaming envelope, or an error (for a send: with its client id). */
export interface ChatFrame {
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
  client_id?: string;
}

/** What a page sends (the room refuses anything else with an error frame). */
export type ChatClientFrame =
  | { type: "send"; client_id: string; text: string; reply_to_id?: string | null }
  | { type: "typing" }
  | { type: "read"; message_id: string };

export interface ChatSocket {
  /** Sends a frame if the socket is open; false if it is not (the caller keeps what it meant to send). */
  send(frame: ChatClientFrame): boolean;
  close(): void;
}

const RETRY_MS = [500, 1_000, 2_000, 5_000, 15_000];

export function openChatSocket(
  conversationId: string,
  handlers: { onFrame: (frame: ChatFrame) => void; onOpen: (reconnected: boolean) => void; onClose: () => void },
): ChatSocket {
  let socket: WebSocket | undefined;
  let attempt = 0;
  let opened = false;
  let retry: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;
  const open = () => {
    const url = new URL(`/api/v1/perch/chats/${encodeURIComponent(conversationId)}/stream`, window.location.href);
    url.protocol = url.protocol === "https:" ? "wss:" : "ws:";
    socket = new WebSocket(url);
    socket.addEventListener("open", () => {
      attempt = 0;
      handlers.onOpen(opened);
      opened = true;
    });
    socket.addEventListener("message", (message) => {
      try {
        handlers.onFrame(JSON.parse(String(message.data)) as ChatFrame);
      } catch {
        // A frame that is not JSON is not one of the room's; nothing to show for it.
      }
    });
    socket.addEventListener("close", (event) => {
      handlers.onClose();
      if (stopped || event.code === NOT_A_MEMBER || event.code === SIGNED_OUT) return;
      retry = setTimeout(open, RETRY_MS[Math.min(attempt, RETRY_MS.length - 1)]);
      attempt += 1;
    });
  };
  open();
  return {
    send(frame) {
      if (socket?.readyState !== WebSocket.OPEN) return false;
      socket.send(JSON.stringify(frame));
      return true;
    },
    close() {
      stopped = true;
      clearTimeout(retry);
      socket?.close(1000, "page left");
    },
  };
}
