/**
 * What the app's AI drill evaluator and the `evaluate` edge function agree on beyond the Chat Completions protocol.
 * No imports and no Deno globals, so Deno loads it as is and the Node side compiles it with the app.
 */

/** The function's first server-sent event names the server's model it relays to (`event: model`, `data: <model id>`). */
export const MODEL_EVENT = 'model';

/** How an evaluation made by the server's model records it: `server:<model id>`. */
export const serverModelUsed = (model: string): string => `server:${model}`;
