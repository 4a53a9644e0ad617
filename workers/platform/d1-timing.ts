import type { ServerTiming } from "./server-timing.ts";

const timedStatementMethods = new Set(["all", "run", "first", "raw"]);

/**
 * Wraps a D1 binding so that every query's time lands in Server-Timing as "db". Drizzle only sees a D1Database, so
 * the domain layer stays unaware of timing.
 */
export function timedD1(d1: D1Database, timing: ServerTiming): D1Database {
  const timeStatement = (statement: D1PreparedStatement): D1PreparedStatement => {
    const proxy = new Proxy(statement, {
      get(target, property, receiver) {
        const value = Reflect.get(target, property, receiver);
        if (typeof value !== "function") return value;
        if (property === "bind") {
          return (...args: unknown[]) => timeStatement(value.apply(target, args) as D1PreparedStatement);
        }
        if (typeof property === "string" && timedStatementMethods.has(property)) {
          return (...args: unknown[]) => timing.measure("db", () => value.apply(target, args));
        }
        return value.bind(target);
      },
    });
    proxyTargets.set(proxy, statement);
    return proxy;
  };

  return new Proxy(d1, {
    get(target, property, receiver) {
      const value = Reflect.get(target, property, receiver);
      if (typeof value !== "function") return value;
      if (property === "prepare") {
        return (query: string) => timeStatement(target.prepare(query));
      }
      if (property === "batch") {
        return (statements: D1PreparedStatement[]) => timing.measure("db", () => target.batch(statements.map(unwrapStatement)));
      }
      return value.bind(target);
    },
  });
}

const proxyTargets = new WeakMap<object, D1PreparedStatement>();

/** batch() needs the runtime's own statement objects, not our proxies. */
function unwrapStatement(statement: D1PreparedStatement): D1PreparedStatement {
  return proxyTargets.get(statement) ?? statement;
}
