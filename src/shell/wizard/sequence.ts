// The sequencing of a multi-step input, without the editor: which step asks next, its number and the
// total, Back to the last step that asked, and staying on a step. Steps are small objects that read
// and write one state (as in vscode-containers' scaffolding wizard): `configure` answers a step
// without asking (arguments, defaults), `shouldPrompt` says whether it asks, `prompt` asks.

/** What a prompt returns besides its answer (written to the state): go back, or ask this step again. */
export const BACK = Symbol('back');
export const AGAIN = Symbol('again');
export type StepResult = void | typeof BACK | typeof AGAIN;

/** Where a prompt stands, for its title bar: "Create VIP for default/httpd (4/6)". */
export interface StepPosition<S> {
  readonly title: string;
  readonly step: number;
  /** Steps that ask on the path the state describes (asked so far, this one, and those ahead). */
  readonly total: number;
  readonly canGoBack: boolean;
  /**
   * The total if the state had `patch` applied (an answer the user highlights but has not accepted
   * yet), so the count follows the path the user is on instead of jumping after the answer.
   */
  totalIf(patch: Partial<S>): number;
}

export interface WizardStep<S> {
  /** Runs every time the step is reached, before `shouldPrompt`: fills answers given in advance, may throw. */
  configure?(state: S): void | Promise<void>;
  /** Pure and synchronous: also asked of the steps ahead, to count them. */
  shouldPrompt(state: S): boolean;
  prompt(state: S, at: StepPosition<S>): Promise<StepResult>;
}

export interface WizardOptions<S> {
  /** The title of every step; it may name what the answers so far describe. */
  title(state: S): string;
}

/** Runs the steps in order; resolves with the state once the last one is done. */
export async function runWizard<S extends object>(
  steps: readonly WizardStep<S>[],
  state: S,
  options: WizardOptions<S>,
): Promise<S> {
  // Indexes of the steps that asked, in order: their count numbers the next one, Back pops one.
  const asked: number[] = [];
  const totalFrom = (i: number, s: S): number =>
    asked.length + steps.slice(i).filter((st) => st.shouldPrompt(s)).length;
  for (let i = 0; i < steps.length;) {
    const step = steps[i]!;
    await step.configure?.(state);
    if (!step.shouldPrompt(state)) {
      i++;
      continue;
    }
    const at: StepPosition<S> = {
      title: options.title(state),
      step: asked.length + 1,
      total: totalFrom(i, state),
      canGoBack: asked.length > 0,
      totalIf: (patch) => totalFrom(i, { ...state, ...patch }),
    };
    const result = await step.prompt(state, at);
    if (result === AGAIN) continue;
    if (result === BACK) {
      const previous = asked.pop();
      if (previous !== undefined) i = previous;
      continue;
    }
    asked.push(i);
    i++;
  }
  return state;
}
