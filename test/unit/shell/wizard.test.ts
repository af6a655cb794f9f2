// The multi-step engine's sequencing, with prompts that answer from a script (no editor).
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AGAIN,
  BACK,
  runWizard,
  type StepPosition,
  type StepResult,
  type WizardStep,
} from '../../../src/shell/wizard/sequence';

interface S {
  kind?: 'a' | 'b';
  name?: string;
  extra?: string;
  count: number;
}

type Seen = { step: string; at: string; back: boolean; title: string };

/** Steps "kind", "name", "extra" (only for kind b); each prompt runs the next scripted action. */
function steps(script: ((s: S, at: StepPosition<S>) => StepResult)[], seen: Seen[]): WizardStep<S>[] {
  const step = (name: string, shouldPrompt: (s: S) => boolean): WizardStep<S> => ({
    shouldPrompt,
    prompt: async (s, at) => {
      seen.push({ step: name, at: `${at.step}/${at.total}`, back: at.canGoBack, title: at.title });
      const next = script.shift();
      assert.ok(next, `no scripted answer for ${name}`);
      return next(s, at);
    },
  });
  return [
    step('kind', () => true),
    step('name', (s) => s.name === undefined || s.count >= 0),
    step('extra', (s) => s.kind !== 'a'),
  ];
}

const title = (s: S) => (s.name ? `Create ${s.name}` : 'Create thing');

describe('wizard engine', () => {
  it('numbers the steps that ask and keeps the total when the path does not change', async () => {
    const seen: Seen[] = [];
    const state = await runWizard(
      steps([(s) => void (s.kind = 'b'), (s) => void (s.name = 'web'), (s) => void (s.extra = 'x')], seen),
      { count: 0 },
      { title },
    );
    assert.deepEqual(
      seen.map((x) => x.at),
      ['1/3', '2/3', '3/3'],
    );
    assert.deepEqual(
      seen.map((x) => x.back),
      [false, true, true],
    );
    assert.deepEqual(
      seen.map((x) => x.title),
      ['Create thing', 'Create thing', 'Create web'],
      'the title names what is created once known',
    );
    assert.equal(state.extra, 'x');
  });

  it('counts a skipped step out, and totalIf follows an answer before it is accepted', async () => {
    const seen: Seen[] = [];
    const totals: number[] = [];
    await runWizard(
      steps(
        [
          (s, at) => {
            totals.push(at.totalIf({ kind: 'a' }), at.totalIf({ kind: 'b' }));
            s.kind = 'a';
          },
          (s) => void (s.name = 'db'),
        ],
        seen,
      ),
      { count: 0 },
      { title },
    );
    assert.deepEqual(totals, [2, 3]);
    assert.deepEqual(
      seen.map((x) => x.at),
      ['1/3', '2/2'],
      'once "a" is accepted, the extra step no longer counts',
    );
  });

  it('Back returns to the last step that asked, keeping answers; AGAIN asks the same step again', async () => {
    const seen: Seen[] = [];
    const state = await runWizard(
      steps(
        [
          (s) => void (s.kind = 'b'),
          () => BACK,
          (s) => void (s.kind = 'a'),
          () => AGAIN,
          (s) => void (s.name = 'again'),
        ],
        seen,
      ),
      { count: 0 },
      { title },
    );
    assert.deepEqual(
      seen.map((x) => `${x.step} ${x.at}`),
      ['kind 1/3', 'name 2/3', 'kind 1/3', 'name 2/2', 'name 2/2'],
    );
    assert.deepEqual(state, { kind: 'a', name: 'again', count: 0 });
  });

  it('Back on the first step stays there; configure runs each time a step is reached and may answer it', async () => {
    const seen: Seen[] = [];
    let configured = 0;
    const list = steps([() => BACK, (s) => void (s.kind = 'a')], seen);
    list[1] = {
      ...list[1]!,
      configure: (s) => void (configured++, (s.name = 'given')),
      shouldPrompt: (s) => s.name === undefined,
    };
    const state = await runWizard(list, { count: 0 }, { title });
    assert.deepEqual(
      seen.map((x) => `${x.step} ${x.at}`),
      ['kind 1/3', 'kind 1/3'],
    );
    assert.equal(configured, 1);
    assert.equal(state.name, 'given');
  });

  it('an error of a prompt or of configure ends the run', async () => {
    await assert.rejects(
      runWizard(
        [{ shouldPrompt: () => true, prompt: () => Promise.reject(new Error('escape')) }],
        { count: 0 },
        { title },
      ),
      /escape/,
    );
    await assert.rejects(
      runWizard(
        [
          {
            configure: () => {
              throw new Error('bad argument');
            },
            shouldPrompt: () => false,
            prompt: async () => undefined,
          },
        ],
        { count: 0 },
        { title },
      ),
      /bad argument/,
    );
  });
});
