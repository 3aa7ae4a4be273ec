/**
 * The draft preview: the pack's tree (domains → skills → questions, or a drill pack's categories → questions) and,
 * beside it, the active record: badges, the reason a skill cannot be published, a question drawn by the practice
 * runner's components, a drill question's prompt, duration and criteria.
 */
import type { ReactNode } from 'react';
import { plural } from '../shell/format';
import { MissingField } from '../practice/answerControls';
import { useContentWorkspace, type PreviewItem } from './contentStore';
import { PreviewQuestion } from './PreviewQuestion';
import { PreviewTree } from './PreviewTree';
import type { TreeNode } from '../components/tree/treeModel';

const rowHeight = 44;
/** Fields the question components themselves mark as missing where they would be. */
const markedInPlace = new Set(['explanation', 'payload.prompt']);

function Badge({ published }: { published: boolean }) {
  return <span className={published ? 'badge' : 'badge badge-draft'}>{published ? 'Published' : 'Draft'}</span>;
}

function meta(node: TreeNode<PreviewItem>): ReactNode {
  const item = node.data;
  switch (item.kind) {
    case 'domain':
      return (
        <>
          {plural(node.children.length, 'skill')} <Badge published={item.published} />
        </>
      );
    case 'skill':
      return (
        <>
          {plural(node.children.length, 'question')} <Badge published={item.published} />
        </>
      );
    case 'question':
      return <Badge published={item.published} />;
    case 'category':
      return plural(node.children.length, 'question');
    case 'drill':
      return `${item.expectedDurationS} s`;
  }
}

export function PreviewPanel() {
  const preview = useContentWorkspace((s) => s.preview);
  const setPreviewTree = useContentWorkspace((s) => s.setPreviewTree);
  if (!preview) return null;
  const active = preview.activeId === null ? null : preview.index.get(preview.activeId) ?? null;
  return (
    <section aria-labelledby="preview-heading">
      <h2 id="preview-heading" tabIndex={-1}>
        Preview: {preview.title}
      </h2>
      <p className="hint">{preview.note}</p>
      {preview.roots.length === 0 ? (
        <p>This pack has no records to preview.</p>
      ) : (
        <div className="preview-layout">
          <div>
            <h3 id="preview-tree-label">Records</h3>
            <p id="preview-tree-help" className="hint">
              Arrow keys move, Right opens, type letters to jump; the chosen record shows beside the tree.
            </p>
            <PreviewTree
              roots={preview.roots}
              labelledBy="preview-tree-label"
              describedBy="preview-tree-help"
              expanded={preview.expanded}
              activeId={preview.activeId}
              onChange={setPreviewTree}
              renderMeta={meta}
              rowHeight={rowHeight}
            />
          </div>
          <div className="content-panel" aria-live="off">
            {active ? <RecordDetails node={active} /> : <p>Choose a record in the tree.</p>}
          </div>
        </div>
      )}
    </section>
  );
}

function RecordDetails({ node }: { node: TreeNode<PreviewItem> }) {
  const item = node.data;
  const tryAnswer = useContentWorkspace((s) => s.tryAnswer);
  const questions = useContentWorkspace((s) => s.questions);
  const setDrillPackStatus = useContentWorkspace((s) => s.setDrillPackStatus);
  switch (item.kind) {
    case 'domain':
      return (
        <section aria-labelledby="record-heading">
          <h3 id="record-heading" tabIndex={-1}>
            Domain: {node.label} <Badge published={item.published} />
          </h3>
          <p>Slug: {item.slug}</p>
          <p>{plural(node.children.length, 'skill')}.</p>
        </section>
      );
    case 'skill':
      return (
        <section aria-labelledby="record-heading">
          <h3 id="record-heading" tabIndex={-1}>
            Skill: {node.label} <Badge published={item.published} />
          </h3>
          <p>Slug: {item.slug}</p>
          <p>{item.description ? item.description : <MissingField name="description" />}</p>
          {item.unpublishableReason ? (
            <p>
              <strong>Cannot be published:</strong> {item.unpublishableReason}
            </p>
          ) : null}
          <p>{plural(node.children.length, 'question')}.</p>
        </section>
      );
    case 'question': {
      const question = questions.get(item.questionId);
      return (
        <section aria-labelledby="record-heading">
          <h3 id="record-heading" tabIndex={-1}>
            Question {item.slug} <Badge published={item.published} />
          </h3>
          {!question ? (
            <p>Loading the question…</p>
          ) : question.served && question.solution ? (
            <PreviewQuestion
              key={node.id}
              question={question.served}
              solution={question.solution}
              explanation={question.explanation}
              missing={question.missing.filter((field) => !markedInPlace.has(field))}
              tryAnswer={(answer) => tryAnswer(item.questionId, answer)}
            />
          ) : (
            <>
              <p>A learner could not be shown this question: its payload does not fit its type.</p>
              <p>
                {question.missing.map((field) => (
                  <MissingField key={field} name={field} />
                ))}
              </p>
            </>
          )}
        </section>
      );
    }
    case 'category':
      return (
        <section aria-labelledby="record-heading">
          <h3 id="record-heading" tabIndex={-1}>Drill category: {node.label}</h3>
          <p>{plural(node.children.length, 'question')}.</p>
          {item.pack ? (
            <>
              <p>
                Drill pack {item.pack.title}, version {item.pack.version}: {item.pack.status === 'ACTIVE' ? 'active' : item.pack.status === 'ARCHIVED' ? 'archived' : 'draft'}.
              </p>
              {item.pack.status === 'ACTIVE' ? (
                <button type="button" onClick={() => void setDrillPackStatus(item.pack!.id, 'ARCHIVED')}>
                  Archive this drill pack
                </button>
              ) : (
                <button type="button" onClick={() => void setDrillPackStatus(item.pack!.id, 'ACTIVE')}>
                  Activate this drill pack
                </button>
              )}
            </>
          ) : null}
        </section>
      );
    case 'drill':
      return (
        <section aria-labelledby="record-heading">
          <h3 id="record-heading" tabIndex={-1}>Drill question ({item.category})</h3>
          <p className="prompt">{item.prompt === '' ? <MissingField name="prompt" /> : item.prompt}</p>
          <p>Expected answer length: {item.expectedDurationS} seconds.</p>
          <h4>What a good answer does</h4>
          {item.criteria.length > 0 ? (
            <ul>
              {item.criteria.map((c) => (
                <li key={c}>{c}</li>
              ))}
            </ul>
          ) : (
            <p>
              <MissingField name="evaluation criteria" />
            </p>
          )}
        </section>
      );
  }
}
