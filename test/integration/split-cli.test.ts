import { describe, expect, it } from 'vitest';
import { runCli } from '../support/cli-process.js';
import { makeTempDir } from '../support/test-app.js';

describe('split-deployment commands', () => {
  it.each(['worker', 'scheduler', 'server'])(
    '`%s` without PostgreSQL and Redis exits 2 and says what it needs',
    async (role) => {
      const res = await runCli([role], { env: { DATA_DIR: await makeTempDir('split') } });
      expect(res.code).toBe(2);
      expect(res.stderr).toContain(`photo-sync ${role} is part of the split deployment`);
      expect(res.stderr).toContain('DATABASE_URL and REDIS_URL');
      expect(res.stderr).toContain('photo-sync serve');
    },
  );
});
