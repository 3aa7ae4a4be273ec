/** The library feature: the domain → skill tree. */
import { z } from 'zod';
import { defineFeature } from '../define';
import { id, none } from './common';

export const skillSummarySchema = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  description: z.string().nullable(),
  questionCount: z.number().int().nonnegative(),
  progress: z.number().min(0).max(1),
});
export const domainNodeSchema = z.object({
  id,
  slug: z.string(),
  title: z.string(),
  skills: z.array(skillSummarySchema),
});
export const libraryTreeSchema = z.object({ domains: z.array(domainNodeSchema) });
export type LibraryTree = z.infer<typeof libraryTreeSchema>;

export const libraryContract = defineFeature({
  channels: {
    'library:tree': { input: none, output: libraryTreeSchema },
  },
});
