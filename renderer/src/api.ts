/**
 * The one place the renderer gets its StudyApi: the Electron preload's `window.studyApi`, or, in a browser, the
 * web host's WebSocket (its address and per-start token are in the page the host served).
 */
import type { StudyApi } from '../../shared/ipc/api';
import { createWireClient } from '../../shared/ipc/study-api';
import { createWebSocketStudyApi, readWebHostConfig } from '../../shared/ipc/ws-client';

/** Every call fails with a readable message: the page was opened without a host behind it (e.g. the built file on its own). */
function unreachableApi(): StudyApi {
  return createWireClient({
    send: () => ({
      code: 'internal',
      message: 'This page is not connected to Study Desk. Start the app (or the web host) and open the address it shows.',
    }),
  }).api;
}

function chooseApi(): StudyApi {
  if (window.studyApi) return window.studyApi;
  const config = readWebHostConfig(document);
  return config ? createWebSocketStudyApi(config.url, config.token) : unreachableApi();
}

export const api: StudyApi = chooseApi();

/**
 * Whether an upload may be a File: the web host's client POSTs it straight from the disk (seconds faster for a large
 * pack than bytes read into the page); the Electron preload's bridge takes the bytes.
 */
export const uploadsTakeFiles = !window.studyApi;
