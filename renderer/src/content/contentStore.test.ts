/**
 * Cancelling a pack open in the Content workspace's store, with the Electron path (the file is read into the page
 * before the stream starts) and a fake api: Cancel while the file is read starts no stream; Cancel later cancels it;
 * both end the same way (progress cleared, nothing shown, the cancel announced). While an import runs, no other file
 * opens, so nothing can close the imported pack's draft or cancel the import. An empty file is refused before anything
 * is sent, and a failed open gives the focus back to "Open a pack". A finding about the pack header opens the preview,
 * and one whose record has no id says so.
 */
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { Result } from '../../../shared/ipc/api';
import type { OpenedPack } from '../../../shared/ipc/contract';
import { stubWindowTimers } from '../test-support/window-timers';

const fake = vi.hoisted(() => ({ contentOpen: vi.fn(), contentCloseDraft: vi.fn(), contentImportDraft: vi.fn(), contentPreviewTree: vi.fn() }));
vi.mock('../api', () => ({ api: fake, uploadsTakeFiles: false }));

const { useContentWorkspace } = await import('./contentStore');
const { useShell } = await import('../shell/shellStore');

/** A pack file whose read waits for `release`. */
function slowFile(): { file: File; release: () => void } {
  let release: () => void = () => {};
  const read = new Promise<void>((resolve) => {
    release = resolve;
  });
  class SlowFile extends File {
    override async arrayBuffer(): Promise<ArrayBuffer> {
      await read;
      return super.arrayBuffer();
    }
  }
  return { file: new SlowFile(['{}'], 'pack.json'), release };
}

const cancelled = 'Opening the pack was cancelled.';

beforeEach(() => {
  stubWindowTimers();
  vi.stubGlobal('document', { getElementById: () => null });
  fake.contentCloseDraft.mockResolvedValue({ ok: true, value: {} });
  // A stream that was not expected to start ends at once, so a failing case does not leave the next one waiting.
  fake.contentOpen.mockReturnValue({ done: Promise.resolve({ ok: false, error: { code: 'internal', message: 'Not expected.' } }), cancel: vi.fn() });
  useContentWorkspace.setState({ opening: null, opened: null, importing: null, importRefusal: null });
  useShell.setState({ politeMessage: '' });
});

afterEach(async () => {
  // The store focuses a control in a timer after an open ends (focusSoon): it runs while `document` is still stubbed.
  await new Promise((resolve) => setTimeout(resolve, 0));
  vi.unstubAllGlobals();
  vi.clearAllMocks();
});

describe('cancelling a pack open', () => {
  it('while the file is still read: no stream starts, the progress goes and the cancel is announced', async () => {
    const { file, release } = slowFile();
    const opening = useContentWorkspace.getState().openFile(file);
    expect(useContentWorkspace.getState().opening?.text).toBe('Reading pack.json…');
    useContentWorkspace.getState().cancelOpen();
    release();
    await opening;
    expect(fake.contentOpen).not.toHaveBeenCalled();
    expect(useContentWorkspace.getState()).toMatchObject({ opening: null, opened: null });
    await vi.waitFor(() => expect(useShell.getState().politeMessage).toBe(cancelled));
  });

  it('once the stream runs: the stream is cancelled, and the open ends the same way', async () => {
    const { file, release } = slowFile();
    let answer: (result: Result<OpenedPack>) => void = () => {};
    const cancel = vi.fn(() => answer({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } }));
    fake.contentOpen.mockImplementation(() => ({ done: new Promise((resolve) => (answer = resolve)), cancel }));
    const opening = useContentWorkspace.getState().openFile(file);
    release();
    await vi.waitFor(() => expect(fake.contentOpen).toHaveBeenCalledOnce());
    useContentWorkspace.getState().cancelOpen();
    await opening;
    expect(cancel).toHaveBeenCalledOnce();
    expect(useContentWorkspace.getState()).toMatchObject({ opening: null, opened: null });
    await vi.waitFor(() => expect(useShell.getState().politeMessage).toBe(cancelled));
  });
});

