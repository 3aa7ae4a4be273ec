/** The sandboxed preload: exposes `window.studyApi` derived from the IPC contract, and nothing else. */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { Result, StudyApi } from '../../shared/ipc/api';
import { assertEventName, createChannelMethods } from '../../shared/ipc/study-api';

const studyApi = {
  ...createChannelMethods((channel, input) => ipcRenderer.invoke(channel, input) as Promise<Result<unknown>>),
  on(event, listener) {
    assertEventName(event);
    const forward = (_event: IpcRendererEvent, payload: unknown) => listener(payload as Parameters<typeof listener>[0]);
    ipcRenderer.on(event, forward);
    return () => {
      ipcRenderer.removeListener(event, forward);
    };
  },
} satisfies StudyApi;

contextBridge.exposeInMainWorld('studyApi', studyApi);
