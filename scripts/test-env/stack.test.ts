import { Connection } from '@temporalio/client';
import pg from 'pg';
import { describe, expect, inject, it } from 'vitest';

describe('the test environment', () => {
  it('serves a real PostgreSQL that answers queries', async () => {
    const client = new pg.Client({ connectionString: inject('postgresUrl') });
    await client.connect();
    const result = await client.query('SELECT 6 * 7 AS answer, version() AS version');
    await client.end();
    expect(result.rows[0].answer).toBe(42);
    expect(result.rows[0].version).toMatch(/^PostgreSQL 18/);
  });

  it('serves a real Temporal dev server with the FlowForge search attributes', async () => {
    const connection = await Connection.connect({ address: inject('temporalAddress') });
    const attributes = await connection.operatorService.listSearchAttributes({ namespace: 'default' });
    await connection.close();
    expect(Object.keys(attributes.customAttributes)).toEqual(
      expect.arrayContaining(['FlowForgeWorkflow', 'FlowForgeVersion']),
    );
  });
});
