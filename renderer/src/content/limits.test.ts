import { describe, expect, it } from 'vitest';
import { contentPackUploadLimit, contentContract } from '../../../shared/ipc/features/content';
import { packFileLimitBytes } from './limits';

describe('packFileLimitBytes', () => {
  it('equals the upload limit of content:open, so the screen refuses exactly what the host would', () => {
    expect(packFileLimitBytes).toBe(contentPackUploadLimit);
    expect(contentContract.streams['content:open'].upload.maxBytes).toBe(packFileLimitBytes);
  });
});