describe('opening during an import', () => {
  it('is refused: the imported draft stays open, and a Cancel meant for opening leaves the import running', async () => {
    let finishImport: (result: Result<unknown>) => void = () => {};
    const cancelImport = vi.fn();
    fake.contentImportDraft.mockReturnValue({ done: new Promise((resolve) => (finishImport = resolve)), cancel: cancelImport });
    useContentWorkspace.setState({ opened: { draftId: 'draft-being-imported' } as never });
    const importing = useContentWorkspace.getState().confirmImport();
    expect(useContentWorkspace.getState().importing).not.toBeNull();

    const { file, release } = slowFile();
    release();
    await useContentWorkspace.getState().openFile(file);
    useContentWorkspace.getState().cancelOpen();
    expect(fake.contentOpen).not.toHaveBeenCalled();
    expect(fake.contentCloseDraft).not.toHaveBeenCalled();
    expect(cancelImport).not.toHaveBeenCalled();
    expect(useContentWorkspace.getState()).toMatchObject({ opening: null, opened: { draftId: 'draft-being-imported' } });

    // The import's own Cancel still reaches it.
    useContentWorkspace.getState().cancelImport();
    expect(cancelImport).toHaveBeenCalledOnce();
    finishImport({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await importing;
    expect(useContentWorkspace.getState()).toMatchObject({ importing: null, importRefusal: 'The import was cancelled: nothing was imported.' });
    // The refusal's heading takes focus on the next timer turn, while the fake document is still there.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('confirming an import', () => {
  it('sends the focus to Cancel import beside the progress ("Yes, import" is gone), not to the page\'s body', async () => {
    const focused: string[] = [];
    vi.stubGlobal('document', { getElementById: (id: string) => ({ focus: () => focused.push(id) }) });
    let finishImport: (result: Result<unknown>) => void = () => {};
    fake.contentImportDraft.mockReturnValue({ done: new Promise((resolve) => (finishImport = resolve)), cancel: vi.fn() });
    useContentWorkspace.setState({ opened: { draftId: 'draft-1' } as never });
    const importing = useContentWorkspace.getState().confirmImport();
    await vi.waitFor(() => expect(focused).toEqual(['import-cancel']));
    finishImport({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await importing;
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('a pack that opens', () => {
  it('keeps the report from its chunk when the diff arrives, so the report view announces its counts once', async () => {
    const pack = { name: 'geometry-basics', version: '1.0.0', sha256: 'ab', byteLength: 2 };
    const fromChunk = { ok: true, summary: { errors: 0, warnings: 1 } };
    const diff = { tables: [] };
    fake.contentOpen.mockImplementation((_input: unknown, { onChunk }: { onChunk: (chunk: unknown) => void }) => {
      onChunk({ phase: 'report', draftId: 'draft-1', pack, report: fromChunk });
      // The done value carries the same report again, as a new object (it crossed the wire a second time).
      return { done: Promise.resolve({ ok: true, value: { draftId: 'draft-1', pack, report: { ...fromChunk }, diff } }), cancel: vi.fn() };
    });
    const { file, release } = slowFile();
    release();
    await useContentWorkspace.getState().openFile(file);
    const { opened } = useContentWorkspace.getState();
    expect(opened?.report).toBe(fromChunk);
    expect(opened?.diff).toBe(diff);
    expect(opened?.comparing).toBe(false);
    // The report heading takes focus on the next timer turn, while the fake document is still there.
    await new Promise((resolve) => setTimeout(resolve, 0));
  });
});

describe('a pack that does not open', () => {
  it('an empty file is refused before anything is sent, saying it is empty (the web host would refuse it about HTTP)', async () => {
    useShell.setState({ errors: [] });
    await useContentWorkspace.getState().openFile(new File([], 'empty.json'));
    expect(fake.contentOpen).not.toHaveBeenCalled();
    expect(useShell.getState().errors.map((e) => e.message)).toEqual([
      'Could not open the pack: empty.json is empty (0 bytes): a pack is one JSON object with "pack", "domains", "skills" and "questions".',
    ]);
  });

  it('a failed open sends the focus back to "Open a pack" (its Cancel, which had it, is gone)', async () => {
    const focused: string[] = [];
    vi.stubGlobal('document', { getElementById: (id: string) => ({ focus: () => focused.push(id) }) });
    fake.contentOpen.mockReturnValue({ done: Promise.resolve({ ok: false, error: { code: 'invalid_input', message: 'Refused.' } }), cancel: vi.fn() });
    const { file, release } = slowFile();
    release();
    await useContentWorkspace.getState().openFile(file);
    expect(useShell.getState().errors.at(-1)?.message).toBe('Could not open pack.json: Refused.');
    await vi.waitFor(() => expect(focused).toEqual(['open-heading']));
  });
});

describe('from a finding to its record', () => {
  const domainId = '0b0a1c2e-5d6f-4a7b-8c9d-000000000001';
  const tree = { domains: [{ id: domainId, slug: 'geometry', title: 'Geometry', published: true, skills: [] }], drill: null };

  it('a finding about the pack header opens the preview at the pack\'s first record (it has no id of its own)', async () => {
    const focused: string[] = [];
    vi.stubGlobal('document', { getElementById: (id: string) => ({ focus: () => focused.push(id) }) });
    fake.contentPreviewTree.mockResolvedValue({ ok: true, value: tree });
    useContentWorkspace.setState({ opened: { draftId: 'draft-1', fileName: 'p.json' } as never, preview: null });
    await useContentWorkspace.getState().openRecord({ table: 'pack', index: null, id: null, label: 'geometry-basics' });
    expect(useContentWorkspace.getState().preview?.activeId).toBe(`domains:${domainId}`);
    await vi.waitFor(() => expect(focused).toEqual(['record-heading']));
  });

  it('a record without an id is said to be impossible to show, not passed over in silence', async () => {
    fake.contentPreviewTree.mockResolvedValue({ ok: true, value: tree });
    useContentWorkspace.setState({ opened: { draftId: 'draft-1', fileName: 'p.json' } as never, preview: null });
    await useContentWorkspace.getState().openRecord({ table: 'questions', index: 3, id: null, label: 'questions[3]' });
    await vi.waitFor(() =>
      expect(useShell.getState().politeMessage).toBe('questions[3] cannot be shown in the preview: the file does not describe it well enough.'),
    );
  });
});

describe('the open progress in words', () => {
  it('says the size of a small file in KiB or bytes (it read "0.0 MiB")', async () => {
    const { fileSize } = await import('./contentStore');
    expect(fileSize(512)).toBe('512 bytes');
    expect(fileSize(1)).toBe('1 byte');
    expect(fileSize(12 * 1024)).toBe('12 KiB');
    expect(fileSize(Math.round(35.2 * 1024 * 1024))).toBe('35.2 MiB');
  });

  it('says how many questions were checked, and leaves the findings to the report (they were said twice)', async () => {
    const { file, release } = slowFile();
    let answer: (result: Result<OpenedPack>) => void = () => {};
    fake.contentOpen.mockImplementation((_input: unknown, options: { onChunk: (chunk: unknown) => void }) => {
      options.onChunk({ phase: 'validated', questionCount: 2, errorCount: 1, warningCount: 1 });
      return { done: new Promise((resolve) => (answer = resolve)), cancel: vi.fn() };
    });
    const opening = useContentWorkspace.getState().openFile(file);
    release();
    await vi.waitFor(() => expect(useContentWorkspace.getState().opening?.text).toBe('Checked 2 questions.'));
    answer({ ok: false, error: { code: 'cancelled', message: 'Cancelled.' } });
    await opening;
  });
});

describe('the finished import in words', () => {
  const counts = (inserted: number, updated: number, replaced: number, unchanged: number, skipped: number) => ({ inserted, updated, replaced, unchanged, skipped });
  const summary = (mode: 'append' | 'override') => ({
    packId: '0190e1a2-0000-7000-8000-000000000000',
    pack: { name: 'geometry', version: '1.1.0', sha256: 'ab', byteLength: 10 },
    mode,
    counts: { domains: counts(0, 0, 0, 1, 0), skills: counts(0, 1, 0, 1, 0), questions: counts(1, 1, 1, 3, 0), drillQuestions: counts(0, 0, 0, 0, 0) },
    keptUnpublished: { domains: 0, skills: 0 },
    warnings: [],
  });

  it('override: says added, updated, replaced and unchanged, as the diff before it did', async () => {
    const { importSentence } = await import('./contentStore');
    expect(importSentence(summary('override'))).toBe('geometry 1.1.0 imported: 1 record added, 2 updated, 1 replaced, 5 unchanged.');
  });

  it('append: the rows it left alone are the diff’s unchanged ones', async () => {
    const { importSentence } = await import('./contentStore');
    const appended = summary('append');
    appended.counts = { domains: counts(0, 0, 0, 0, 1), skills: counts(0, 0, 0, 0, 2), questions: counts(1, 0, 0, 0, 5), drillQuestions: counts(0, 0, 0, 0, 0) };
    expect(importSentence(appended)).toBe('geometry 1.1.0 imported: 1 record added, 0 updated, 8 unchanged.');
  });
});
