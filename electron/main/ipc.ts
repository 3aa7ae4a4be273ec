/**
 * Routes the renderer's wire frames (one IPC channel, both ways) to core: one wire connection per
 * webContents, so stream chunks reach only the window that asked. Only the app's own top-level page
 * may call; everything else (input validation included) is core's `dispatch`.
 */
import type { IpcMainEvent, WebContents } from 'electron';
import type { AppError } from '../../shared/errors';
import { electronWireChannel, type ServerFrame } from '../../shared/ipc/wire';
import type { WireConnection } from '../core/ipc/wire-server';

/** The part of `ipcMain` used here, so tests can hand in a recorder. */
export interface IpcMainLike {
  on(channel: string, listener: (event: IpcMainEvent, frame: unknown) => void): void;
  removeAllListeners(channel: string): void;
}

/** Where frames go: the core process (or core in this process). */
export interface WireRouter {
  connect(send: (frame: ServerFrame) => void): WireConnection;
}

type Sender = Pick<WebContents, 'id' | 'send' | 'isDestroyed' | 'once'>;

/** Returns a function that stops routing and closes every window's connection. */
export function routeWireFrames(ipcMain: IpcMainLike, router: WireRouter, isAppFrameUrl: (url: string) => boolean): () => void {
  const connections = new Map<number, WireConnection>();
  const connectionFor = (sender: Sender): WireConnection => {
    const existing = connections.get(sender.id);
    if (existing) return existing;
    const connection = router.connect((frame) => {
      if (!sender.isDestroyed()) sender.send(electronWireChannel, frame);
    });
    connections.set(sender.id, connection);
    // A closed window ends its streams: core stops sending but finishes and stores what they produce.
    sender.once('destroyed', () => {
      connections.delete(sender.id);
      connection.close();
    });
    return connection;
  };
  ipcMain.on(electronWireChannel, (event, frame) => {
    const sender = event.sender as Sender;
    const refusal = refuseForeignSender(event, isAppFrameUrl);
    if (refusal) {
      sender.send(electronWireChannel, refusalFrame(frame, refusal));
      return;
    }
    connectionFor(sender).receive(frame);
  });
  return () => {
    ipcMain.removeAllListeners(electronWireChannel);
    for (const connection of connections.values()) connection.close();
    connections.clear();
  };
}

function refuseForeignSender(event: Pick<IpcMainEvent, 'senderFrame'>, isAppFrameUrl: (url: string) => boolean): AppError | null {
  const frame = event.senderFrame;
  // A sub-frame or a page that navigated elsewhere must not reach core, even through our own preload.
  if (frame && frame.parent === null && isAppFrameUrl(frame.url)) return null;
  return { code: 'forbidden', message: 'Only the Study Desk window may call the app; this request came from another page or frame.' };
}

/** The refusal on the same id, in the shape the caller waits for (an answer, or a stream's end). */
function refusalFrame(frame: unknown, error: AppError): ServerFrame {
  const record = typeof frame === 'object' && frame !== null ? (frame as { id?: unknown; kind?: unknown }) : {};
  const id = typeof record.id === 'number' || (typeof record.id === 'string' && record.id.length <= 64) ? record.id : null;
  return record.kind !== undefined && id !== null ? { kind: 'error', id, error } : { id, result: { ok: false, error } };
}
