/**
 * The wire protocol: the frames every transport carries between a renderer and core (WebSocket text in
 * the web host, Electron IPC and a MessagePort in Electron, process messages in the fork tests).
 * docs/wire-protocol.md describes them; these schemas are the definition.
 */
import { z } from 'zod';
import type { AppError } from '../errors';
import type { Result } from './api';
import { uploadChunkBytes } from './wire-bytes';

export { decodeBinaryUpload, encodeBinaryUpload, toBase64, uploadChunkBytes } from './wire-bytes';

/** Request and stream ids are chosen by the caller, unique per connection. */
export const frameIdSchema = z.union([z.number().int(), z.string().max(64)]);
export type FrameId = z.infer<typeof frameIdSchema>;

export const requestFrameSchema = z.object({ id: frameIdSchema, channel: z.string().max(100), input: z.unknown().optional() }).strict();
export const streamStartFrameSchema = z
  .object({
    kind: z.literal('stream'),
    id: frameIdSchema,
    stream: z.string().max(100),
    input: z.unknown().optional(),
    /** Size of the body that follows in upload frames; the stream runs once it has all arrived. */
    uploadBytes: z.number().int().nonnegative().optional(),
  })
  .strict();
export const uploadFrameSchema = z
  .object({
    kind: z.literal('upload'),
    id: frameIdSchema,
    seq: z.number().int().nonnegative(),
    /** base64 of at most `uploadChunkBytes` bytes, or the bytes themselves (the web host's binary upload frames). */
    data: z.union([
      z.string().max(Math.ceil(uploadChunkBytes / 3) * 4),
      z.custom<Uint8Array>((value) => value instanceof Uint8Array && value.byteLength <= uploadChunkBytes, `bytes, at most ${uploadChunkBytes}`),
    ]),
  })
  .strict();
export const cancelFrameSchema = z.object({ kind: z.literal('cancel'), id: frameIdSchema }).strict();

const streamFrameSchema = z.discriminatedUnion('kind', [streamStartFrameSchema, uploadFrameSchema, cancelFrameSchema]);
export type ClientFrame = z.infer<typeof requestFrameSchema> | z.infer<typeof streamFrameSchema>;

/** Validates a frame from a renderer: one with a `kind` is a stream frame, one without is a request. */
export function parseClientFrame(raw: unknown): z.ZodSafeParseResult<ClientFrame> {
  const kinded = typeof raw === 'object' && raw !== null && 'kind' in raw;
  return kinded ? streamFrameSchema.safeParse(raw) : requestFrameSchema.safeParse(raw);
}

export type ServerFrame =
  | { id: FrameId | null; result: Result<unknown> }
  | { event: string; payload: unknown }
  | { kind: 'chunk'; id: FrameId; chunk: unknown }
  | { kind: 'done'; id: FrameId; value: unknown }
  | { kind: 'error'; id: FrameId; error: AppError };

/** The one Electron IPC channel the preload and the main process carry wire frames on, both ways. */
export const electronWireChannel = 'study:wire';
