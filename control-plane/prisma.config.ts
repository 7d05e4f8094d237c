import { PrismaPg } from '@prisma/adapter-pg';
import { defineConfig } from 'prisma/config';

/**
 * Prisma 6.19 with the JS engine and the pg driver adapter: no engine binary is downloaded,
 * which the offline machines need (Prisma 7's CLI downloads a schema engine for every migrate).
 */
export default defineConfig({
  schema: 'prisma/schema.prisma',
  experimental: { adapter: true },
  engine: 'js',
  adapter: async () => new PrismaPg({ connectionString: databaseUrl() }),
});

function databaseUrl(): string {
  const url = process.env.DATABASE_URL ?? process.env.FLOWFORGE_DATABASE_URL;
  if (!url) throw new Error('FF_CONFIG: set DATABASE_URL (or FLOWFORGE_DATABASE_URL) to the PostgreSQL URL');
  return url;
}
