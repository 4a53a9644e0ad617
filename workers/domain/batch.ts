import { sql, type SQL, type SQLWrapper } from "drizzle-orm";
import type { BatchItem, BatchResponse } from "drizzle-orm/batch";
import { SQLiteAsyncDialect } from "drizzle-orm/sqlite-core";
import type { DomainContext } from "./context.ts";

type Statement = BatchItem<"sqlite">;

/**
 * Statements and what their results make, so that reads written in different modules can share one D1 round trip
 * (each costs milliseconds, more than most of our indexed statements take to run).
 */
export interface BatchRead<T> {
  readonly statements: readonly Statement[];
  readonly read: (results: readonly unknown[]) => T;
}

/** A read of these statements; `read` gets their results as drizzle types them. */
export function batchRead<const S extends readonly Statement[], T>(statements: S, read: (results: BatchResponse<S>) => T): BatchRead<T> {
  return { statements, read: (results) => read(results as BatchResponse<S>) };
}

/** A value that needs no statement (a viewer's marks when no one is signed in), for a place that takes a read. */
export function known<T>(value: T): BatchRead<T> {
  return { statements: [], read: () => value };
}

/** The same read, its value turned into another. */
export function mapRead<T, U>(source: BatchRead<T>, map: (value: T) => U): BatchRead<U> {
  return { statements: source.statements, read: (results) => map(source.read(results)) };
}

type Values<R extends readonly BatchRead<unknown>[]> = { -readonly [K in keyof R]: R[K] extends BatchRead<infer T> ? T : never };

/** Runs reads in one round trip (none when none of them has a statement) and gives back each one's value, in order. */
export async function runBatch<const R extends readonly BatchRead<unknown>[]>(ctx: DomainContext, ...reads: R): Promise<Values<R>> {
  const statements = reads.flatMap((read) => read.statements);
  const results: readonly unknown[] = statements.length === 0 ? [] : await ctx.db.batch(statements as [Statement, ...Statement[]]);
  let offset = 0;
  return reads.map((read) => read.read(results.slice(offset, (offset += read.statements.length)))) as Values<R>;
}

/** Ids for `inArray`: a list, or a query that selects them (so a read can follow rows another statement finds). */
export type Ids = readonly string[] | SQLWrapper;

const isList = (ids: Ids): ids is readonly string[] => Array.isArray(ids);

/**
 * Ids as one bound parameter, for `inArray(column, inIds(ids))`: SQLite expands the JSON array with json_each, so a
 * list of any length fits in D1's 100 bound parameters per statement, and the column's index is still used.
 */
export function inIds(ids: Ids): SQLWrapper {
  return isList(ids) ? sql`(SELECT value FROM json_each(${JSON.stringify(ids)}))` : ids;
}

const dialect = new SQLiteAsyncDialect();

/**
 * Runs raw SQL statements as one D1 batch: one round trip and one transaction, all or none. drizzle's batch cannot
 * take raw statements with bound parameters, so they go to D1 as the statements drizzle would prepare.
 */
export async function runStatements(ctx: DomainContext, statements: readonly SQL[]): Promise<D1Result[]> {
  const client = ctx.db.$client;
  return client.batch(
    statements.map((statement) => {
      const query = dialect.sqlToQuery(statement);
      return client.prepare(query.sql).bind(...query.params);
    }),
  );
}
