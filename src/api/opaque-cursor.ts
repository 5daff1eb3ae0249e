import { InvalidInputError } from '../errors.js';

/**
 * Opaque cursors for the insight lists: base64url of the service's own position string, checked on
 * the way in (a UUID, or `<number>:<UUID>`) so a forged cursor is a 400, not a database error.
 */
const POSITION = /^(-?\d+(\.\d+)?:)?[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeOpaqueCursor(position: string | null): string | null {
  return position === null ? null : Buffer.from(position).toString('base64url');
}

export function decodeOpaqueCursor(cursor: string | undefined): string | null {
  if (cursor === undefined || cursor === '') return null;
  const position = Buffer.from(cursor, 'base64url').toString('utf8');
  if (!POSITION.test(position))
    throw new InvalidInputError(
      'Invalid cursor: pass back the nextCursor value of a previous page unchanged.',
    );
  return position;
}
