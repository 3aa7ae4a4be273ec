/** The handler table type every host serves, and the one dispatch that guards it: parse input, call core, answer a Result. */
import type { z } from 'zod';
import { toAppError, zodToAppError } from '../../../shared/errors';
import type { Result } from '../../../shared/ipc/api';
import { channels, type ChannelName, type Channels } from '../../../shared/ipc/contract';

/** Core's implementation of one channel: receives parsed input, returns the output shape. */
export type Handlers = {
  [C in ChannelName]: (input: z.output<Channels[C]['input']>) => Promise<z.input<Channels[C]['output']>> | z.input<Channels[C]['output']>;
};

export function isChannelName(name: unknown): name is ChannelName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(channels, name);
}

/**
 * Validates `rawInput` for `channel`, runs the handler and turns any failure into an AppError.
 * Never throws: whatever a caller sends, it gets a Result back.
 */
export async function dispatch(handlers: Handlers, channel: unknown, rawInput: unknown): Promise<Result<unknown>> {
  if (!isChannelName(channel)) {
    return { ok: false, error: { code: 'invalid_input', message: `Unknown channel ${JSON.stringify(String(channel)).slice(0, 80)}.` } };
  }
  const parsed = channels[channel].input.safeParse(rawInput ?? {});
  if (!parsed.success) return { ok: false, error: zodToAppError(parsed.error, `input for ${channel}`) };
  try {
    const handler = handlers[channel] as (input: unknown) => Promise<unknown> | unknown;
    return { ok: true, value: await handler(parsed.data) };
  } catch (err) {
    return { ok: false, error: toAppError(err) };
  }
}
