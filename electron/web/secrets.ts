/**
 * SecretStore for the web host: a JSON file readable only by its owner (0600) in the data folder.
 * The browser host has no OS keychain, so secrets here are protected by file permissions only, like a CLI's
 * credentials file; the Electron host encrypts them with safeStorage instead.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import type { SecretStore } from '../core/ports';
import { privateFileMode, protectDataDir } from '../core/private-data';
import { writeFileAtomic } from './settings';

export const secretsFileName = 'secrets.json';

export function createFileSecretStore(dataDir: string): SecretStore {
  protectDataDir(dataDir);
  const file = join(dataDir, secretsFileName);
  const read = (): Record<string, string> => {
    if (!existsSync(file)) return {};
    try {
      return z.record(z.string(), z.string()).parse(JSON.parse(readFileSync(file, 'utf8')));
    } catch {
      // An unreadable secrets file only means signing in again; never crash over it.
      return {};
    }
  };
  const write = (secrets: Record<string, string>): void => {
    writeFileAtomic(file, JSON.stringify(secrets), privateFileMode);
  };
  return {
    get: (name) => read()[name] ?? null,
    set: (name, value) => write({ ...read(), [name]: value }),
    delete(name) {
      const rest = read();
      if (!(name in rest)) return;
      delete rest[name];
      write(rest);
    },
  };
}
