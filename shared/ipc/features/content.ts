/** The content feature: content packs imported from the learner's or instructor's machine, and content change events. */
import { z } from 'zod';
import { findingSchema } from '../../content/findings';
import { defineFeature } from '../define';
import { id } from './common';

/** The largest pack an upload may carry; equal to core's MAX_PACK_BYTES (a test keeps them equal). */
export const contentPackUploadLimit = 64 * 1024 * 1024;

export const importModeSchema = z.enum(['append', 'override']);

const importCountsSchema = z.object({
  inserted: z.number().int().nonnegative(),
  updated: z.number().int().nonnegative(),
  skipped: z.number().int().nonnegative(),
});

export const importSummarySchema = z.object({
  packId: id,
  pack: z.object({ name: z.string(), version: z.string(), sha256: z.string(), byteLength: z.number().int().nonnegative() }),
  mode: importModeSchema,
  counts: z.object({
    domains: importCountsSchema,
    skills: importCountsSchema,
    questions: importCountsSchema,
    drillQuestions: importCountsSchema,
  }),
  keptUnpublished: z.object({ domains: z.number().int().nonnegative(), skills: z.number().int().nonnegative() }),
  warnings: z.array(findingSchema),
});

/** Where an import is: the upload arrived, the pack was checked, the rows are being written. */
export const importProgressSchema = z.discriminatedUnion('phase', [
  z.object({ phase: z.literal('received'), bytes: z.number().int().nonnegative() }),
  z.object({ phase: z.literal('validated'), warningCount: z.number().int().nonnegative(), questionCount: z.number().int().nonnegative() }),
  z.object({ phase: z.literal('importing') }),
]);

export type ImportSummary = z.infer<typeof importSummarySchema>;
export type ImportProgress = z.infer<typeof importProgressSchema>;

export const contentContract = defineFeature({
  streams: {
    /** Uploads a pack, validates it, imports it; cancel before the write leaves the database untouched. */
    'content:import': {
      input: z.object({ mode: importModeSchema }).strict(),
      chunk: importProgressSchema,
      done: importSummarySchema,
      upload: { maxBytes: contentPackUploadLimit },
    },
  },
  events: {
    'content:updated': z.object({ questionCount: z.number().int().nonnegative(), contentVersion: z.number().int().nullable() }),
  },
});
