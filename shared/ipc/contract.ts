/**
 * The one IPC contract: every feature's request channels, streams and events, merged here and nowhere
 * else. `mergeFeatures` refuses a name declared twice. The preload, the hosts and the WebSocket client
 * are all derived from it. To add a feature: write `features/<name>.ts` with `defineFeature` and list it below.
 */
import type { z } from 'zod';
import { mergeFeatures } from './define';
import { appContract } from './features/app';
import { audioContract } from './features/audio';
import { contentContract } from './features/content';
import { drillsContract } from './features/drills';
import { libraryContract } from './features/library';
import { practiceContract } from './features/practice';
import { progressContract } from './features/progress';
import { recoveryContract } from './features/recovery';
import { settingsContract } from './features/settings';
import { syncContract } from './features/sync';
import { todayContract } from './features/today';
import { tutorContract } from './features/tutor';

export const contract = mergeFeatures(
  appContract,
  libraryContract,
  practiceContract,
  progressContract,
  settingsContract,
  syncContract,
  contentContract,
  recoveryContract,
  tutorContract,
  todayContract,
  drillsContract,
  audioContract,
);

/** Request channels: `feature:action` → { input, output }. */
export const channels = contract.channels;
/** Streams: `feature:action` → { input, chunk, done, upload? }. */
export const streams = contract.streams;
/** Events pushed from core to every renderer (global broadcasts). */
export const events = contract.events;

export type Channels = typeof channels;
export type ChannelName = keyof Channels;
export type ChannelInput<C extends ChannelName> = z.input<Channels[C]['input']>;
export type ChannelOutput<C extends ChannelName> = z.output<Channels[C]['output']>;
export type Streams = typeof streams;
export type StreamName = keyof Streams;
export type StreamInput<S extends StreamName> = z.input<Streams[S]['input']>;
export type StreamChunk<S extends StreamName> = z.output<Streams[S]['chunk']>;
export type StreamDone<S extends StreamName> = z.output<Streams[S]['done']>;
export type EventName = keyof typeof events;
export type EventPayload<E extends EventName> = z.output<(typeof events)[E]>;

export * from './features/app';
export * from './features/audio';
export * from './features/content';
export * from './features/drills';
export * from './features/library';
export * from './features/practice';
export * from './features/progress';
export * from './features/recovery';
export * from './features/settings';
export * from './features/sync';
export * from './features/today';
export * from './features/tutor';
