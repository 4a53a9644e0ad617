import { existsSync } from "node:fs";
import { loadavg } from "node:os";
import { and, eq, like, sql } from "drizzle-orm";
import { newId } from "#db/ids.ts";
import { conversationMembers, conversations, users } from "#db/schema/index.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { startBenchServer } from "./bench-server.ts";
import { flag, run } from "./run.ts";

/**
 * npm run bench:chat [-- --rooms 100 --members 10 --rate 50 --seconds 60 --drain-seconds 300 --quiet-seconds 20 --port 8796
 *   --persist-to .wrangler/bench-chat]
 * The messenger's delivery figures (issue 15), against the server as `npm start` runs it (wrangler dev): --rooms group
 * conversations of --members bench users each (written straight into D1, once), every member connected to their
 * room's socket (/api/v1/perch/chats/{id}/stream) as a real WebSocket client. Then --rate messages a second overall,
 * each from a random member of a random room as a `send` frame, for --seconds. It reports
 *   - delivery latency: from the send to each other member's `message` frame (p50/p95/max),
 *   - acknowledgement latency: from the send to the sender's `ack` (the message is in D1 by then),
 *   - messages lost: deliveries that never came (waiting after the last send while they still come, up to
 *     --drain-seconds, until none has come for --quiet-seconds), which must be 0, and deliveries that came twice.
 * It measures; it asserts nothing. Record the figures, with the load average it prints, in docs/benchmarks.md.
 */
const persistTo = flag("--persist-to", ".wrangler/bench-chat");
const port = flag("--port", "8796");
const roomCount = Number(flag("--rooms", "100"));
const membersPerRoom = Number(flag("--members", "10"));
const rate = Number(flag("--rate", "50"));
const seconds = Number(flag("--seconds", "60"));
const drainSeconds = Number(flag("--drain-seconds", "300"));
const quietSeconds = Number(flag("--quiet-seconds", "20"));
const base = `http://localhost:${port}`;
const ROOM_PREFIX = "bench-chat room ";

interface Member {
  userId: string;
  token: string;
}

let opened = 0;
/** Every socket from its own address: the API's rate limits count per address. */
const address = () => {
  opened += 1;
  return `198.51.${(opened >> 8) % 256}.${opened % 256}`;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const summary = (values: number[]) => {
  if (values.length === 0) return "none";
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (n=${sorted.length})`;
};

const load = () =>
  loadavg()
    .map((value) => value.toFixed(2))
    .join(", ");

/** Bench users (npm run db:bench-data, once), the rooms and their members written straight into D1, and a token each. */
async function prepareRooms(): Promise<{ id: string; members: Member[] }[]> {
  const people = roomCount * membersPerRoom;
  if (!existsSync(`${persistTo}/v3/d1`)) {
    await run("npm", [
      "run",
      "db:bench-data",
      "--",
      "--users",
      String(people),
      "--follows",
      String(people),
      "--posts",
      "100",
      "--persist-to",
      persistTo,
    ]);
  }
  const { ctx, dispose } = await openLocalPlatform(persistTo);
  try {
    const benchUsers = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.username} LIKE 'bench%'`)
      .orderBy(users.id)
      .limit(people);
    if (benchUsers.length < people) throw new Error(`Only ${benchUsers.length} bench users in ${persistTo}; delete it to regenerate.`);
    let rooms = await ctx.db
      .select({ id: conversations.id })
      .from(conversations)
      .where(like(conversations.name, `${ROOM_PREFIX}%`))
      .orderBy(conversations.id);
    if (rooms.length < roomCount) {
      const now = new Date();
      for (let r = rooms.length; r < roomCount; r += 1) {
        const id = newId(now.getTime() + r);
        const owner = benchUsers[r * membersPerRoom]!.id;
        await ctx.db.batch([
          ctx.db
            .insert(conversations)
            .values({ id, kind: "group", name: `${ROOM_PREFIX}${r}`, createdBy: owner, createdAt: now, updatedAt: now }),
          ctx.db.insert(conversationMembers).values(
            benchUsers.slice(r * membersPerRoom, (r + 1) * membersPerRoom).map((user, i) => ({
              conversationId: id,
              userId: user.id,
              role: i === 0 ? ("owner" as const) : ("member" as const),
              state: "active" as const,
              joinedAt: now,
            })),
          ),
        ]);
      }
      rooms = await ctx.db
        .select({ id: conversations.id })
        .from(conversations)
        .where(like(conversations.name, `${ROOM_PREFIX}%`))
        .orderBy(conversations.id);
    }
    const result: { id: string; members: Member[] }[] = [];
    for (const room of rooms.slice(0, roomCount)) {
      const rows = await ctx.db
        .select({ userId: conversationMembers.userId })
        .from(conversationMembers)
        .where(and(eq(conversationMembers.conversationId, room.id), eq(conversationMembers.state, "active")));
      const members: Member[] = [];
      for (const row of rows) {
        members.push({
          userId: row.userId,
          token: await createPersonalAccessToken(ctx, row.userId, "npm run bench:chat", ["read", "write"]),
        });
      }
      result.push({ id: room.id, members });
    }
    return result;
  } finally {
    await dispose();
  }
}

