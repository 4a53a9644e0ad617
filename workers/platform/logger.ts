/**
 * Structured logs: one JSON object per line, which Workers Logs and `wrangler tail` index by field. Errors carry their
 * stack here and only here; responses never do.
 *
 * Lines below the configured level (LOG_LEVEL) are dropped before they are serialised: locally every line crosses from
 * workerd to wrangler's Node process, about 2.7 ms each, so development runs at "warn" (wrangler prints its own line
 * per request) while staging and production keep "info".
 */
export const LOG_LEVELS = ["debug", "info", "warn", "error"] as const;
export type LogLevel = (typeof LOG_LEVELS)[number];
export type LogFields = Record<string, unknown>;

export interface Logger {
  info(message: string, fields?: LogFields): void;
  warn(message: string, fields?: LogFields): void;
  error(message: string, error: unknown, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

export function createLogger(threshold: LogLevel, base: LogFields = {}): Logger {
  const lowest = LOG_LEVELS.indexOf(threshold);
  const write = (level: LogLevel, message: string, fields: LogFields = {}) => {
    if (LOG_LEVELS.indexOf(level) < lowest) return;
    const line = JSON.stringify({ level, message, time: new Date().toISOString(), ...base, ...fields });
    if (level === "error") console.error(line);
    else if (level === "warn") console.warn(line);
    else console.log(line);
  };
  return {
    info: (message, fields) => write("info", message, fields),
    warn: (message, fields) => write("warn", message, fields),
    error: (message, error, fields) => write("error", message, { ...fields, error: describeError(error) }),
    child: (fields) => createLogger(threshold, { ...base, ...fields }),
  };
}

export function describeError(error: unknown): LogFields {
  if (error instanceof Error) {
    return { name: error.name, message: error.message, stack: error.stack, cause: error.cause && describeError(error.cause) };
  }
  return { message: String(error) };
}
