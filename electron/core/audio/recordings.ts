/**
 * Spoken answers' recordings, kept on this device in `<data folder>/recordings/`, owner-only. Core names each file by a
 * generated id (never by anything the renderer sent), checks that the bytes are the container the MIME type says, and
 * writes through a temporary file so a full disk leaves neither a partial recording nor the temporary file behind.
 */
import { randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppFailure } from '../../../shared/errors';
import { audioPathSchema, audioUploadLimit, type RecordingContainer, type SavedAudio } from '../../../shared/ipc/features/audio';
import { privateDirMode, privateFileMode } from '../private-data';

export const RECORDINGS_DIR = 'recordings';

/** MediaRecorder's MIME types (parameters such as `;codecs=opus` aside) and the container each one is. */
const containerByMime: Record<string, RecordingContainer> = {
  'audio/webm': 'webm',
  'audio/ogg': 'ogg',
  'audio/mp4': 'mp4',
  'audio/wav': 'wav',
  'audio/wave': 'wav',
  'audio/x-wav': 'wav',
};

/** The MIME type a container is sent to a transcription provider as. */
export const mimeByContainer: Record<RecordingContainer, string> = { webm: 'audio/webm', ogg: 'audio/ogg', mp4: 'audio/mp4', wav: 'audio/wav' };

/** The container a MIME type names, or an `invalid_input` failure naming the types accepted. */
export function containerOf(mimeType: string): RecordingContainer {
  const essence = mimeType.split(';')[0]!.trim().toLowerCase();
  const container = containerByMime[essence];
  if (!container) {
    throw new AppFailure('invalid_input', `A recording of type "${essence.slice(0, 60)}" cannot be kept; the types accepted are ${Object.keys(containerByMime).join(', ')}.`);
  }
  return container;
}

/** Whether the bytes start as the container does (EBML for webm, OggS, an ISO-BMFF `ftyp` box, RIFF…WAVE). */
export function looksLike(container: RecordingContainer, bytes: Uint8Array): boolean {
  const ascii = (from: number, to: number) => Buffer.from(bytes.subarray(from, to)).toString('latin1');
  switch (container) {
    case 'webm':
      return bytes[0] === 0x1a && bytes[1] === 0x45 && bytes[2] === 0xdf && bytes[3] === 0xa3;
    case 'ogg':
      return ascii(0, 4) === 'OggS';
    case 'mp4':
      return ascii(4, 8) === 'ftyp';
    case 'wav':
      return ascii(0, 4) === 'RIFF' && ascii(8, 12) === 'WAVE';
  }
}

/** Keeps one recording; returns its path relative to the data folder. */
export function saveRecording(dataDir: string, input: { bytes: Uint8Array; mimeType: string; durationS: number }): SavedAudio {
  const container = containerOf(input.mimeType);
  if (input.bytes.byteLength === 0) throw new AppFailure('invalid_input', 'The recording is empty: nothing was recorded. Record again, or type your answer.');
  if (input.bytes.byteLength > audioUploadLimit) {
    throw new AppFailure('invalid_input', `The recording is ${input.bytes.byteLength} bytes; at most ${audioUploadLimit} bytes are kept. Record a shorter answer.`);
  }
  if (!looksLike(container, input.bytes)) {
    throw new AppFailure('invalid_input', `The recording's bytes are not ${container} audio, as its type "${input.mimeType.slice(0, 60)}" says.`);
  }
  const dir = join(dataDir, RECORDINGS_DIR);
  mkdirSync(dir, { recursive: true, mode: privateDirMode });
  const name = `${randomUUID()}.${container}`;
  const file = join(dir, name);
  const temporary = `${file}.tmp`;
  try {
    // `wx`: a generated name that somehow exists is never overwritten.
    writeFileSync(temporary, input.bytes, { mode: privateFileMode, flag: 'wx' });
    renameSync(temporary, file);
  } catch (err) {
    rmSync(temporary, { force: true });
    throw err;
  }
  return { audioPath: `${RECORDINGS_DIR}/${name}`, durationS: input.durationS };
}

/** A kept recording's bytes and container; `audioPath` must be one saveRecording returned (checked again here). */
export function readRecording(dataDir: string, audioPath: string): { bytes: Uint8Array<ArrayBuffer>; container: RecordingContainer; fileName: string } {
  const checked = audioPathSchema.safeParse(audioPath);
  if (!checked.success) throw new AppFailure('invalid_input', `"${audioPath.slice(0, 80)}" is not a recording path that drills:saveAudio returned.`);
  const fileName = checked.data.slice(RECORDINGS_DIR.length + 1);
  const container = fileName.slice(fileName.lastIndexOf('.') + 1) as RecordingContainer;
  try {
    // A copy in its own ArrayBuffer: what a Blob (the multipart file) accepts.
    return { bytes: new Uint8Array(readFileSync(join(dataDir, RECORDINGS_DIR, fileName))), container, fileName };
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') {
      throw new AppFailure('not_found', `The recording ${checked.data} is no longer in the data folder; record again, or type your answer.`);
    }
    throw err;
  }
}
