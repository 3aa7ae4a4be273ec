/** Handlers of the audio feature: keep a spoken answer's recording on this device, and transcribe it through the learner's provider. */
import { AppFailure, type AppErrorCode } from '../../../../shared/errors';
import type { audioContract } from '../../../../shared/ipc/features/audio';
import { asSentence } from '../../../../shared/sentence';
import type { TutorErrorCode } from '../../../../shared/ipc/features/tutor';
import { mimeByContainer, readRecording, saveRecording } from '../../audio/recordings';
import { ProviderFailure, transcribeAudio, type ProviderEndpoint } from '../../tutor/provider-client';
import type { FeatureHandlers } from '../handlers';

/** The model asked for when none is named: OpenAI's, and the name most OpenAI-compatible Whisper servers answer to. */
export const DEFAULT_TRANSCRIPTION_MODEL = 'whisper-1';

export interface AudioHandlerDeps {
  dataDir: string;
  /** The OpenAI-compatible provider configured in the tutor settings (base URL and key), or null when there is none. */
  providerEndpoint(): ProviderEndpoint | null;
  transcriptionModel?: string;
}

/** What a provider failure means to the caller (the message is the provider client's, which never holds the key). */
const appCodeByProviderCode: Record<TutorErrorCode, AppErrorCode> = {
  bad_key: 'auth_failed',
  not_signed_in: 'auth_failed',
  // The provider has no transcription model of that name: for this learner, transcription is not set up.
  unknown_model: 'not_configured',
  rate_limited: 'busy',
  network: 'network',
  timeout: 'network',
  malformed_stream: 'network',
  provider_error: 'network',
  ended_early: 'network',
};

export function createAudioHandlers({ dataDir, providerEndpoint, transcriptionModel = DEFAULT_TRANSCRIPTION_MODEL }: AudioHandlerDeps) {
  return {
    'drills:saveAudio': async ({ mimeType, durationS }, { upload, emit }) => {
      if (!upload) throw new AppFailure('invalid_input', 'drills:saveAudio needs the recording as its upload.');
      emit({ phase: 'received', bytes: upload.byteLength });
      return saveRecording(dataDir, { bytes: upload, mimeType, durationS });
    },
    'drills:transcribe': async ({ audioPath }, { emit, signal }) => {
      const provider = providerEndpoint();
      if (!provider) {
        throw new AppFailure(
          'not_configured',
          'No transcription provider is set up, so type what you said. (An OpenAI-compatible provider set in the Tutor settings also transcribes recordings.)',
        );
      }
      const recording = readRecording(dataDir, audioPath);
      emit({ phase: 'sending', bytes: recording.bytes.byteLength });
      try {
        const text = await transcribeAudio(
          { ...provider, model: transcriptionModel },
          { bytes: recording.bytes, fileName: recording.fileName, mimeType: mimeByContainer[recording.container] },
          signal,
        );
        return { text: text.trim(), model: transcriptionModel };
      } catch (err) {
        if (signal.aborted) throw new AppFailure('cancelled', 'The transcription was cancelled.');
        if (err instanceof ProviderFailure) {
          throw new AppFailure(appCodeByProviderCode[err.error.code], `Transcription failed: ${asSentence(err.error.message)} You can type what you said instead.`, {
            providerCode: err.error.code,
            httpStatus: err.error.httpStatus ?? null,
          });
        }
        throw err;
      }
    },
  } satisfies FeatureHandlers<typeof audioContract>;
}
