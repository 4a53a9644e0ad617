import { DurableObject } from "cloudflare:workers";
import type { Credential } from "#domain/accounts/live-credentials.ts";
import type { DomainContext } from "#domain/context.ts";
import { DomainError, statusOfDomainError } from "#domain/errors.ts";
import { alreadySent, markRead, sendMessage, type SendInput } from "#domain/messages/messages.ts";
import { membersOf } from "#domain/messages/conversations.ts";
import { chatSettingsOf, noteSeen } from "#domain/messages/settings.ts";
import { sharedPostCards } from "#domain/messages/shared-posts.ts";
import { presentChatMessage, presentSharedStatus, type ChatMessage } from "#workers/api/entities/chat.ts";
import { NOT_A_MEMBER } from "./close-codes.ts";
import { closeSignedOut, credentialOf, endSignedOut } from "./signed-out.ts";
import type { RoomSendResult } from "./room-send.ts";
import { relayEvents } from "#workers/background/relay.ts";
import { createLogger } from "#workers/platform/logger.ts";
import { backgroundDomain } from "#workers/platform/request-scope.ts";
import {
  CONNECTING_CREDENTIAL_HEADER,
  CONNECTING_MAY_WRITE_HEADER,
  CONNECTING_USER_HEADER,
  CONVERSATION_HEADER,
  errorFrame,
  parseClientFrame,
  roomClientMessage,
  type StreamEvent,
} from "./protocol.ts";

interface Attachment {
  userId: string;
  credential?: Credential;
  conversationId: string;
  showPresence: boolean;
  readReceipts: boolean;
  /** Whether the connection may send, mark read and type (a read-only token may only listen). */
  mayWrite: boolean;
  /** When this socket's last typing notice was relayed (ms). */
  typingAt?: number;
}

/** Whom a published change is for: only these members, or everyone but these. */
export interface Audience {
  only?: string[];
  except?: string[];
}

/** A socket's typing notices are relayed at most this often; more are dropped, so a chatty client floods no one. */
export const TYPING_RELAY_MS = 2_000;

/** Sends one sender may make a minute, counted in API_RATE_LIMIT under their own key (docs/decisions/0035). */
export const SEND_RATE_KEY = (senderId: string) => `chat-send:${senderId}`;

/**
 * One per conversation (named by conversation id): the single place a conversation's messages are ordered and
 * broadcast (docs/decisions/0035). Sends are serialised, each stored in D1 before it is acknowledged or broadcast, so
 * a restart loses nothing that was acknowledged; a retry with the same client id returns the stored message. Typing,
 * presence and read receipts go only to members connected here, respecting their privacy settings.
 */
export class ConversationRoom extends DurableObject<Env> {
  private sending: Promise<unknown> = Promise.resolve();

  override async fetch(request: Request): Promise<Response> {
    if (request.headers.get("Upgrade")?.toLowerCase() !== "websocket") {
      return new Response("Expected a WebSocket upgrade", { status: 426, headers: { Upgrade: "websocket" } });
    }
    const userId = request.headers.get(CONNECTING_USER_HEADER);
    const credential = credentialOf(request.headers.get(CONNECTING_CREDENTIAL_HEADER));
    const conversationId = request.headers.get(CONVERSATION_HEADER);
    if (!userId || !conversationId) return new Response("Unauthenticated", { status: 401 });
    const settings = await chatSettingsOf(this.domain(), userId);
    await noteSeen(this.domain(), userId);
    const { 0: client, 1: server } = new WebSocketPair();
    this.ctx.acceptWebSocket(server, [userId]);
    const mayWrite = request.headers.get(CONNECTING_MAY_WRITE_HEADER) === "1";
    server.serializeAttachment({ userId, credential, conversationId, mayWrite, ...settings } satisfies Attachment);
    this.broadcast(conversationId, "presence", { present: this.presentNow() });
    return new Response(null, { status: 101, webSocket: client });
  }

  /** Stores and broadcasts a message, one send at a time, and answers once it is in D1. */
  async send(input: SendInput): Promise<RoomSendResult> {
    const turn = this.sending.then(() => this.store(input));
    this.sending = turn.catch(() => undefined);
    return turn;
  }

  /**
   * Tells those connected that a message changed (an edit, a deletion, reactions, a moderation decision): everyone, or
   * only the given members, or everyone but them (a held message reads differently to its sender); each reader gets
   * their own card of a shared post.
   */
  async publishUpdate(message: ChatMessage, audience: Audience = {}): Promise<number> {
    await this.closeFormerMembers(message.conversation_id);
    return this.broadcastMessage(
      message.conversation_id,
      "message.updated",
      message,
      ({ userId }) => (!audience.only || audience.only.includes(userId)) && !audience.except?.includes(userId),
    );
  }

