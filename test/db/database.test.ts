import { describe, expect, it } from 'vitest';
import { DatabaseUnavailableError, openDatabase, redactDatabaseUrl } from '../../src/db/database.js';

describe('openDatabase', () => {
  it('fails with a clear, password-free message when PostgreSQL is unreachable', async () => {
    const url = 'postgres://photo:s3cret@127.0.0.1:1/photosync';
    const err = await openDatabase({ databaseUrl: url, dataDir: null }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(DatabaseUnavailableError);
    const message = (err as Error).message;
    expect(message).toContain('Cannot connect to the database at postgres://photo:***@127.0.0.1:1/photosync');
    expect(message).toContain('DATABASE_URL');
    expect(message).not.toContain('s3cret');
  });

  it('redacts passwords in URLs it reports', () => {
    expect(redactDatabaseUrl('postgresql://u:p@h:5432/d')).toBe('postgresql://u:***@h:5432/d');
    expect(redactDatabaseUrl('postgresql://h/d')).toBe('postgresql://h/d');
  });
});
