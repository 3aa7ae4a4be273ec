/**
 * The building blocks of the IPC contract: request channels, streams and events, grouped per feature,
 * and the one merge that refuses a name declared twice (at compile time and at load).
 */
import type { z } from 'zod';

/** A request: one input, one answer. */
export interface ChannelDef {
  input: z.ZodType;
  output: z.ZodType;
}

/**
 * A stream: one input (and optionally an uploaded body), any number of chunks, then one done value.
 * The caller can cancel it by its stream id; chunks go only to the subscriber that started it.
 */
export interface StreamDef {
  input: z.ZodType;
  chunk: z.ZodType;
  done: z.ZodType;
  /** Present when the stream takes an uploaded body (sent in upload frames before it runs); the byte limit. */
  upload?: { maxBytes: number };
}

/** One feature's slice of the contract. Requests and streams share one name space; events have their own. */
export interface FeatureContract {
  channels: Record<string, ChannelDef>;
  streams: Record<string, StreamDef>;
  events: Record<string, z.ZodType>;
}

/** A feature part it does not declare: no names (so the merge adds none). */
type NoNames = Record<never, never>;
type Part<T> = T extends object ? T : NoNames;

export function defineFeature<const F extends Partial<FeatureContract>>(
  feature: F,
): { channels: Part<F['channels']>; streams: Part<F['streams']>; events: Part<F['events']> } {
  // Why the cast: the conditional types above only replace a missing part with no names, which is what the object holds.
  return { channels: feature.channels ?? {}, streams: feature.streams ?? {}, events: feature.events ?? {} } as never;
}

type Callables<F extends FeatureContract> = keyof F['channels'] | keyof F['streams'];

/** Names that appear in more than one feature (requests and streams together; events apart), or never. */
export type DuplicateNames<T extends readonly FeatureContract[], SeenCalls = never, SeenEvents = never> = T extends readonly [
  infer Head extends FeatureContract,
  ...infer Rest extends readonly FeatureContract[],
]
  ?
      | (Callables<Head> & SeenCalls)
      | (keyof Head['events'] & SeenEvents)
      | (keyof Head['channels'] & keyof Head['streams'])
      | DuplicateNames<Rest, SeenCalls | Callables<Head>, SeenEvents | keyof Head['events']>
  : never;

type UnionToIntersection<U> = (U extends unknown ? (arg: U) => void : never) extends (arg: infer I) => void ? I : never;
type Merged<T extends readonly FeatureContract[], K extends keyof FeatureContract> = UnionToIntersection<T[number][K]>;

/**
 * Merges feature contracts into one table. A name declared twice fails the typecheck (the argument
 * becomes a `{ duplicate }` object no feature can match) and, for anything the types miss, throws at load.
 */
export function mergeFeatures<const T extends readonly FeatureContract[]>(
  ...features: [DuplicateNames<T>] extends [never] ? T : { duplicate: DuplicateNames<T> }[]
): { channels: Merged<T, 'channels'>; streams: Merged<T, 'streams'>; events: Merged<T, 'events'> } {
  const list = features as unknown as readonly FeatureContract[];
  const calls: Record<string, unknown> = {};
  const channels: Record<string, ChannelDef> = {};
  const streams: Record<string, StreamDef> = {};
  const events: Record<string, z.ZodType> = {};
  for (const feature of list) {
    for (const [name, def] of Object.entries(feature.channels)) {
      if (name in calls) throw new Error(`IPC contract: "${name}" is declared twice.`);
      calls[name] = def;
      channels[name] = def;
    }
    for (const [name, def] of Object.entries(feature.streams)) {
      if (name in calls) throw new Error(`IPC contract: "${name}" is declared twice.`);
      calls[name] = def;
      streams[name] = def;
    }
    for (const [name, def] of Object.entries(feature.events)) {
      if (name in events) throw new Error(`IPC contract: event "${name}" is declared twice.`);
      events[name] = def;
    }
  }
  // Why the cast: built key by key from the same features the type is the intersection of.
  return { channels, streams, events } as never;
}
