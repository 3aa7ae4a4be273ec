/** The handler table types every host serves, and the one dispatch that guards it: parse input, call core, answer a Result. */
import type { z } from 'zod';
import { toAppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import { channels, streams, type contract, type ChannelName, type StreamName } from '../../../shared/ipc/contract';
import type { ChannelDef, FeatureContract, StreamDef } from '../../../shared/ipc/define';
import { inputRefusal } from './input-refusal';

/** Core's implementation of one request channel: receives parsed input, returns the output shape. */
export type RequestHandler<D extends ChannelDef> = (input: z.output<D['input']>) => Promise<z.input<D['output']>> | z.input<D['output']>;

export interface StreamContext<D extends StreamDef> {
  /** The uploaded body, for streams that declare `upload`; otherwise null. */
  upload: Buffer | null;
  /** Sends one chunk to the subscriber that started the stream (dropped once it is gone). */
  emit(chunk: z.input<D['chunk']>): void;
  /** Aborted when the caller cancels. A disconnect does not abort: core finishes and keeps what it produced. */
  signal: AbortSignal;
}

/** Core's implementation of one stream: emits chunks, resolves with the done value. */
export type StreamHandler<D extends StreamDef> = (input: z.output<D['input']>, context: StreamContext<D>) => Promise<z.input<D['done']>>;

/** One feature's handler map: `satisfies FeatureHandlers<typeof xContract>` checks it against its slice of the contract. */
export type FeatureHandlers<F extends FeatureContract> = { [C in keyof F['channels']]: RequestHandler<F['channels'][C]> } & {
  [S in keyof F['streams']]: StreamHandler<F['streams'][S]>;
};

export type Handlers = FeatureHandlers<typeof contract>;

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

export function isStreamName(name: unknown): name is StreamName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(streams, name);
}

/**
 * Validates `rawInput` for `channel`, runs the handler and turns any failure into an AppError.
 * Never throws: whatever a caller sends, it gets a Result back.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'invalid_input', message: `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.` } };
  }
  const input = rawInput ?? {};
  const parsed = channels[channel].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: inputRefusal(channel, parsed.error.issues, input) };
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}

/** The stream counterpart of `dispatch`: validates the input, runs the stream, resolves with its done value or an AppError. */
export async function dispatchStream(
  handlers: Handlers,
  stream: StreamName,
  rawInput: unknown,
  context: StreamContext<StreamDef>,
): Promise<Result<unknown>> {
  const input = rawInput ?? {};
  const parsed = streams[stream].input.safeParse(input);
  if (!parsed.success) return { ok: false, error: inputRefusal(stream, parsed.error.issues, input) };
  try {
    const handler = handlers[stream] as (input: unknown, context: StreamContext<StreamDef>) => Promise<unknown>;
    return { ok: true, value: await handler(parsed.data, context) };
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}
