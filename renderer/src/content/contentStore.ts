/**
 * The Content workspace's state: the opened file (report, diff, import), the preview (tree, active record, questions
 * fetched as they are shown), the installed packs and their actions. Every call goes to core's content feature.
 */
import { create } from 'zustand';
import type { Result, StreamCall } from '../../../shared/ipc/api';
import type {
  Answer,
  ImportSummary,
  InstalledPack as InstalledPackData,
  OpenedPack,
  PackDiff,
  PackReport,
  PreviewQuestion,
  PreviewSource,
  PreviewTree as PreviewTreeData,
  PublishDiff,
  RecordRef,
} from '../../../shared/ipc/contract';
import { packFileLimitBytes } from './limits';
import { api, uploadsTakeFiles } from '../api';
import { useLibrary } from '../library/libraryStore';
import type { Grade } from '../practice/answerControls';
import { plural } from '../shell/format';
import { request } from '../shell/request';
import { useShell } from '../shell/shellStore';
import { downloadText } from '../tutor/download';
import { packSummary, sameNameImports } from './packSummary';
import { ancestorsOf, type TreeNode } from '../components/tree/treeModel';

export type ImportMode = 'append' | 'override';

/** What a preview row stands for; a question's served form is fetched when it is shown. */
export type PreviewItem =
  | { kind: 'domain'; slug: string; published: boolean }
  | { kind: 'skill'; slug: string; published: boolean; description: string | null; unpublishableReason: string | null }
  | { kind: 'question'; questionId: string; slug: string; published: boolean }
  | { kind: 'category'; pack: { id: string; title: string; version: string; status: 'DRAFT' | 'ACTIVE' | 'ARCHIVED' } | null }
  | { kind: 'drill'; category: string; prompt: string; expectedDurationS: number; criteria: readonly string[] };

export type Preview = {
  source: PreviewSource;
  title: string;
  note: string;
  roots: ReadonlyArray<TreeNode<PreviewItem>>;
  index: ReadonlyMap<string, TreeNode<PreviewItem>>;
  expanded: ReadonlySet<string>;
  activeId: string | null;
};

export type InstalledPack = InstalledPackData & { summary: string };

type Progress = { text: string; fraction: number | null };

export type Opened = {
  draftId: string;
  fileName: string;
  packName: string;
  report: PackReport;
  diff: PackDiff | null;
  diffChangeCount: number;
  /** The report is shown; what an import would change is still being computed. */
  comparing: boolean;
};

type PublishState =
  | { phase: 'loading' }
  | { phase: 'diff'; lines: string[]; refused: boolean }
  | { phase: 'publishing'; text: string }
  | { phase: 'done'; text: string };

type ContentState = {
  mode: ImportMode;
  opening: Progress | null;
  opened: Opened | null;
  confirming: boolean;
  importing: Progress | null;
  importRefusal: string | null;
  /** What the finished import did, as a sentence. */
  imported: string | null;
  preview: Preview | null;
  /** Questions of the preview fetched so far, by id. */
  questions: ReadonlyMap<string, PreviewQuestion>;
  packs: InstalledPack[] | null;
  /** The list could not be loaded (the error is shown); the screen is usable without it. */
  packsFailed: boolean;
  canPublish: boolean;
  exported: { fileName: string; sha256: string } | null;
  publishing: PublishState | null;
  busy: boolean;

  setMode: (mode: ImportMode) => void;
  openFile: (file: File) => Promise<void>;
  cancelOpen: () => void;
  closeOpened: () => void;
  askToImport: () => void;
  confirmImport: () => Promise<void>;
  cancelImport: () => void;
  openRecord: (record: RecordRef) => Promise<void>;
  previewOpened: () => Promise<void>;
  previewPack: (pack: InstalledPack) => Promise<void>;
  setPreviewTree: (expanded: ReadonlySet<string>, activeId: string | null) => void;
  tryAnswer: (questionId: string, answer: Answer) => Promise<Grade | null>;
  loadPacks: () => Promise<void>;
  exportPack: (pack: InstalledPack | null) => Promise<void>;
  /** Whether the pack was removed (a failure is shown, and the confirmation stays for another try). */
  removePack: (pack: InstalledPack) => Promise<boolean>;
  publishDiff: (pack: InstalledPack) => Promise<void>;
  publish: (pack: InstalledPack) => Promise<void>;
  setDrillPackStatus: (packId: string, status: 'ACTIVE' | 'ARCHIVED') => Promise<void>;
};

