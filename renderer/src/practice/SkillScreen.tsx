/** The Skill page: what the skill is, how far the learner has got, and the buttons that start a practice or test session. */
import { useEffect, useState } from 'react';
import type { Recall } from '../../../shared/ipc/contract';
import { api } from '../api';
import { findSkill, useLibrary } from '../library/libraryStore';
import { formatPercent, plural } from '../shell/format';
import { Link } from '../shell/Link';
import { request } from '../shell/request';
import { ScreenHeading } from '../shell/ScreenHeading';
import { useShell } from '../shell/shellStore';
import { usePractice } from './practiceStore';

export function SkillScreen({ skillId }: { skillId: string }) {
  const tree = useLibrary((s) => s.tree);
  const loading = useLibrary((s) => s.loading);
  const libraryFailed = useLibrary((s) => s.failed);
  const load = useLibrary((s) => s.load);
  const start = usePractice((s) => s.start);
  const found = findSkill(tree, skillId);
  const [recall, setRecall] = useState<Recall | null>(null);

  useEffect(() => {
    let current = true;
    void request(() => api.practiceRecall({ skillId }), 'Could not load how well you recall this skill').then((value) => {
      if (current && value) setRecall(value);
    });
    return () => {
      current = false;
    };
  }, [skillId]);

  useEffect(() => {
    if (!tree) void load();
  }, [tree, load]);
  useEffect(() => {
    if (tree) useShell.getState().markScreenReady();
  }, [tree]);

  // While the library loads, no heading yet: the skill's own heading takes the focus a navigation sends to it.
  if (!found && (loading || (!tree && !libraryFailed))) return <p>Loading…</p>;
  if (!found) {
    return (
      <>
        <ScreenHeading title="Skill">Skill</ScreenHeading>
        {/* A library that could not be loaded says so (the error region says why), not "Loading…" for ever. */}
        <p>{tree ? 'This skill is not in the library.' : 'This skill cannot be shown: the library could not be loaded.'}</p>
        <p>
          <Link to={{ name: 'library' }}>Back to the library</Link>
        </p>
      </>
    );
  }
  const { domain, skill } = found;
  const empty = skill.questionCount === 0;
  return (
    <>
      <p className="breadcrumb">
        <Link to={{ name: 'library' }}>Library</Link> <span aria-hidden="true">›</span> {domain.title}
      </p>
      <ScreenHeading title={skill.title}>{skill.title}</ScreenHeading>
      {skill.description ? <p>{skill.description}</p> : null}
      <dl className="facts">
        <div>
          <dt>Questions</dt>
          <dd>{skill.questionCount}</dd>
        </div>
        <div>
          <dt>Mastered</dt>
          <dd>{formatPercent(skill.progress)}</dd>
        </div>
        {recall?.recall != null ? (
          <div>
            <dt>Likely to recall now</dt>
            <dd aria-describedby="recall-help">{formatPercent(recall.recall)}</dd>
          </div>
        ) : null}
      </dl>
      {recall?.recall != null ? (
        <p className="hint" id="recall-help">
          Likely to recall now: the average chance, estimated by FSRS from your past answers, that you would answer each of the{' '}
          {plural(recall.reviewedCount, 'question')} you have answered here correctly right now; it falls as time passes and rises
          when you review. Mastered is the share of questions you have ever answered right.
        </p>
      ) : null}
      {empty ? (
        <p>This skill has no questions yet.</p>
      ) : (
        <>
          {/* Read before the choice it explains. */}
          <p className="hint">
            Practice shows whether each answer is right, with an explanation, as you go. A test ({plural(skill.questionCount, 'question')})
            shows your score at the end.
          </p>
          {/* Not disabled while the session starts: a disabled button drops the focus to the page's body, where a start
              that fails would leave the learner. The store ignores a press while busy. */}
          <div className="actions">
            <button type="button" className="primary" onClick={() => void start(skill.id, 'practice')}>
              Start practice
            </button>
            <button type="button" onClick={() => void start(skill.id, 'test')}>
              Start test
            </button>
          </div>
        </>
      )}
    </>
  );
}
