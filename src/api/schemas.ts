import { z } from 'zod';

/** Request pieces shared by several routes. */

export const idParams = z.object({ id: z.uuid({ message: 'must be a UUID' }) });

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(500).default(100),
  cursor: z.string().max(200).optional(),
};

export const problemSchema = z.object({
  type: z.string(),
  title: z.string(),
  status: z.number(),
  detail: z.string(),
  requestId: z.string(),
});
