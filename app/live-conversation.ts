import { useRevalidator } from "@remix-run/react";
import { useCallback, useEffect, useMemo, useRef, useState } from "react";
import type { ChatAttachment, ChatMessage, ChatSharedStatus } from "#workers/api/entities/chat.ts";
import { openChatSocket, type ChatFrame, type ChatSocket } from "./chat-socket.ts";
import type { StoryQuoteCard } from "./presenters/story.server.ts";

/**
 * A conversation page with JavaScript (docs/decisions/0044): the room's socket brings new messages, edits, deletions,
 * reactions, typing, presence and read receipts into the page without a reload, and a send shows at once, marked
 * "sending", until the room acknowledges it. Each send carries a client id, so sending it again after a failure or a
 * reconnect can never store it twice. Without JavaScript none of this runs and the page's forms do the same work.
 */

/** A message as the page shows it. */
export interface ShownMessage {
  id: string;
  mine: boolean;
  sender: string;
  text: string | null;
  deleted: boolean;
  edited: boolean;
  /** held: the viewer's own message awaiting a moderator; removed: by moderators (ADR 0054). */
  moderation: "held" | "removed" | null;
  /** Its attachments are sensitive: covered unless the reader shows all media (ADR 0054). */
  sensitive: boolean;
  replyTo: string | null;
  reactions: { emoji: string; count: number; me: boolean }[];
  at: string;
  /** The story item a story reply quotes (ADR 0043); frames from the room leave it out until the next load. */
  story?: StoryQuoteCard | null;
  /** Files and a shared post's card, as the API entity carries them (ADR 0055). */
  attachments: ChatAttachment[];
  sharedPost: ChatSharedStatus | null;
}

/** A message in a few words, for announcements and the reply picker: its text, else what it carries. */
export function summaryOf(message: Pick<ShownMessage, "text" | "attachments" | "sharedPost">): string {
  if (message.text) return message.text;
  if (message.attachments.length > 0)
    return message.attachments.length === 1 ? "1 attachment" : `${message.attachments.length} attachments`;
  return message.sharedPost ? "A shared post" : "";
}

/** A message of the viewer's that the room has not acknowledged yet, or refused. */
export interface OutgoingMessage {
  clientId: string;
  text: string;
  replyTo: string | null;
  state: "sending" | "failed";
  error?: string;
}

export interface ConversationStart {
  id: string;
  me: string;
  messages: ShownMessage[];
  people: { id: string; name: string }[];
  readMarkers: { userId: string; lastReadId: string }[];
  /** The other members connected as the page loaded. */
  present: string[];
  request: boolean;
}

/** Without an answer in this long, a send is shown as failed (a retry with its client id stays safe). */
const ACK_TIMEOUT_MS = 10_000;
/** Typing is sent at most this often, and shown for a little longer than that after the last one heard. */
const TYPING_EVERY_MS = 3_000;
const TYPING_SHOWN_MS = 6_000;

const parse = <T>(payload: string | undefined): T | undefined => {
  try {
    return payload === undefined ? undefined : (JSON.parse(payload) as T);
  } catch {
    return undefined;
  }
};

/**
 * A live update with the viewer's own reactions as the page last loaded them: the room sends one copy to all but the
 * sender, which cannot say whose reactions are whose, and the viewer's own change only by their own forms, which reload.
 */
function withOwnReactions(update: ShownMessage, loaded: ShownMessage): ShownMessage {
  const own = new Set(loaded.reactions.filter((reaction) => reaction.me).map((reaction) => reaction.emoji));
  return { ...update, reactions: update.reactions.map((reaction) => ({ ...reaction, me: own.has(reaction.emoji) })) };
}