  /** A read receipt, only between members who both share theirs. */
  async receipt(conversationId: string, userId: string, messageId: string): Promise<number> {
    const reader = await chatSettingsOf(this.domain(), userId);
    if (!reader.readReceipts) return 0;
    await this.closeFormerMembers(conversationId);
    return this.broadcast(conversationId, "read", { user_id: userId, message_id: messageId }, (socket) => socket.readReceipts);
  }

  /**
   * A member changed their read receipts or presence: their open sockets take the new settings (receipts to and from
   * them, whether they count as here), and everyone connected hears who is here now.
   */
  async refreshSettings(userId: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(userId);
    if (sockets.length === 0) return 0;
    const settings = await chatSettingsOf(this.domain(), userId);
    let conversationId = "";
    for (const socket of sockets) {
      const attachment = socket.deserializeAttachment() as Attachment;
      conversationId = attachment.conversationId;
      socket.serializeAttachment({ ...attachment, ...settings } satisfies Attachment);
    }
    return this.broadcast(conversationId, "presence", { present: this.presentNow() });
  }

  /** Closes a former member's sockets: leaving stops delivery at once. */
  async disconnect(userId: string): Promise<number> {
    const sockets = this.ctx.getWebSockets(userId);
    for (const socket of sockets) socket.close(NOT_A_MEMBER, "No longer a member");
    return sockets.length;
  }

  /** Closes a member's sockets opened with a session or token that has since ended. */
  async endSignedOut(userId: string): Promise<number> {
    return endSignedOut(
      this.domain(),
      this.ctx.getWebSockets(userId).map((socket) => ({
        credential: (socket.deserializeAttachment() as Attachment | null)?.credential,
        end: closeSignedOut(socket),
      })),
    );
  }

  async presentUserIds(): Promise<string[]> {
    return this.presentNow();
  }

  override async webSocketMessage(socket: WebSocket, frame: string | ArrayBuffer): Promise<void> {
    const message = parseClientFrame(roomClientMessage, frame);
    if (!message) {
      socket.send(errorFrame('Expected {"type": "send" | "typing" | "read" | "ping"} (see the chat socket\'s documented frames)', 400));
      return;
    }
    const attachment = socket.deserializeAttachment() as Attachment;
    if (message.type === "ping") {
      socket.send(JSON.stringify({ event: "pong" }));
      return;
    }
    if (!attachment.mayWrite) {
      // The connection stays open: it may still listen, as its token allows.
      const refusal = { error: "This action is outside the authorized scopes", status: 403 };
      socket.send(JSON.stringify(message.type === "send" ? { ...refusal, client_id: message.client_id } : refusal));
      return;
    }
    if (message.type === "typing") {
      const now = Date.now();
      if (now - (attachment.typingAt ?? 0) < TYPING_RELAY_MS) return;
      socket.serializeAttachment({ ...attachment, typingAt: now } satisfies Attachment);
      this.broadcast(attachment.conversationId, "typing", { user_id: attachment.userId }, undefined, socket);
      return;
    }
    if (message.type === "read") {
      await this.markRead(socket, attachment, message.message_id);
      return;
    }
    const result = await this.send({
      conversationId: attachment.conversationId,
      senderId: attachment.userId,
      clientId: message.client_id,
      text: message.text,
      replyToId: message.reply_to_id ?? null,
      mediaIds: message.media_ids,
      sharedPostId: message.shared_status_id ?? null,
    });
    if (result.ok)
      socket.send(JSON.stringify({ event: "ack", payload: JSON.stringify({ client_id: message.client_id, message: result.message }) }));
    else socket.send(JSON.stringify({ error: result.error, status: statusOfDomainError[result.kind], client_id: message.client_id }));
  }

  override async webSocketClose(socket: WebSocket, code: number): Promise<void> {
    if (socket.readyState === WebSocket.OPEN) socket.close(code === 1005 || code === 1006 ? 1000 : code, "closing");
    const { conversationId, userId } = socket.deserializeAttachment() as Attachment;
    this.broadcast(conversationId, "presence", { present: this.presentNow(socket) });
    await noteSeen(this.domain(), userId);
  }

  /** A member's page read up to a message: their marker moves, and the receipt follows through its event. */
  private async markRead(socket: WebSocket, { userId, conversationId }: Attachment, messageId: string): Promise<void> {
    try {
      await markRead(this.domain(), userId, conversationId, messageId);
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      socket.send(errorFrame(error.message, statusOfDomainError[error.kind]));
    }
  }

