/** The packaging config, read and validated by electron-builder's own loader: every Electron fuse is set, and set safely. */
import { resolve } from 'node:path';
import { getConfig, validateConfiguration } from 'app-builder-lib/out/util/config/config';
import { DebugLogger } from 'builder-util';
import { describe, expect, it } from 'vitest';

const repoRoot = resolve(import.meta.dirname, '../..');

/** The fuses and the value a packaged Study Desk must have (electron-builder's `electronFuses`). */
const requiredFuses = {
  runAsNode: false,
  enableNodeOptionsEnvironmentVariable: false,
  enableNodeCliInspectArguments: false,
  enableEmbeddedAsarIntegrityValidation: true,
  onlyLoadAppFromAsar: true,
  enableCookieEncryption: true,
  grantFileProtocolExtraPrivileges: false,
};

describe('electron-builder.yml', () => {
  it('is a valid electron-builder configuration (a misspelt fuse name fails here)', async () => {
    const config = await getConfig(repoRoot, null, null);
    await expect(validateConfiguration(config, new DebugLogger(false))).resolves.toBeUndefined();
  });

  it.each(Object.entries(requiredFuses))('sets the %s fuse to %s', async (fuse, value) => {
    const config = await getConfig(repoRoot, null, null);
    expect(config.electronFuses, 'electronFuses is missing').toBeTruthy();
    expect((config.electronFuses as Record<string, unknown>)[fuse]).toBe(value);
  });

  it('ships the app icon, also as a resource for the window', async () => {
    const config = await getConfig(repoRoot, null, null);
    expect(config.icon).toBe('resources/icon.png');
    expect(config.extraResources).toContainEqual({ from: 'resources/icon.png', to: 'icon.png' });
  });
});
