/** The sandboxed preload: exposes `window.studyApi` derived from the IPC contract over wire frames, and nothing else. */
import { contextBridge, ipcRenderer } from 'electron';
import { createWireClient } from '../../shared/ipc/study-api';
import { electronWireChannel } from '../../shared/ipc/wire';

const client = createWireClient({
  send(frame) {
    ipcRenderer.send(electronWireChannel, frame);
    return null;
  },
});
ipcRenderer.on(electronWireChannel, (_event, frame: unknown) => client.receive(frame));

contextBridge.exposeInMainWorld('studyApi', client.api);
