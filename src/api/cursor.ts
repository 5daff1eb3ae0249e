import { InvalidInputError } from '../errors.js';

/**
 * Opaque keyset-pagination cursors: base64url of `[sort value, id]`. Opaque so clients cannot
 * depend on their shape; validated on the way in so a forged one is a 400, not a 500.
 */
export interface ValueCursor {
  /** The sort key of the last row: a timestamp in ms, a byte count or a score. */
  value: number;
  id: string;
}

export interface CursorPosition {
  at: Date;
  id: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function encodeValueCursor(pos: ValueCursor): string {
  return Buffer.from(JSON.stringify([pos.value, pos.id])).toString('base64url');
}

export function decodeValueCursor(cursor: string | undefined): ValueCursor | null {
  if (cursor === undefined || cursor === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(cursor, 'base64url').toString('utf8'));
    if (Array.isArray(parsed) && parsed.length === 2) {
      const [value, id] = parsed as unknown[];
      if (typeof value === 'number' && Number.isFinite(value) && typeof id === 'string' && UUID.test(id))
        return { value, id };
    }
  } catch {
    // fall through to the error below
  }
  throw new InvalidInputError('Invalid cursor: pass back the nextCursor value of a previous page unchanged.');
}

/** Timestamp cursors (timeline, jobs). */
export function encodeCursor(pos: CursorPosition): string {
  return encodeValueCursor({ value: pos.at.getTime(), id: pos.id });
}

export function decodeCursor(cursor: string | undefined): CursorPosition | null {
  const pos = decodeValueCursor(cursor);
  return pos && { at: new Date(pos.value), id: pos.id };
}

/**
 * The keyset position just before `iso` (a timeline month's `before=`): no id sorts below the nil
 * UUID, so the instant itself is excluded.
 */
export function positionBefore(iso: string | undefined): CursorPosition | null {
  return iso ? { at: new Date(iso), id: '00000000-0000-0000-0000-000000000000' } : null;
}