/** The open and the import running now, each for its own Cancel: one must never stop the other. */
let runningOpen: StreamCall<unknown> | null = null;
let runningImport: StreamCall<unknown> | null = null;
/** Cancel was pressed while opening: whatever core still sends for that file is dropped (and its draft closed). */
let openCancelled = false;

/** A file's size in words: "35.2 MiB", "12 KiB" below a tenth of a MiB (it read "0.0 MiB"), "512 bytes" below a KiB. */
export function fileSize(bytes: number): string {
  if (bytes < 1024) return plural(bytes, 'byte');
  if (bytes < 0.1 * 1024 * 1024) return `${Math.round(bytes / 1024).toLocaleString()} KiB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MiB`;
}

/** The id of a record's row in the preview tree (tables share no id space with each other). */
export function previewNodeId(table: RecordRef['table'], id: string): string {
  return `${table}:${id}`;
}

function treeFromPreview(tree: PreviewTreeData): { roots: Array<TreeNode<PreviewItem>>; index: Map<string, TreeNode<PreviewItem>> } {
  const index = new Map<string, TreeNode<PreviewItem>>();
  const add = (node: TreeNode<PreviewItem>) => {
    index.set(node.id, node);
    return node;
  };
  const roots = tree.domains.map((domain) =>
    add({
      id: previewNodeId('domains', domain.id),
      label: domain.title,
      data: { kind: 'domain', slug: domain.slug, published: domain.published },
      children: domain.skills.map((skill) =>
        add({
          id: previewNodeId('skills', skill.id),
          label: skill.title,
          data: { kind: 'skill', slug: skill.slug, published: skill.published, description: skill.description, unpublishableReason: skill.unpublishableReason },
          children: skill.questions.map((q) =>
            add({
              id: previewNodeId('questions', q.id),
              label: q.prompt === '' ? q.slug : q.prompt,
              data: { kind: 'question', questionId: q.id, slug: q.slug, published: q.published },
              children: [],
            }),
          ),
        }),
      ),
    }),
  );
  const drill = tree.drill;
  if (drill) {
    const pack = drill.packId ? { id: drill.packId, title: drill.title, version: drill.version, status: drill.status } : null;
    for (const category of drill.categories) {
      roots.push(
        add({
          id: `drill-category:${category.name}`,
          label: `Drills: ${category.name}`,
          data: { kind: 'category', pack },
          children: category.questions.map((q) =>
            add({
              id: previewNodeId('drill_questions', q.id),
              label: q.prompt,
              data: { kind: 'drill', category: category.name, prompt: q.prompt, expectedDurationS: q.expectedDurationS, criteria: q.criteria },
              children: [],
            }),
          ),
        }),
      );
    }
  }
  return { roots, index };
}

function openedOf(checked: Pick<OpenedPack, 'draftId' | 'pack' | 'report'>, fileName: string, diff: PackDiff | null, comparing: boolean): Opened {
  const { draftId, pack, report } = checked;
  return { draftId, fileName, packName: pack ? `${pack.name} ${pack.version}` : 'unreadable pack header', report, diff, diffChangeCount: diffChangeCount(diff), comparing };
}

function diffChangeCount(diff: PackDiff | null): number {
  return diff ? diff.tables.reduce((n, t) => n + t.added + t.updated + t.replaced, 0) : 0;
}

