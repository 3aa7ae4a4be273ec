/** Registers one `ipcMain.handle` per contract channel: only the app's own top-level page may call, and `dispatch` does the rest. */
import type { IpcMainInvokeEvent } from 'electron';
import type { Result } from '../../shared/ipc/api';
import { dispatch, type Handlers } from '../core/ipc/handlers';
import { channelNames } from '../../shared/ipc/study-api';

/** The part of `ipcMain` used here, so tests can hand in a recorder. */
export interface IpcMainLike {
  handle(channel: string, listener: (event: IpcMainInvokeEvent, ...args: unknown[]) => Promise<unknown>): void;
  removeHandler(channel: string): void;
}

/** Returns a function that removes every handler it registered. */
export function registerIpcHandlers(ipcMain: IpcMainLike, handlers: Handlers, isAppFrameUrl: (url: string) => boolean): () => void {
  for (const channel of channelNames) {
    ipcMain.handle(channel, async (event, input): Promise<Result<unknown>> => {
      const refusal = refuseForeignSender(event, isAppFrameUrl);
      if (refusal) return refusal;
      return dispatch(handlers, channel, input);
    });
  }
  return () => {
    for (const channel of channelNames) ipcMain.removeHandler(channel);
  };
}

function refuseForeignSender(event: IpcMainInvokeEvent, isAppFrameUrl: (url: string) => boolean): Result<unknown> | null {
  const frame = event.senderFrame;
  // A sub-frame or a page that navigated elsewhere must not reach core, even through our own preload.
  if (frame && frame.parent === null && isAppFrameUrl(frame.url)) return null;
  return {
    ok: false,
    error: { code: 'forbidden', message: 'Only the Study Desk window may call the app; this request came from another page or frame.' },
  };
}
