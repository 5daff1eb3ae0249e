import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { FileUnreadableError } from '../../src/media/media-errors.js';
import { openWithHead, readWholeAndHash, sha256OfFile } from '../../src/media/read-file.js';
import { makeTempDir, writeFixture } from './fixtures.js';

let tmp: Awaited<ReturnType<typeof makeTempDir>>;

beforeAll(async () => {
  tmp = await makeTempDir();
});

afterAll(async () => {
  await tmp.cleanup();
});

describe('reading and hashing', () => {
  it.each([0, 10, 64 * 1024, 64 * 1024 + 1, 3 * 1024 * 1024 + 17])(
    'hashes a %i-byte file while reading it once',
    async (size) => {
      const content = randomBytes(size);
      const path = await writeFixture(tmp.path(`f${size}`), content);
      const opened = await openWithHead(path);
      expect(opened.size).toBe(size);
      expect(opened.head.equals(content.subarray(0, 64 * 1024))).toBe(true);
      const whole = await readWholeAndHash(path, opened);
      expect(whole.bytes.equals(content)).toBe(true);
      const expected = createHash('sha256').update(content).digest('hex');
      expect(whole.sha256).toBe(expected);
      expect(await sha256OfFile(path)).toBe(expected);
    },
  );
});

describe('FileUnreadableError', () => {
  it('carries the errno code and an actionable message', () => {
    const error = FileUnreadableError.from(
      '/x/y.jpg',
      Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' }),
    );
    expect(error).toBeInstanceOf(FileUnreadableError);
    expect(error).toMatchObject({ code: 'EACCES', path: '/x/y.jpg', name: 'FileUnreadableError' });
    expect(error.message).toBe("Cannot read /x/y.jpg: permission denied — check the file's permissions");
    expect(error.cause).toBeInstanceOf(Error);
  });

  it('describes unknown codes and errors without a code', () => {
    expect(FileUnreadableError.from('/a', Object.assign(new Error('x'), { code: 'EWEIRD' })).message).toBe(
      'Cannot read /a: the system reported EWEIRD',
    );
    expect(FileUnreadableError.from('/a', new Error('x')).code).toBe('EUNKNOWN');
  });

  it('is thrown for missing files and directories by the reader', async () => {
    await expect(openWithHead(tmp.path('missing'))).rejects.toMatchObject({ code: 'ENOENT' });
    await expect(openWithHead(tmp.dir)).rejects.toMatchObject({ code: 'EISDIR' });
    await expect(sha256OfFile(tmp.path('missing'))).rejects.toBeInstanceOf(FileUnreadableError);
  });
});
