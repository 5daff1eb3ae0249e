/**
 * Errors that carry meaning. The API maps them to problem+json in one place
 * (src/api/problem.ts); anything else is an unexpected 500 with a request id.
 */
export abstract class AppError extends Error {
  abstract readonly status: number;
  abstract readonly type: string;
  constructor(
    message: string,
    readonly detail?: Record<string, unknown>,
  ) {
    super(message);
    this.name = new.target.name;
  }
}

export class NotFoundError extends AppError {
  readonly status = 404;
  readonly type = 'not-found';
}

/** No valid credentials. The message stays generic: it must not say which part was wrong. */
export class UnauthorizedError extends AppError {
  readonly status = 401;
  readonly type = 'unauthorized';
}

/** Authenticated and allowed to see the resource, but not to change it (e.g. a viewer share). */
export class ForbiddenError extends AppError {
  readonly status = 403;
  readonly type = 'forbidden';
}

export class TooManyRequestsError extends AppError {
  readonly status = 429;
  readonly type = 'too-many-requests';
  constructor(
    message: string,
    readonly retryAfterSeconds: number,
  ) {
    super(message);
  }
}

export class InvalidInputError extends AppError {
  readonly status = 400;
  readonly type = 'invalid-input';
}

/** Invalid input that names each bad field and what it accepts (problem+json `errors`). */
export class InvalidFieldsError extends InvalidInputError {
  constructor(readonly errors: readonly { path: string; message: string }[]) {
    super(`Invalid request: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`);
  }
}

export class ConflictError extends AppError {
  readonly status = 409;
  readonly type = 'conflict';
}

export class ServiceUnavailableError extends AppError {
  readonly status = 503;
  readonly type = 'service-unavailable';
}

/**
 * The asset is known but its original file cannot give what was asked (moved, deleted, unreadable,
 * or no picture in it). A 404 with its own problem type, so a client can fall back to the thumbnail.
 */
export class OriginalUnavailableError extends AppError {
  readonly status = 404;
  readonly type = 'original-unavailable';
}

/** Where a write found no space: a path on this machine, or the database server's own disk. */
export interface DiskFullPlace {
  /** The file or folder that could not be written; null when the database server said it. */
  path: string | null;
  /** Where that filesystem is mounted (null when unknown, e.g. the database server's disk). */
  mountPoint: string | null;
  freeBytes: number | null;
  totalBytes: number | null;
  /** ENOSPC, EDQUOT, SQLSTATE 53100, or `below-floor` (free space under DISK_FREE_FLOOR_MB). */
  code: string;
}

/**
 * A write failed because a disk (or a quota) is full. Never the fault of the item being written:
 * the work is paused and retried once space returns, never parked as failed.
 */
export class DiskFullError extends AppError {
  readonly status = 507;
  readonly type = 'disk-full';
  constructor(
    message: string,
    readonly place: DiskFullPlace,
  ) {
    super(message, { ...place });
  }
}
