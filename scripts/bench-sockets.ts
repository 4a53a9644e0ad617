import { existsSync, readdirSync, readFileSync } from "node:fs";
import { sql } from "drizzle-orm";
import { users } from "#db/schema/index.ts";
import { createPersonalAccessToken } from "#domain/clients/tokens.ts";
import { openLocalPlatform } from "./local-platform.ts";
import { startBenchServer } from "./bench-server.ts";
import { flag, run } from "./run.ts";

/**
 * npm run bench:sockets [-- --sockets 1000 --likes 30 --posts 5 --idle-seconds 20 --port 8794 --persist-to .wrangler/bench-sockets]
 * The live sockets' figures (issue 14), against the server as `npm start` runs it (wrangler dev): makes bench users
 * (npm run db:bench-data at a small scale, once), opens --sockets WebSockets, one per user, each on the public stream
 * and user:notification; then measures
 *   - how much CPU workerd burns while they are all open and idle (hibernated), from /proc,
 *   - like -> notification frame: a user likes another's post through the API; time until the author's socket has it,
 *   - post -> update frame on the public stream: time until each of the --sockets listeners has it.
 * It measures; it asserts nothing. Record figures in docs/benchmarks.md.
 */
const persistTo = flag("--persist-to", ".wrangler/bench-sockets");
const port = flag("--port", "8794");
const socketCount = Number(flag("--sockets", "1000"));
const likes = Number(flag("--likes", "30"));
const postCount = Number(flag("--posts", "5"));
const idleSeconds = Number(flag("--idle-seconds", "20"));
const base = `http://localhost:${port}`;

interface Frame {
  event?: string;
  payload?: string;
}

let sent = 0;
/** Every request and socket from its own address: the API's rate limit counts per address. */
const address = () => {
  sent += 1;
  return `198.51.${(sent >> 8) % 256}.${sent % 256}`;
};

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))]!;
}

const summary = (values: number[]) => {
  const sorted = [...values].sort((a, b) => a - b);
  return `p50 ${percentile(sorted, 50).toFixed(0)} ms, p95 ${percentile(sorted, 95).toFixed(0)} ms, max ${sorted.at(-1)!.toFixed(0)} ms (n=${sorted.length})`;
};

async function prepareUsers(): Promise<{ id: string; token: string }[]> {
  if (!existsSync(`${persistTo}/v3/d1`)) {
    await run("npm", [
      "run",
      "db:bench-data",
      "--",
      "--users",
      String(socketCount + 10),
      "--follows",
      String(socketCount * 5),
      "--posts",
      String(socketCount),
      "--persist-to",
      persistTo,
    ]);
  }
  const { ctx, dispose } = await openLocalPlatform(persistTo);
  try {
    const rows = await ctx.db
      .select({ id: users.id })
      .from(users)
      .where(sql`${users.username} LIKE 'bench%'`)
      .orderBy(users.id)
      .limit(socketCount);
    if (rows.length < socketCount) throw new Error(`Only ${rows.length} bench users in ${persistTo}; delete it to regenerate.`);
    const people: { id: string; token: string }[] = [];
    for (const row of rows)
      people.push({ id: row.id, token: await createPersonalAccessToken(ctx, row.id, "npm run bench:sockets", ["read", "write"]) });
    return people;
  } finally {
    await dispose();
  }
}

/** CPU seconds (user + system) the group's workerd processes have used so far, from /proc. */
function workerdCpuSeconds(group: number): number {
  const ticks = Number(process.env.CLK_TCK ?? 100);
  let total = 0;
  for (const pid of readdirSync("/proc").filter((name) => /^\d+$/.test(name))) {
    try {
      const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      // After the command: state, ppid, pgrp, ...; utime and stime are fields 14 and 15 of the whole line.
      const comm = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      if (!comm.startsWith("workerd") || Number(fields[2]) !== group) continue;
      total += (Number(fields[11]) + Number(fields[12])) / ticks;
    } catch {
      // A process that ended while we read.
    }
  }
  return total;
}

interface Listener {
  socket: WebSocket;
  frames: { at: number; frame: Frame }[];
  waiters: Set<() => void>;
}

function listen(token: string): Promise<Listener> {
  const url = `${base.replace(/^http/, "ws")}/api/v1/streaming?stream=public&access_token=${token}`;
  // Node's WebSocket (undici) takes headers as an extension to the standard constructor.
  const socket = new WebSocket(url, { headers: { "cf-connecting-ip": address() } } as unknown as string[]);
  const listener: Listener = { socket, frames: [], waiters: new Set() };
  socket.addEventListener("message", (message) => {
    listener.frames.push({ at: performance.now(), frame: JSON.parse(String(message.data)) as Frame });
    for (const wake of listener.waiters) wake();
  });
  return new Promise((resolve, reject) => {
    socket.addEventListener("open", () => {
      socket.send(JSON.stringify({ type: "subscribe", stream: "user:notification" }));
      resolve(listener);
    });
    socket.addEventListener("error", () => reject(new Error("A socket failed to open")));
  });
}