export function useLiveConversation(start: ConversationStart) {
  const { revalidate } = useRevalidator();
  const socket = useRef<ChatSocket | null>(null);
  const [connected, setConnected] = useState(false);
  const [arrived, setArrived] = useState<ShownMessage[]>([]);
  const [changed, setChanged] = useState<Record<string, ShownMessage>>({});
  const [outbox, setOutbox] = useState<OutgoingMessage[]>([]);
  const [markers, setMarkers] = useState<Record<string, string>>({});
  const [typing, setTyping] = useState<Record<string, number>>({});
  /** Who is in the conversation now: as the page loaded, then as the room says; unknown while the socket is down. */
  const [present, setPresent] = useState<string[] | null>(start.present);
  const [announcement, setAnnouncement] = useState("");
  const outboxRef = useRef(outbox);
  outboxRef.current = outbox;
  const lastTyping = useRef(0);
  const lastRead = useRef("");
  const timers = useRef(new Map<string, ReturnType<typeof setTimeout>>());

  const nameOf = useCallback((userId: string) => start.people.find((p) => p.id === userId)?.name ?? "Someone", [start.people]);
  const show = useCallback(
    (message: ChatMessage): ShownMessage => ({
      id: message.id,
      mine: message.sender_id === start.me,
      sender: nameOf(message.sender_id),
      text: message.text,
      deleted: message.deleted_at !== null,
      edited: message.edited_at !== null,
      moderation: message.moderation ?? null,
      sensitive: message.sensitive ?? false,
      replyTo: message.reply_to_id,
      reactions: message.reactions ?? [],
      at: message.created_at,
      attachments: message.media_attachments ?? [],
      sharedPost: message.shared_status ?? null,
    }),
    [nameOf, start.me],
  );

  // What the loader read is the newest truth: what arrived or changed before it is now part of it.
  useEffect(() => {
    setChanged({});
    setArrived((messages) => messages.filter((message) => !start.messages.some((loaded) => loaded.id === message.id)));
  }, [start.messages]);

  const failed = useCallback((clientId: string, error: string) => {
    clearTimeout(timers.current.get(clientId));
    timers.current.delete(clientId);
    setOutbox((items) => items.map((item) => (item.clientId === clientId ? { ...item, state: "failed", error } : item)));
    setAnnouncement(`Message not sent: ${error}`);
  }, []);

  const transmit = useCallback(
    (item: OutgoingMessage) => {
      clearTimeout(timers.current.get(item.clientId));
      timers.current.set(
        item.clientId,
        setTimeout(() => failed(item.clientId, "no answer from the server"), ACK_TIMEOUT_MS),
      );
      socket.current?.send({ type: "send", client_id: item.clientId, text: item.text, reply_to_id: item.replyTo });
    },
    [failed],
  );

  const stored = useCallback(
    (message: ChatMessage) => {
      const shown = show(message);
      if (shown.mine) {
        clearTimeout(timers.current.get(message.client_id));
        timers.current.delete(message.client_id);
        setOutbox((items) => items.filter((item) => item.clientId !== message.client_id));
      }
      setArrived((messages) => (messages.some((m) => m.id === shown.id) ? messages : [...messages, shown]));
      return shown;
    },
    [show],
  );

  const onFrame = useCallback(
    (frame: ChatFrame) => {
      if (frame.error) {
        if (frame.client_id) failed(frame.client_id, frame.error);
        return;
      }
      if (frame.event === "ack") {
        const ack = parse<{ message: ChatMessage }>(frame.payload);
        if (ack?.message) stored(ack.message);
      } else if (frame.event === "message") {
        const message = parse<ChatMessage>(frame.payload);
        if (!message) return;
        const shown = stored(message);
        if (!shown.mine) {
          setAnnouncement(`${shown.sender}: ${summaryOf(shown)}`);
          setTyping((all) => Object.fromEntries(Object.entries(all).filter(([userId]) => userId !== message.sender_id)));
        }
      } else if (frame.event === "message.updated") {
        const message = parse<ChatMessage>(frame.payload);
        if (message) setChanged((all) => ({ ...all, [message.id]: show(message) }));
      } else if (frame.event === "typing") {
        const { user_id: userId } = parse<{ user_id: string }>(frame.payload) ?? {};
        if (userId && userId !== start.me) setTyping((all) => ({ ...all, [userId]: Date.now() + TYPING_SHOWN_MS }));
      } else if (frame.event === "presence") {
        const { present: ids } = parse<{ present?: unknown }>(frame.payload) ?? {};
        if (Array.isArray(ids)) setPresent(ids.filter((id): id is string => typeof id === "string"));
      } else if (frame.event === "read") {
        const receipt = parse<{ user_id: string; message_id: string }>(frame.payload);
        if (receipt && receipt.user_id !== start.me) {
          setMarkers((all) =>
            (all[receipt.user_id] ?? "") >= receipt.message_id ? all : { ...all, [receipt.user_id]: receipt.message_id },
          );
        }
      }
    },
    [failed, show, stored, start.me],
  );

  const frameHandler = useRef(onFrame);
  frameHandler.current = onFrame;
  useEffect(() => {
    const chat = openChatSocket(start.id, {
      onFrame: (frame) => frameHandler.current(frame),
      onOpen: (reconnected) => {
        setConnected(true);
        // The room replays nothing: what was said while the socket was down comes from the loader.
        if (reconnected) revalidate();
        for (const item of outboxRef.current) if (item.state === "sending") transmit(item);
      },
      onClose: () => {
        setConnected(false);
        setPresent(null);
      },
    });
    socket.current = chat;
    return () => {
      socket.current = null;
      chat.close();
    };
    // One socket per conversation: the handlers read the latest state through refs and setters.
  }, [start.id, revalidate, transmit]);

  useEffect(() => {
    const pending = timers.current;
    return () => pending.forEach((timer) => clearTimeout(timer));
  }, []);

  // Typing notices fade unless renewed.
  const typingIds = Object.keys(typing);
  useEffect(() => {
    if (typingIds.length === 0) return;
    const timer = setTimeout(() => {
      const now = Date.now();
      setTyping((all) => Object.fromEntries(Object.entries(all).filter(([, until]) => until > now)));
    }, 1_000);
    return () => clearTimeout(timer);
  }, [typing, typingIds.length]);

  const messages = useMemo(() => {
    const loadedIds = new Set(start.messages.map((message) => message.id));
    return (
      [...start.messages, ...arrived.filter((message) => !loadedIds.has(message.id))]
        .map((message) => (changed[message.id] ? withOwnReactions(changed[message.id]!, message) : message))
        // Someone else's message that moderation now holds leaves the page, as it is left out of the history.
        .filter((message) => message.mine || message.moderation !== "held")
        .sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0))
    );
  }, [start.messages, arrived, changed]);

  // Reading what arrived while the page is in view moves the read marker (the loader moved it for what it showed).
  const newestFromOthers = [...messages].reverse().find((message) => !message.mine)?.id;
  useEffect(() => {
    if (start.request || !connected || !newestFromOthers) return;
    const markIfSeen = () => {
      if (document.visibilityState !== "visible" || lastRead.current >= newestFromOthers) return;
      if (socket.current?.send({ type: "read", message_id: newestFromOthers })) lastRead.current = newestFromOthers;
    };
    if (lastRead.current === "") lastRead.current = start.messages.at(-1)?.id ?? "";
    markIfSeen();
    document.addEventListener("visibilitychange", markIfSeen);
    return () => document.removeEventListener("visibilitychange", markIfSeen);
  }, [connected, newestFromOthers, start.messages, start.request]);

  /** Where each other member has read up to: the loader's markers, moved on by live receipts. */
  const readers = useMemo(() => {
    const all: Record<string, string> = Object.fromEntries(start.readMarkers.map((marker) => [marker.userId, marker.lastReadId]));
    for (const [userId, messageId] of Object.entries(markers)) if ((all[userId] ?? "") < messageId) all[userId] = messageId;
    return all;
  }, [start.readMarkers, markers]);

  /** Sends at once over the socket, shown as sending; false if the socket is down (the page's form then posts it). */
  const send = useCallback(
    (text: string, replyTo: string | null): boolean => {
      if (!socket.current || !connected) return false;
      const item: OutgoingMessage = { clientId: crypto.randomUUID(), text, replyTo, state: "sending" };
      setOutbox((items) => [...items, item]);
      transmit(item);
      return true;
    },
    [connected, transmit],
  );

  const retry = useCallback(
    (clientId: string) => {
      const item = outboxRef.current.find((candidate) => candidate.clientId === clientId);
      if (!item) return;
      const again = { ...item, state: "sending" as const, error: undefined };
      setOutbox((items) => items.map((candidate) => (candidate.clientId === clientId ? again : candidate)));
      transmit(again);
    },
    [transmit],
  );

  const discard = useCallback((clientId: string) => {
    setOutbox((items) => items.filter((item) => item.clientId !== clientId));
  }, []);

  const typed = useCallback(() => {
    const now = Date.now();
    if (now - lastTyping.current < TYPING_EVERY_MS) return;
    if (socket.current?.send({ type: "typing" })) lastTyping.current = now;
  }, []);

  return {
    connected,
    messages,
    outbox,
    readers,
    typingNames: typingIds.map(nameOf),
    /** The other members here now (those who show their presence), or null when the room has not said. */
    activeNames: present?.filter((userId) => userId !== start.me).map(nameOf) ?? null,
    announcement,
    send,
    retry,
    discard,
    typed,
  };
}
