import { z } from "zod";

/** A migration file as wrangler reads it: its name and its SQL split into statements. */
export const migrationSchema = z.object({ name: z.string().min(1), queries: z.array(z.string()) });
export type Migration = z.infer<typeof migrationSchema>;

/**
 * Applies the migrations not yet recorded in d1_migrations, each in one batch with its record (so a failing file leaves
 * nothing half-applied), and returns their names. The table is the one `wrangler d1 migrations apply` keeps, so the
 * two agree about what has run. `npm start` and the Workers-pool tests both bring their databases up to date with it.
 */
export async function applyMigrations(db: D1Database, migrations: Migration[]): Promise<string[]> {
  await db
    .prepare(
      `CREATE TABLE IF NOT EXISTS d1_migrations (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        name TEXT UNIQUE,
        applied_at TIMESTAMP DEFAULT CURRENT_TIMESTAMP NOT NULL
      )`,
    )
    .run();
  const { results } = await db.prepare("SELECT name FROM d1_migrations").all<{ name: string }>();
  const applied = new Set(results.map(({ name }) => name));
  const pending = migrations.filter(({ name }) => !applied.has(name));
  const record = db.prepare("INSERT INTO d1_migrations (name) VALUES (?)");
  for (const migration of pending) {
    await db.batch([...migration.queries.map((query) => db.prepare(query)), record.bind(migration.name)]);
  }
  return pending.map(({ name }) => name);
}
