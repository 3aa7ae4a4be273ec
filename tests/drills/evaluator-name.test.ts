/** The drill result names its evaluator in words ("Evaluated by local-rules-1" showed the recorded id). */
import { describe, expect, it } from 'vitest';
import { LOCAL_MODEL_USED } from '../../electron/core/drills/evaluate-local';
import { evaluatorName } from '../../shared/drills/evaluator-name';

describe('evaluatorName', () => {
  it('names the local rules by their version, as the local evaluator records them', () => {
    expect(LOCAL_MODEL_USED).toBe('local-rules-1');
    expect(evaluatorName(LOCAL_MODEL_USED)).toBe('the local rules on this device (version 1)');
  });

  it("names a provider's model as a model", () => {
    expect(evaluatorName('gpt-4o-mini')).toBe('the model gpt-4o-mini');
  });
});