/** What the finished import did, in the diff's words and by its counts (core counts them by the diff's rule). */
export function importSentence(summary: ImportSummary): string {
  const tables = Object.values(summary.counts);
  const sum = (pick: (counts: (typeof tables)[number]) => number) => tables.reduce((n, counts) => n + pick(counts), 0);
  const parts = [`${plural(sum((c) => c.inserted), 'record')} added`, `${sum((c) => c.updated).toLocaleString()} updated`];
  if (summary.mode === 'override') parts.push(`${sum((c) => c.replaced).toLocaleString()} replaced`);
  // Append mode's skipped rows are what its diff calls unchanged: it leaves them as they are.
  parts.push(`${sum((c) => c.unchanged + c.skipped).toLocaleString()} unchanged`);
  return `${summary.pack.name} ${summary.pack.version} imported: ${parts.join(', ')}.`;
}

function publishLines(diff: PublishDiff): string[] {
  const lines = diff.tables.map(
    (t) => `${t.table}: ${t.inserted.toLocaleString()} to insert, ${t.updated.toLocaleString()} to update, ${t.unchanged.toLocaleString()} unchanged, ${t.drafts.toLocaleString()} left unpublished as drafts`,
  );
  if (diff.refusal) lines.unshift(`Refused: ${diff.refusal}`);
  return lines;
}

/** Focuses the element once React has drawn it (the record the instructor asked for). */
export function focusSoon(id: string): void {
  window.setTimeout(() => document.getElementById(id)?.focus(), 0);
}

