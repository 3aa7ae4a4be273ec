/**
 * The audio side of drills: a spoken answer's recording kept on this device (in the data folder, never synced) and its
 * transcription through the learner's own OpenAI-compatible provider (`/v1/audio/transcriptions`).
 */
import { z } from 'zod';
import { defineFeature } from '../define';

/**
 * The largest recording core keeps: OpenAI's own upload limit for transcriptions, so whatever is kept can be
 * transcribed (about 50 minutes of Opus at 64 kbit/s; a drill answer is a few minutes).
 */
export const audioUploadLimit = 25 * 1024 * 1024;

/** The longest recording core accepts as a drill answer (seconds); a sanity bound, not a time limit on the learner. */
export const maxRecordingS = 2 * 3600;

/** What MediaRecorder produces in Chromium (webm), Firefox (ogg) and Safari (mp4), plus plain wav. */
export const recordingContainerSchema = z.enum(['webm', 'ogg', 'mp4', 'wav']);
export type RecordingContainer = z.infer<typeof recordingContainerSchema>;

/**
 * A recording's place, relative to the data folder: core names it (`recordings/<uuid>.<container>`), so this pattern
 * is all a caller may send back; nothing else under the data folder can be named.
 */
export const audioPathSchema = z
  .string()
  .regex(/^recordings\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}\.(webm|ogg|mp4|wav)$/, 'a recording path that drills:saveAudio returned');

export const savedAudioSchema = z.object({
  /** Relative to the data folder; pass it to drills:submit (spoken) and drills:transcribe. */
  audioPath: audioPathSchema,
  /** The measured speaking time, seconds. */
  durationS: z.number().positive().max(maxRecordingS),
});
export type SavedAudio = z.infer<typeof savedAudioSchema>;

export const transcriptSchema = z.object({
  text: z.string(),
  /** The transcription model that produced the text. */
  model: z.string(),
});
export type Transcript = z.infer<typeof transcriptSchema>;

export const audioContract = defineFeature({
  streams: {
    /**
     * Keeps a recording (the upload) in the data folder, owner-only, under a name core generates. `mimeType` is
     * MediaRecorder's (e.g. `audio/webm;codecs=opus`); the bytes must be of that container. `durationS` is the
     * speaking time measured from the recording.
     */
    'drills:saveAudio': {
      input: z.object({ mimeType: z.string().min(1).max(100), durationS: z.number().positive().max(maxRecordingS) }).strict(),
      chunk: z.object({ phase: z.literal('received'), bytes: z.number().int().nonnegative() }),
      done: savedAudioSchema,
      upload: { maxBytes: audioUploadLimit },
    },
    /**
     * Transcribes a kept recording with the provider configured in the tutor settings. Fails with `not_configured`
     * when there is none (the learner then types the transcript), `auth_failed` when the provider refuses the key,
     * `network` when it cannot be reached, `not_found` when the recording is gone; the key is never in a message.
     */
    'drills:transcribe': {
      input: z.object({ audioPath: audioPathSchema }).strict(),
      chunk: z.object({ phase: z.literal('sending'), bytes: z.number().int().nonnegative() }),
      done: transcriptSchema,
    },
  },
});