/** When (performance.now()) a listener first had a frame passing the test; undefined after the timeout. */
function frameTime(listener: Listener, test: (frame: Frame) => boolean, timeoutMs = 60_000): Promise<number | undefined> {
  return new Promise((resolve) => {
    const check = () => {
      const found = listener.frames.find((entry) => test(entry.frame));
      if (!found) return false;
      listener.waiters.delete(check);
      clearTimeout(timer);
      resolve(found.at);
      return true;
    };
    const timer = setTimeout(() => {
      listener.waiters.delete(check);
      resolve(undefined);
    }, timeoutMs);
    if (!check()) listener.waiters.add(check);
  });
}

async function api(path: string, token: string, body?: unknown) {
  const response = await fetch(new URL(path, base), {
    method: "POST",
    headers: { authorization: `Bearer ${token}`, "content-type": "application/json", "cf-connecting-ip": address() },
    body: JSON.stringify(body ?? {}),
  });
  if (!response.ok) throw new Error(`${path} answered ${response.status}: ${await response.text()}`);
  return (await response.json()) as { id: string };
}

console.log(`Preparing ${socketCount} bench users with tokens in ${persistTo} ...`);
const people = await prepareUsers();
console.log(`Starting the server on port ${port} ...`);
const { stop, group } = await startBenchServer({ port, persistTo });
try {
  const opening = performance.now();
  const listeners: Listener[] = [];
  // Opened 50 at a time: each upgrade authenticates and writes the listener rows.
  for (let start = 0; start < people.length; start += 50) {
    listeners.push(...(await Promise.all(people.slice(start, start + 50).map((person) => listen(person.token)))));
  }
  console.log(`${listeners.length} sockets open in ${((performance.now() - opening) / 1000).toFixed(1)} s`);
  // The subscribe messages write listener rows too; let them land.
  await new Promise((resolve) => setTimeout(resolve, 5_000));

  const cpuBefore = workerdCpuSeconds(group);
  await new Promise((resolve) => setTimeout(resolve, idleSeconds * 1000));
  const cpuIdle = workerdCpuSeconds(group) - cpuBefore;
  console.log(
    `idle: workerd used ${cpuIdle.toFixed(2)} CPU s in ${idleSeconds} s with ${listeners.length} sockets open ` +
      `(${((cpuIdle / idleSeconds) * 100).toFixed(1)}% of one core)`,
  );

  const likeLatencies: number[] = [];
  let likesLost = 0;
  for (let i = 0; i < likes; i += 1) {
    const author = people[i % people.length]!;
    const fan = people[(i + 1 + Math.floor(people.length / 2)) % people.length]!;
    const post = await api("/api/v1/statuses", author.token, { status: `Like benchmark ${i}`, visibility: "unlisted" });
    const started = performance.now();
    await api(`/api/v1/statuses/${post.id}/favourite`, fan.token);
    const arrived = await frameTime(listeners[i % people.length]!, (frame) => {
      if (frame.event !== "notification") return false;
      const notification = JSON.parse(frame.payload!) as { type: string; status?: { id: string } };
      return notification.type === "favourite" && notification.status?.id === post.id;
    });
    if (arrived === undefined) likesLost += 1;
    else likeLatencies.push(arrived - started);
  }
  console.log(`like -> notification frame: ${likeLatencies.length ? summary(likeLatencies) : "none arrived"}, lost ${likesLost}`);

  const updateLatencies: number[] = [];
  let updatesLost = 0;
  for (let i = 0; i < postCount; i += 1) {
    const started = performance.now();
    const post = await api("/api/v1/statuses", people[i]!.token, { status: `Public stream benchmark ${i}`, visibility: "public" });
    const arrivals = await Promise.all(
      listeners.map((listener) => frameTime(listener, (frame) => frame.event === "update" && JSON.parse(frame.payload!).id === post.id)),
    );
    for (const arrived of arrivals) {
      if (arrived === undefined) updatesLost += 1;
      else updateLatencies.push(arrived - started);
    }
    const last = Math.max(...arrivals.filter((at): at is number => at !== undefined));
    console.log(`  post ${i + 1}: last of ${listeners.length} listeners had it after ${(last - started).toFixed(0)} ms`);
  }
  console.log(
    `post -> update frame on the public stream (${listeners.length} listeners): ${summary(updateLatencies)}, lost ${updatesLost}`,
  );
  for (const listener of listeners) listener.socket.close(1000, "benchmark over");
} finally {
  stop();
}
