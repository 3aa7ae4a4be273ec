/** The renderer-facing API type derived from the contract: what `window.studyApi` is. */
import type { AppError } from '../errors';
import type { ChannelInput, ChannelName, ChannelOutput, EventName, EventPayload } from './contract';

export type Result<T> = { ok: true; value: T } | { ok: false; error: AppError };

/** `library:tree` → `libraryTree`, `sync:signIn` → `syncSignIn`. */
export type MethodName<C extends string> = C extends `${infer A}:${infer B}` ? `${A}${Capitalize<B>}` : never;

export type StudyApi = {
  [C in ChannelName as MethodName<C>]: (input: ChannelInput<C>) => Promise<Result<ChannelOutput<C>>>;
} & {
  on<E extends EventName>(event: E, listener: (payload: EventPayload<E>) => void): () => void;
};

export function methodName<C extends ChannelName>(channel: C): MethodName<C> {
  const [feature, action] = channel.split(':') as [string, string];
  return `${feature}${action.charAt(0).toUpperCase()}${action.slice(1)}` as MethodName<C>;
}
