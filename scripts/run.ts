import { spawn, type SpawnOptions } from "node:child_process";

/** Runs a command from node_modules/.bin (npm puts it on PATH), inheriting the terminal; rejects on failure. */
export function run(command: string, args: string[], options: SpawnOptions = {}): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: "inherit", ...options });
    child.on("error", reject);
    child.on("exit", (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`${command} ${args.join(" ")} failed (${signal ?? `exit code ${code}`})`));
    });
  });
}

/** The value after a flag (`--port 8788`), or a default. */
export function flag(name: string, fallback: string, argv = process.argv): string {
  const index = argv.indexOf(name);
  return index === -1 ? fallback : (argv[index + 1] ?? fallback);
}
