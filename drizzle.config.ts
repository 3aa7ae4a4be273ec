/** drizzle-kit: generates the local database's migrations from the one schema module. */
import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  dialect: 'sqlite',
  schema: './electron/core/db/schema.ts',
  out: './migrations/sqlite',
});
