import { spawn } from "node:child_process";

/** A server a benchmark started: stop it, and its process group (to find workerd's processes in /proc). */
export interface BenchServer {
  stop: () => void;
  group: number;
}

/**
 * `npm start` on a benchmark's database, in its own process group so that stopping it stops wrangler and workerd too.
 * Resolves once the server announces itself (migrations applied, demo data in place).
 */
export function startBenchServer(options: { port: string; persistTo: string; skipBuild?: boolean }): Promise<BenchServer> {
  const args = [
    "start",
    "--",
    ...(options.skipBuild === false ? [] : ["--skip-build"]),
    "--port",
    options.port,
    "--persist-to",
    options.persistTo,
  ];
  const server = spawn("npm", args, { detached: true, stdio: ["ignore", "pipe", "inherit"] });
  const stop = () => {
    if (server.exitCode === null) process.kill(-server.pid!, "SIGTERM");
  };
  return new Promise((resolve, reject) => {
    server.stdout.on("data", (chunk: Buffer) => {
      if (chunk.toString().includes("Perch is running at")) resolve({ stop, group: server.pid! });
    });
    server.on("exit", (code) => reject(new Error(`npm start exited (${code}) before the server answered`)));
  });
}