export const useContentWorkspace = create<ContentState>((set, get) => {
  /** Loads a source's tree; `keep` holds the open rows and the active one when the same source is reloaded. */
  const showPreview = async (
    source: PreviewSource,
    title: string,
    note: string,
    keep?: Pick<Preview, 'expanded' | 'activeId'>,
  ): Promise<Preview | null> => {
    const tree = await request(() => api.contentPreviewTree({ source }), 'Could not load the preview');
    if (!tree) return null;
    const { roots, index } = treeFromPreview(tree);
    const preview: Preview = { source, title, note, roots, index, expanded: keep?.expanded ?? new Set(), activeId: keep?.activeId ?? roots[0]?.id ?? null };
    set({ preview, questions: new Map() });
    return preview;
  };

  const loadQuestion = async (questionId: string) => {
    const preview = get().preview;
    if (!preview || get().questions.has(questionId)) return;
    const question = await request(() => api.contentPreviewQuestion({ source: preview.source, questionId }), 'Could not show the question');
    if (question && get().preview === preview) set({ questions: new Map(get().questions).set(questionId, question) });
  };

  const activate = (expanded: ReadonlySet<string>, activeId: string | null) => {
    const preview = get().preview;
    if (!preview) return;
    set({ preview: { ...preview, expanded, activeId } });
    const item = activeId === null ? undefined : preview.index.get(activeId)?.data;
    if (item?.kind === 'question') void loadQuestion(item.questionId);
  };

  const refreshDiff = async (mode: ImportMode) => {
    const opened = get().opened;
    if (!opened || opened.report.errors.length > 0) return;
    const diff = await request(() => api['contentDiff']({ draftId: opened.draftId, mode }), 'Could not compare the pack with your content');
    if (diff && get().opened?.draftId === opened.draftId) set({ opened: { ...opened, diff, diffChangeCount: diffChangeCount(diff) } });
  };

  /** Sends the read file to core's content:open, with its progress; Cancel stops it through `runningOpen`. */
  const streamOpen = async (file: File, upload: File | Uint8Array): Promise<Result<OpenedPack>> => {
    set({ opening: { text: `Uploading ${file.name} (${fileSize(file.size)})…`, fraction: null } });
    const call = api.contentOpen(
      { mode: get().mode, fileName: file.name.slice(0, 500) },
      {
        upload,
        onChunk: (chunk) => {
          if (openCancelled) return;
          if (chunk.phase === 'report') {
            // The report is drawn at once; the diff follows in the done value.
            set({ opened: openedOf(chunk, file.name, null, chunk.report.ok) });
            focusSoon('report-heading');
            return;
          }
          const text =
            chunk.phase === 'received'
              ? `Received ${fileSize(chunk.bytes)}; checking the pack…`
              : chunk.phase === 'validating'
                ? 'Checking the pack…'
                : chunk.phase === 'validated'
                  ? // The counts of findings are said once, by the report drawn next.
                    `Checked ${plural(chunk.questionCount, 'question')}.`
                  : 'Comparing with your content…';
          set({ opening: { text, fraction: null } });
        },
      },
    );
    runningOpen = call as StreamCall<unknown>;
    const result: Result<OpenedPack> = await call.done;
    runningOpen = null;
    return result;
  };

  return {
    mode: 'append',
    opening: null,
    opened: null,
    confirming: false,
    importing: null,
    importRefusal: null,
    imported: null,
    preview: null,
    questions: new Map(),
    packs: null,
    packsFailed: false,
    canPublish: false,
    exported: null,
    publishing: null,
    busy: false,

    setMode: (mode) => {
      set({ mode });
      void refreshDiff(mode);
    },

    openFile: async (file) => {
      // During an import the opened pack is the one being imported: another file would close its draft mid-import.
      if (get().opening || get().importing) return;
      if (file.size > packFileLimitBytes) {
        useShell.getState().showError(
          { code: 'invalid_input', message: `${file.name} is ${fileSize(file.size)}; a pack may be at most ${fileSize(packFileLimitBytes)}. Split it into smaller packs.` },
          'Could not open the pack',
        );
        return;
      }
      // Said here, as core says it of an empty file: the web host refuses an upload of no bytes with a message about
      // HTTP (Content-Length) that tells an instructor nothing.
      if (file.size === 0) {
        useShell.getState().showError(
          { code: 'invalid_input', message: `${file.name} is empty (0 bytes): a pack is one JSON object with "pack", "domains", "skills" and "questions".` },
          'Could not open the pack',
        );
        return;
      }
      const previous = get().opened;
      openCancelled = false;
      set({ opening: { text: `Reading ${file.name}…`, fraction: null }, opened: null, confirming: false, imported: null, importRefusal: null, preview: null });
      if (previous) void api.contentCloseDraft({ draftId: previous.draftId });
      const upload = uploadsTakeFiles ? file : new Uint8Array(await file.arrayBuffer());
      // Cancel pressed while the file was read (Electron reads it first): no stream starts, and the open ends below as any cancelled one.
      const result: Result<OpenedPack> = openCancelled ? { ok: false, error: { code: 'cancelled', message: 'Cancelled.' } } : await streamOpen(file, upload);
      const shown = get().opened;
      set({ opening: null });
      if (!result.ok || openCancelled) {
        // Core may have answered before the cancel reached it: the file it holds is let go, nothing is shown.
        const draftId = result.ok ? result.value.draftId : shown?.draftId;
        if (draftId) void api.contentCloseDraft({ draftId });
        set({ opened: null });
        if (openCancelled || (!result.ok && result.error.code === 'cancelled')) {
          useShell.getState().announce('Opening the pack was cancelled.');
        } else if (!result.ok) {
          useShell.getState().showError(result.error, `Could not open ${file.name}`);
        }
        // Cancelled or failed, the Cancel button (and the report, had it arrived) just left the page: focus goes back to
        // opening a file, not to the page's body.
        focusSoon('open-heading');
        return;
      }
      // The report already on screen (its chunk) stays the same object: the done value adds the diff, and the report
      // view, which announces each report it is given, says its counts once.
      const report = shown?.draftId === result.value.draftId ? shown.report : result.value.report;
      set({ opened: openedOf({ ...result.value, report }, file.name, result.value.diff, false) });
      if (!shown) focusSoon('report-heading');
    },

    cancelOpen: () => {
      if (!get().opening) return;
      // While the file is still read there is no stream yet: openFile sees the flag and starts none.
      openCancelled = true;
      runningOpen?.cancel();
    },

    closeOpened: () => {
      const opened = get().opened;
      if (opened) void api.contentCloseDraft({ draftId: opened.draftId });
      const preview = get().preview;
      set({ opened: null, confirming: false, imported: null, importRefusal: null, preview: preview?.source.kind === 'draft' ? null : preview });
      focusSoon('open-heading');
    },

    askToImport: () => set({ confirming: true, importRefusal: null }),

    confirmImport: async () => {
      const opened = get().opened;
      if (!opened || get().importing) return;
      set({ confirming: false, importing: { text: 'Starting the import…', fraction: null } });
      // "Yes, import" just left the page under the focus: Cancel import, beside the progress, takes it.
      focusSoon('import-cancel');
      const call = api.contentImportDraft(
        { draftId: opened.draftId, mode: get().mode },
        {
          onChunk: (chunk) => {
            if (chunk.phase !== 'importing') return;
            const fraction = chunk.written !== undefined && chunk.total ? chunk.written / chunk.total : null;
            const text = chunk.written !== undefined && chunk.total ? `Importing: ${chunk.written.toLocaleString()} of ${plural(chunk.total, 'record')} written…` : 'Importing…';
            set({ importing: { text, fraction } });
          },
        },
      );
      runningImport = call as StreamCall<unknown>;
      const result = await call.done;
      runningImport = null;
      set({ importing: null });
      if (!result.ok) {
        const refusal =
          result.error.code === 'cancelled' ? 'The import was cancelled: nothing was imported.' : `Import refused: ${result.error.message} Nothing was imported.`;
        set({ importRefusal: refusal });
        focusSoon('import-heading');
        return;
      }
      set({ imported: importSentence(result.value) });
      useShell.getState().announce(importSentence(result.value));
      void get().loadPacks();
      void useLibrary.getState().load();
      focusSoon('imported-heading');
    },

    cancelImport: () => {
      if (runningImport && get().importing) {
        runningImport.cancel();
        return;
      }
      set({ confirming: false, importRefusal: 'Cancelled: nothing was imported.' });
      focusSoon('import-heading');
    },

    openRecord: async (record) => {
      const opened = get().opened;
      if (!opened) return;
      let preview = get().preview;
      if (!preview || preview.source.kind !== 'draft' || preview.source.draftId !== opened.draftId) {
        preview = await showPreview({ kind: 'draft', draftId: opened.draftId }, `${opened.fileName} (not imported)`, 'The opened file, held in memory: nothing of it is imported.');
        if (!preview) return;
      }
      // The pack header (which has no id) opens at the pack's first record; any other record without an id is said to
      // be impossible to show below, rather than Enter doing nothing.
      const nodeId = record.table === 'pack' ? (preview.roots[0]?.id ?? null) : record.id === null ? null : previewNodeId(record.table, record.id);
      const ancestors = nodeId === null ? null : ancestorsOf(preview.roots, nodeId);
      if (nodeId === null || ancestors === null) {
        useShell.getState().announce(`${record.label} cannot be shown in the preview: the file does not describe it well enough.`);
        focusSoon('preview-heading');
        return;
      }
      activate(new Set([...preview.expanded, ...ancestors]), nodeId);
      focusSoon('record-heading');
    },

    previewOpened: async () => {
      const opened = get().opened;
      if (!opened) return;
      if (await showPreview({ kind: 'draft', draftId: opened.draftId }, `${opened.fileName} (not imported)`, 'The opened file, held in memory: nothing of it is imported.')) focusSoon('preview-heading');
    },

    previewPack: async (pack) => {
      if (await showPreview({ kind: 'pack', packId: pack.id }, `${pack.name} ${pack.version}`, 'An installed pack, drafts included.')) focusSoon('preview-heading');
    },

    setPreviewTree: activate,

    tryAnswer: async (questionId, answer) => {
      const preview = get().preview;
      if (!preview) return null;
      return request(() => api.contentTryAnswer({ source: preview.source, questionId, answer }), 'Could not grade the answer');
    },

    loadPacks: async () => {
      const [packs, editor] = await Promise.all([
        request(() => api.contentPacks({}), 'Could not list the installed packs'),
        api.contentEditorStatus({}),
      ]);
      set(packs ? { packs: packs.map((p) => ({ ...p, summary: packSummary(p.counts) })), packsFailed: false } : { packsFailed: true });
      set({ canPublish: editor.ok && editor.value.isContentEditor });
    },

    exportPack: async (pack) => {
      if (get().busy) return;
      set({ busy: true, exported: null });
      const call = api.contentExport({ packId: pack?.id ?? null });
      const result = await call.done;
      set({ busy: false });
      if (!result.ok) {
        useShell.getState().showError(result.error, 'Could not export');
        return;
      }
      const { fileName, text, sha256 } = result.value;
      downloadText(fileName, text, 'application/json');
      set({ exported: { fileName, sha256 } });
    },

    removePack: async (pack) => {
      // A second press while an export or removal runs does nothing (the buttons stay focusable: aria-disabled).
      if (get().busy) return false;
      set({ busy: true });
      const removed = await request(() => api.contentRemove({ packId: pack.id }), `Could not remove ${pack.name}`);
      set({ busy: false });
      if (!removed) return false;
      const preview = get().preview;
      if (preview?.source.kind === 'pack' && preview.source.packId === pack.id) set({ preview: null });
      const contentStays = sameNameImports(get().packs ?? [], pack).length > 0;
      useShell
        .getState()
        .announce(
          contentStays
            ? `${pack.name} ${pack.version} removed; its content stays with the other import of ${pack.name}.`
            : `${pack.name} ${pack.version} removed: ${packSummary(removed.removed)}.`,
        );
      await get().loadPacks();
      void useLibrary.getState().load();
      focusSoon('packs-heading');
      return true;
    },

    publishDiff: async (pack) => {
      set({ publishing: { phase: 'loading' } });
      const diff = await request(() => api.contentPublishDiff({ source: { kind: 'pack', packId: pack.id } }), 'Could not compare with the server');
      set({ publishing: diff ? { phase: 'diff', lines: publishLines(diff), refused: diff.refusal !== null } : null });
    },

    publish: async (pack) => {
      set({ publishing: { phase: 'publishing', text: 'Publishing…' } });
      const call = api.contentPublish(
        { source: { kind: 'pack', packId: pack.id } },
        { onChunk: (c) => set({ publishing: { phase: 'publishing', text: `Publishing ${c.table}: ${c.written.toLocaleString()} of ${c.total.toLocaleString()}…` } }) },
      );
      const result = await call.done;
      if (!result.ok) {
        set({ publishing: { phase: 'done', text: `Not published: ${result.error.message}` } });
        return;
      }
      const { counts } = result.value;
      set({ publishing: { phase: 'done', text: `Published ${result.value.pack.name} ${result.value.pack.version}: ${packSummary({ ...counts, drillQuestions: 0 })}.` } });
    },

    setDrillPackStatus: async (packId, status) => {
      const changed = await request(() => api.contentDrillPackStatus({ packId, status }), 'Could not change the drill pack');
      if (!changed) return;
      useShell.getState().announce(status === 'ACTIVE' ? 'Drill pack activated.' : 'Drill pack archived.');
      const preview = get().preview;
      if (preview) await showPreview(preview.source, preview.title, preview.note, preview);
      await get().loadPacks();
    },
  };
});
