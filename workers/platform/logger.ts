/**
 * Structured logs: one JSON object per line, which Workers Logs and `wrangler tail` index by field. Errors carry their
 * stack here and only here; responses never do.
 */
type Level = "debug" | "info" | "warn" | "error";
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, error: unknown, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(base: LogFields = {}): Logger {
  const write = (level: Level, message: string, fields: LogFields = {}) => {
    const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, error, fields) => write("error", message, { ...fields, error: describeError(error) }),
    child: (fields) => createLogger({ ...base, ...fields }),
  };
}

export function describeError(error: unknown): LogFields {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, cause: error.cause && describeError(error.cause) };
  }
  return { message: String(error) };
}
