import type { FastifyError, FastifyInstance } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { AppError, DiskFullError, InvalidFieldsError, TooManyRequestsError } from '../errors.js';
import type { DiskCondition } from '../fs/disk-space-monitor.js';
import { isDiskFull, toDiskFullError } from '../fs/disk-full.js';

/** RFC 9457 problem details; every error response of the API has this shape. */
export interface Problem {
  type: string;
  title: string;
  status: number;
  detail: string;
  instance?: string;
  requestId: string;
  errors?: { path: string; message: string }[];
  /** A 409 for an overlapping library folder: the library it overlaps, null when not the caller's to see. */
  conflictingLibrary?: { id: string; name: string; root: string } | null;
  /** A 507 for want of space: each full disk, with its free bytes. */
  disks?: DiskCondition[];
}

const titles: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  429: 'Too Many Requests',
  500: 'Internal Server Error',
  503: 'Service Unavailable',
  507: 'Insufficient Storage',
};

export const problemTypeBase = 'https://photo-sync.dev/problems/';

/** The one place that maps errors to problem+json responses. */
export function registerProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler(async (error: FastifyError, request, reply) => {
    // A write that found no room (e.g. the database's SQLSTATE 53100) says so, instead of a bare 500.
    const known =
      error instanceof AppError ? error : isDiskFull(error) ? await toDiskFullError(error, null) : null;
    let status = 500;
    let type = 'internal';
    let detail = `Something went wrong on our side. Quote request id ${request.id} when reporting it.`;
    let errors: Problem['errors'];
    let conflictingLibrary: Problem['conflictingLibrary'];
    let disks: Problem['disks'];

    if (known) {
      status = known.status;
      type = known.type;
      detail = known.message;
      if (known instanceof InvalidFieldsError) errors = [...known.errors];
      if (known.detail && 'conflictingLibrary' in known.detail)
        conflictingLibrary = known.detail.conflictingLibrary as Problem['conflictingLibrary'];
      if (known instanceof DiskFullError) disks = [{ ...known.place, reason: 'write-failed', since: '' }];
      if (known instanceof TooManyRequestsError)
        void reply.header('retry-after', String(known.retryAfterSeconds));
    } else if (hasZodFastifySchemaValidationErrors(error)) {
      status = 400;
      type = 'invalid-input';
      errors = error.validation.map((v) => ({
        path: `${error.validationContext ?? 'request'}${v.instancePath || ''}`,
        message: v.message ?? 'invalid',
      }));
      detail = `Invalid request: ${errors.map((e) => `${e.path}: ${e.message}`).join('; ')}`;
    } else if (typeof error.statusCode === 'number' && error.statusCode >= 400 && error.statusCode < 500) {
      // Fastify's own client errors (malformed JSON, body too large, bad content type).
      status = error.statusCode;
      type = (error.code || 'client-error').toLowerCase().replace(/_/g, '-');
      detail = error.message;
    }

    if (status >= 500) request.log.error({ err: error }, 'request failed');
    const body: Problem = {
      type: problemTypeBase + type,
      title: titles[status] ?? 'Error',
      status,
      detail,
      instance: request.url,
      requestId: request.id,
      ...(errors ? { errors } : {}),
      ...(conflictingLibrary !== undefined ? { conflictingLibrary } : {}),
      ...(disks ? { disks } : {}),
    };
    return reply.status(status).type('application/problem+json').send(body);
  });

  app.setNotFoundHandler((request, reply) => {
    const body: Problem = {
      type: problemTypeBase + 'not-found',
      title: 'Not Found',
      status: 404,
      detail: `No route ${request.method} ${request.url}`,
      instance: request.url,
      requestId: request.id,
    };
    return reply.status(404).type('application/problem+json').send(body);
  });
}