interface Frame {
  event?: string;
  payload?: string;
  error?: string;
  status?: number;
  client_id?: string;
}

/** When each message was sent, by client id, and what has come back. */
const sentAt = new Map<string, number>();
const deliveries = new Map<string, number>();
const latencies: number[] = [];
const ackLatencies: number[] = [];
let duplicates = 0;
const errors: string[] = [];

function connect(roomId: string, member: Member): Promise<WebSocket> {
  const url = `${base.replace(/^http/, "ws")}/api/v1/perch/chats/${roomId}/stream?access_token=${member.token}`;
  // Node's WebSocket (undici) takes headers as an extension to the standard constructor.
  const socket = new WebSocket(url, { headers: { "cf-connecting-ip": address() } } as unknown as string[]);
  socket.addEventListener("message", (message) => {
    const at = performance.now();
    const frame = JSON.parse(String(message.data)) as Frame;
    if (frame.error) {
      errors.push(`${frame.status}: ${frame.error}`);
      return;
    }
    if (frame.event === "ack") {
      const { client_id: clientId } = JSON.parse(frame.payload!) as { client_id: string };
      ackLatencies.push(at - sentAt.get(clientId)!);
      return;
    }
    if (frame.event !== "message") return;
    const sent = JSON.parse(frame.payload!) as { client_id: string; sender_id: string };
    if (sent.sender_id === member.userId || !sentAt.has(sent.client_id)) return;
    const key = `${sent.client_id}>${member.userId}`;
    if (deliveries.has(key)) {
      duplicates += 1;
      return;
    }
    deliveries.set(key, at);
    latencies.push(at - sentAt.get(sent.client_id)!);
  });
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => resolve(socket));
    socket.addEventListener("error", () => reject(new Error(`A socket to room ${roomId} failed to open`)));
  });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, Math.max(0, ms)));

console.log(`Preparing ${roomCount} rooms of ${membersPerRoom} bench users, with tokens, in ${persistTo} ...`);
const rooms = await prepareRooms();
console.log(`Starting the server on port ${port} ...`);
const { stop } = await startBenchServer({ port, persistTo });
try {
  const opening = performance.now();
  const sockets: { roomIndex: number; member: Member; socket: WebSocket }[] = [];
  const everyone = rooms.flatMap((room, roomIndex) => room.members.map((member) => ({ roomIndex, member })));
  // Opened 50 at a time: each upgrade authenticates, checks membership and reads the member's chat settings.
  for (let start = 0; start < everyone.length; start += 50) {
    const batch = everyone.slice(start, start + 50);
    const opened = await Promise.all(batch.map(({ roomIndex, member }) => connect(rooms[roomIndex]!.id, member)));
    sockets.push(...batch.map((entry, i) => ({ ...entry, socket: opened[i]! })));
  }
  console.log(`${sockets.length} sockets open in ${((performance.now() - opening) / 1000).toFixed(1)} s (load average ${load()})`);
  await sleep(3_000);

  const total = Math.round(rate * seconds);
  const gap = 1000 / rate;
  let expected = 0;
  const sending = performance.now();
  for (let i = 0; i < total; i += 1) {
    await sleep(sending + i * gap - performance.now());
    const sender = sockets[Math.floor(Math.random() * sockets.length)]!;
    const clientId = `bench-${Date.now()}-${i}`;
    sentAt.set(clientId, performance.now());
    sender.socket.send(JSON.stringify({ type: "send", client_id: clientId, text: `Bench message ${i}` }));
    expected += rooms[sender.roomIndex]!.members.length - 1;
  }
  const sendSeconds = (performance.now() - sending) / 1000;
  console.log(`${total} messages sent in ${sendSeconds.toFixed(1)} s (${(total / sendSeconds).toFixed(1)}/s; load average ${load()})`);

  // Late is not lost: wait while deliveries still come, until none has come for --quiet-seconds (or --drain-seconds pass).
  const draining = performance.now();
  let progress = { count: deliveries.size + ackLatencies.length, at: performance.now() };
  while ((deliveries.size < expected || ackLatencies.length < total) && performance.now() - draining < drainSeconds * 1000) {
    await sleep(250);
    const count = deliveries.size + ackLatencies.length;
    if (count > progress.count) progress = { count, at: performance.now() };
    else if (performance.now() - progress.at > quietSeconds * 1000) break;
  }
  console.log(`delivery (send frame -> each other member's message frame): ${summary(latencies)}`);
  console.log(`acknowledgement (send frame -> sender's ack, stored in D1): ${summary(ackLatencies)}`);
  console.log(
    `deliveries: ${deliveries.size} of ${expected} expected; lost ${expected - deliveries.size}; duplicated ${duplicates}; ` +
      `acks ${ackLatencies.length} of ${total}; error frames ${errors.length}${errors.length ? ` (first: ${errors[0]})` : ""}`,
  );
  console.log(`load average at the end: ${load()}`);
  for (const { socket } of sockets) socket.close(1000, "benchmark over");
} finally {
  stop();
}