  private async store(input: SendInput): Promise<RoomSendResult> {
    const ctx = this.domain();
    try {
      const { success } = await this.env.API_RATE_LIMIT.limit({ key: SEND_RATE_KEY(input.senderId) });
      if (!success) {
        // A retry of a stored send adds nothing, so the limit does not refuse it: it is answered with what was stored.
        const stored = await alreadySent(ctx, input);
        if (stored) return { ok: true, message: presentChatMessage(stored.message), duplicate: true };
        throw new DomainError("throttled", "You are sending messages too fast; try again shortly", { retryAfterSeconds: 60 });
      }
      const sent = await sendMessage(ctx, input);
      const message = presentChatMessage(sent.message);
      if (!sent.duplicate) await this.deliver(input.conversationId, message, sent.memberIds);
      return { ok: true, message, duplicate: sent.duplicate };
    } catch (error) {
      if (!(error instanceof DomainError)) throw error;
      return { ok: false, kind: error.kind, error: error.message, code: error.code, fields: error.fields };
    }
  }

  /** Broadcasts a new message to the members connected; a socket whose user is no longer a member is closed. */
  private async deliver(conversationId: string, message: ChatMessage, memberIds: string[]): Promise<void> {
    this.closeSocketsOutside(memberIds);
    await this.broadcastMessage(conversationId, "message", message);
  }

  /**
   * Leaving stops delivery at once (the queued member_left event closes the sockets too, but later): before an edit,
   * a reaction or a receipt goes out, the sockets of anyone D1 no longer counts as a member are closed.
   */
  private async closeFormerMembers(conversationId: string): Promise<void> {
    this.closeSocketsOutside((await membersOf(this.domain(), conversationId)).map((member) => member.userId));
  }

  private closeSocketsOutside(memberIds: string[]): void {
    const members = new Set(memberIds);
    for (const socket of this.ctx.getWebSockets()) {
      const { userId } = socket.deserializeAttachment() as Attachment;
      if (!members.has(userId)) socket.close(NOT_A_MEMBER, "No longer a member");
    }
  }

  /**
   * A message to everyone connected. A shared post's card depends on who reads it (a post hidden from one member is
   * "unavailable" to them alone; ADR 0055), so such a message is sent with each connected member's own card.
   */
  private async broadcastMessage(
    conversationId: string,
    event: string,
    message: ChatMessage,
    to: (attachment: Attachment) => boolean = () => true,
  ): Promise<number> {
    const shared = message.shared_status;
    if (!shared) return this.broadcast(conversationId, event, message, to);
    const ctx = this.domain();
    const readers = new Set(
      this.ctx
        .getWebSockets()
        .map((socket) => socket.deserializeAttachment() as Attachment)
        .filter(to)
        .map((attachment) => attachment.userId),
    );
    let delivered = 0;
    for (const userId of readers) {
      const card = (await sharedPostCards(ctx, userId, [shared.id])).get(shared.id)!;
      const own = { ...message, shared_status: presentSharedStatus(card) };
      delivered += this.broadcast(conversationId, event, own, (socket) => socket.userId === userId);
    }
    return delivered;
  }

  /** Who is here, leaving out those who hide their presence. */
  private presentNow(leaving?: WebSocket): string[] {
    const ids = this.ctx
      .getWebSockets()
      .filter((socket) => socket !== leaving && socket.readyState === WebSocket.OPEN)
      .map((socket) => socket.deserializeAttachment() as Attachment)
      .filter((attachment) => attachment.showPresence)
      .map((attachment) => attachment.userId);
    return [...new Set(ids)].sort();
  }

  private broadcast(
    conversationId: string,
    event: string,
    payload: unknown,
    to?: (attachment: Attachment) => boolean,
    except?: WebSocket,
  ): number {
    const frame: StreamEvent = { stream: ["conversation", conversationId], event, payload: JSON.stringify(payload) };
    const text = JSON.stringify(frame);
    let delivered = 0;
    for (const socket of this.ctx.getWebSockets()) {
      if (socket === except || socket.readyState !== WebSocket.OPEN) continue;
      if (to && !to(socket.deserializeAttachment() as Attachment)) continue;
      socket.send(text);
      delivered += 1;
    }
    return delivered;
  }

  /** The domain as the room acts in it: events it commits are relayed while the room stays alive for them. */
  private domain(): DomainContext {
    const ctx = backgroundDomain(this.env);
    const logger = createLogger(ctx.config.LOG_LEVEL, { component: "conversation-room" });
    ctx.afterCommit = (events) => this.ctx.waitUntil(relayEvents(ctx, events, logger));
    return ctx;
  }
}
