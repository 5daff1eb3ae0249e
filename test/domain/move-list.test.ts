import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { moveListCsv, moveListScript, shellQuote, type RecordedRemoval } from '../../src/domain/move-list.js';

const row = (p: string, id = '11111111-1111-4111-8111-111111111111'): RecordedRemoval => ({
  itemId: id,
  assetId: '22222222-2222-4222-8222-222222222222',
  path: p,
  keeperPaths: ['/photos/keep.jpg'],
  reason: 'exact duplicate',
  decidedAt: new Date('2026-01-02T03:04:05Z'),
});

describe('move list exports of a read-only library', () => {
  it('quotes every CSV field and defuses spreadsheet formulas', () => {
    const csv = moveListCsv([row('/p/a "b", c.jpg'), row('=cmd|calc.jpg')]);
    const lines = csv.trim().split('\r\n');
    expect(lines[0]).toBe('item_id,asset_id,path,kept_copies,reason,decided_at');
    expect(lines[1]).toContain('"/p/a ""b"", c.jpg"');
    expect(lines[2]).toContain(`"'=cmd|calc.jpg"`);
  });

  it('single-quotes paths so the shell never interprets them', () => {
    expect(shellQuote("it's $(rm -rf ~) `x`.jpg")).toBe(`'it'\\''s $(rm -rf ~) \`x\`.jpg'`);
  });

  it('writes a script that only moves, never overwrites, and survives hostile names', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'movelist-'));
    try {
      const hostile = path.join(dir, "lib/it's $(touch PWNED) a copy.jpg");
      fs.mkdirSync(path.dirname(hostile), { recursive: true });
      fs.writeFileSync(hostile, 'photo');
      const script = moveListScript('lib', [
        row(hostile),
        row(path.join(dir, 'lib/gone.jpg'), '33333333-3333-4333-8333-333333333333'),
      ]);
      expect(script).not.toMatch(/\brm\b/);
      fs.writeFileSync(path.join(dir, 'run.sh'), script);
      const out = execFileSync('sh', [path.join(dir, 'run.sh')], {
        cwd: dir,
        env: { PATH: process.env.PATH, DEST: path.join(dir, 'removed') },
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
      expect(out).toContain('moved 1 file(s), skipped 1');
      expect(fs.existsSync(hostile)).toBe(false);
      expect(
        fs.readFileSync(path.join(dir, 'removed', row(hostile).itemId, path.basename(hostile)), 'utf8'),
      ).toBe('photo');
      expect(fs.existsSync(path.join(dir, 'PWNED'))).toBe(false);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
