/** Field schemas several features share. */
import { z } from 'zod';

export const id = z.string().uuid();
export const utcMs = z.number().int().nonnegative();
/** The input of a request that takes none: `{}` and nothing else. */
export const none = z.object({}).strict();
