/** Builds the renderer-facing request methods of `StudyApi` from the contract, over any transport (Electron IPC or WebSocket). */
import { toAppError } from '../errors';
import { methodName, type Result, type StudyApi } from './api';
import { channels, events, type ChannelName, type EventName } from './contract';

export type StudyApiMethods = Omit<StudyApi, 'on'>;

export const channelNames = Object.keys(channels) as ChannelName[];

export function isEventName(name: unknown): name is EventName {
  return typeof name === 'string' && Object.prototype.hasOwnProperty.call(events, name);
}

/**
 * One method per channel, named by `methodName`; each resolves to a Result and never rejects,
 * so a broken transport reaches the UI as an AppError like any other failure.
 */
export function createChannelMethods(invoke: (channel: ChannelName, input: unknown) => Promise<Result<unknown>>): StudyApiMethods {
  const entries = channelNames.map((channel) => [
    methodName(channel),
    (input?: unknown) =>
      invoke(channel, input ?? {}).catch((err: unknown): Result<unknown> => ({ ok: false, error: toAppError(err) })),
  ]);
  // Why the cast: the keys are computed at run time from the same `channels` object the type is derived from.
  return Object.fromEntries(entries) as StudyApiMethods;
}

/** Rejects event names outside the contract, so `on` cannot become a generic listener. */
export function assertEventName(name: unknown): asserts name is EventName {
  if (!isEventName(name)) throw new TypeError(`Unknown event ${JSON.stringify(String(name)).slice(0, 80)}.`);
}
