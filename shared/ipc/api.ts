/** The renderer-facing API type derived from the contract: what `window.studyApi` is. */
import type { AppError } from '../errors';
import type {
  ChannelInput,
  ChannelName,
  ChannelOutput,
  EventName,
  EventPayload,
  StreamChunk,
  StreamDone,
  StreamInput,
  StreamName,
} from './contract';

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** `library:tree` → `libraryTree`, `sync:signIn` → `syncSignIn`. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never;

export interface StreamOptions<Chunk> {
  /** Called for each chunk, in order, before `done` settles. */
  onChunk?: (chunk: Chunk) => void;
  /**
   * The body, for streams that take an upload (e.g. a content pack's bytes); sent in chunks, or as one HTTP POST in the
   * web host, where a File is sent straight from the disk without passing through the page.
   */
  upload?: Uint8Array | Blob;
}

/** A running stream: `done` settles once (done value, or an AppError such as `cancelled` or `disconnected`). */
export interface StreamCall<Done> {
  done: Promise<Result<Done>>;
  /** Asks core to stop; `done` then settles with `cancelled`, or with the done value if core had already finished. */
  cancel(): void;
}

export type StudyApi = {
  [C in ChannelName as MethodName<C>]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
} & {
  [S in StreamName as MethodName<S>]: (input: StreamInput<S>, options?: StreamOptions<StreamChunk<S>>) => StreamCall<StreamDone<S>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export function methodName<C extends string>(channel: C): MethodName<C> {
  const [feature, action] = channel.split(':') as [string, string];
  return `${feature}${action.charAt(0).toUpperCase()}${action.slice(1)}` as MethodName<C>;
}
