/**
 * Drill pack status: DRAFT, ACTIVE or ARCHIVED, with at most one ACTIVE pack (migration 0009's partial unique index).
 * This module is the one writer of content_packs.status; the instructor workspace and start-up go through it.
 */
import { AppFailure } from '../../../shared/errors';
import type { Sqlite } from '../db/open';

export type DrillPackStatus = 'DRAFT' | 'ACTIVE' | 'ARCHIVED';

export interface ActiveDrillPack {
  id: string;
  /** The content pack's name and version (the file that was imported). */
  name: string;
  packVersion: string;
  /** The drill pack's own semantic version: what a session records as content_pack_version. */
  version: string;
  title: string;
  description: string;
  categories: string[];
  /** The whole drill metadata as imported (e.g. a pack's rubric), for callers that validate more of it. */
  metadata: Record<string, unknown>;
  activatedUtcMs: number | null;
}

interface PackRow {
  id: string;
  name: string;
  version: string;
  drill_metadata: string | null;
  status: DrillPackStatus;
  activated_utc_ms: number | null;
}

/** The active drill pack, or null when none is active (no drill pack imported, or the active one archived). */
export function activeDrillPack(db: Sqlite): ActiveDrillPack | null {
  const row = db
    .prepare(
      `SELECT id, name, version, drill_metadata, status, activated_utc_ms FROM content_packs WHERE status = 'ACTIVE'`,
    )
    .get() as PackRow | undefined;
  if (row === undefined || row.drill_metadata === null) return null;
  const metadata = JSON.parse(row.drill_metadata) as Record<string, unknown>;
  return {
    id: row.id,
    name: row.name,
    packVersion: row.version,
    version: String(metadata.version ?? row.version),
    title: String(metadata.title ?? row.name),
    description: typeof metadata.description === 'string' ? metadata.description : '',
    categories: Array.isArray(metadata.categories) ? metadata.categories.map(String) : [],
    metadata,
    activatedUtcMs: row.activated_utc_ms,
  };
}

/**
 * Activates or archives a drill pack. Activating archives the previously active pack in the same transaction, so
 * there is never a moment with two active packs or, when one is replaced, none.
 */
export function setDrillPackStatus(
  db: Sqlite,
  packId: string,
  status: Exclude<DrillPackStatus, 'DRAFT'>,
  nowMs: number = Date.now(),
): void {
  const change = db.transaction(() => {
    const pack = db.prepare('SELECT id, name, drill_metadata, status FROM content_packs WHERE id = ?').get(packId) as
      | Pick<PackRow, 'id' | 'name' | 'drill_metadata' | 'status'>
      | undefined;
    if (pack === undefined) {
      throw new AppFailure('not_found', `No content pack has the id "${packId}": it cannot be made ${status}.`, { packId });
    }
    if (pack.drill_metadata === null) {
      throw new AppFailure(
        'invalid_input',
        `The content pack "${pack.name}" (${packId}) has no drill pack: only a pack with drill questions can be made ${status}.`,
        { packId },
      );
    }
    if (pack.status === status) return;
    if (status === 'ACTIVE') {
      db.prepare(`UPDATE content_packs SET status = 'ARCHIVED' WHERE status = 'ACTIVE'`).run();
      db.prepare(`UPDATE content_packs SET status = 'ACTIVE', activated_utc_ms = ? WHERE id = ?`).run(nowMs, packId);
    } else {
      db.prepare(`UPDATE content_packs SET status = 'ARCHIVED' WHERE id = ?`).run(packId);
    }
  });
  // IMMEDIATE: take the write lock before reading, so two activations cannot interleave.
  change.immediate();
}

/**
 * First start (and any start before an instructor has chosen): when no pack is active and none was ever archived, the
 * newest imported drill pack — the embedded sample's on a new device — becomes active, so drills work offline at once.
 * An instructor who archived the active pack on purpose keeps that choice.
 */
export function activateDefaultDrillPack(db: Sqlite, nowMs: number = Date.now()): void {
  const candidate = db
    .prepare(
      `SELECT id FROM content_packs WHERE drill_metadata IS NOT NULL AND status = 'DRAFT'
         AND NOT EXISTS (SELECT 1 FROM content_packs WHERE status IN ('ACTIVE', 'ARCHIVED'))
       ORDER BY imported_utc_ms DESC, id DESC LIMIT 1`,
    )
    .pluck()
    .get() as string | undefined;
  if (candidate !== undefined) setDrillPackStatus(db, candidate, 'ACTIVE', nowMs);
}
