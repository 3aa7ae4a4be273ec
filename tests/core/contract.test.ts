/** The merged contract: one feature per module, a name declared twice refused at compile time and at load. */
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { MAX_PACK_BYTES } from '../../electron/core/content/validate';
import { channels, contract, events, streams } from '../../shared/ipc/contract';
import { defineFeature, mergeFeatures } from '../../shared/ipc/define';
import { contentPackUploadLimit } from '../../shared/ipc/features/content';

const io = { input: z.object({}), output: z.object({}) };

describe('the contract merge', () => {
  it('refuses a request name declared by two features, at compile time and at load', () => {
    const a = defineFeature({ channels: { 'x:one': io } });
    const b = defineFeature({ channels: { 'x:one': io } });
    // @ts-expect-error -- the duplicate must fail the typecheck
    expect(() => mergeFeatures(a, b)).toThrow(/"x:one" is declared twice/);
  });

  it('refuses a stream that reuses a request name, and an event declared twice', () => {
    const request = defineFeature({ channels: { 'x:go': io } });
    const stream = defineFeature({ streams: { 'x:go': { input: z.object({}), chunk: z.number(), done: z.null() } } });
    // @ts-expect-error -- requests and streams share one name space
    expect(() => mergeFeatures(request, stream)).toThrow(/declared twice/);
    const e1 = defineFeature({ events: { 'x:changed': z.null() } });
    const e2 = defineFeature({ events: { 'x:changed': z.null() } });
    // @ts-expect-error -- events have their own name space, still unique
    expect(() => mergeFeatures(e1, e2)).toThrow(/event "x:changed"/);
  });

  it('lets an event share a request name (sync:status is both)', () => {
    expect(Object.keys(channels)).toContain('sync:status');
    expect(Object.keys(events)).toContain('sync:status');
  });

  it('merges every feature: requests, the content import, tutor and drill streams, and the events', () => {
    expect(Object.keys(contract.channels).length).toBeGreaterThanOrEqual(18);
    expect(Object.keys(streams)).toEqual(expect.arrayContaining(['content:import', 'tutor:send', 'tutor:retry', 'drills:submit', 'drills:retry']));
    for (const name of [...Object.keys(channels), ...Object.keys(streams)]) expect(name).toMatch(/^[a-z]+:[a-zA-Z]+$/);
  });

  it('accepts pack uploads up to exactly the size core validates', () => {
    expect(contentPackUploadLimit).toBe(MAX_PACK_BYTES);
  });
});
