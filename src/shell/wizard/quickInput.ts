// The QuickInput side of the multi-step engine (./sequence.ts): one pick or input box per step,
// titled with the wizard's title and "step/total", with Back from the second step on. Escape or
// focus leaving for good rejects with OperationCancelledError (the command funnel stays silent).
import * as vscode from 'vscode';
import { OperationCancelledError } from '../../shared/errors';
import { BACK, type StepPosition } from './sequence';

export { AGAIN, BACK, runWizard, type StepPosition, type StepResult, type WizardStep } from './sequence';

export type Item<T> = vscode.QuickPickItem & { value: T };

export interface PickOptions<S, T> {
  placeholder?: string;
  items: Item<T>[];
  /** The state change an item would make, so the total follows the highlighted item. */
  preview?: (value: T) => Partial<S>;
}

export function pickOne<S, T>(at: StepPosition<S>, o: PickOptions<S, T>): Promise<T | typeof BACK> {
  return pick(at, o, false).then((v) => (v === BACK ? BACK : v[0]!));
}

export function pickMany<S, T>(
  at: StepPosition<S>,
  o: { placeholder?: string; items: Item<T>[] },
): Promise<T[] | typeof BACK> {
  return pick<S, T>(at, o, true);
}

function position<S>(input: vscode.QuickPick<vscode.QuickPickItem> | vscode.InputBox, at: StepPosition<S>): void {
  Object.assign(input, { title: at.title, step: at.step, totalSteps: at.total, ignoreFocusOut: true });
  if (at.canGoBack) input.buttons = [vscode.QuickInputButtons.Back];
}

function pick<S, T>(at: StepPosition<S>, o: PickOptions<S, T>, many: boolean): Promise<T[] | typeof BACK> {
  return new Promise((resolve, reject) => {
    const qp = vscode.window.createQuickPick<Item<T>>();
    position(qp as vscode.QuickPick<vscode.QuickPickItem>, at);
    Object.assign(qp, { placeholder: o.placeholder, canSelectMany: many, matchOnDescription: true });
    qp.items = o.items;
    if (many) qp.selectedItems = o.items.filter((i) => i.picked);
    else {
      // One to choose: the picked item is highlighted, else the first, so Enter takes it at once.
      const picked = o.items.filter((i) => i.picked).slice(0, 1);
      qp.activeItems = picked.length ? picked : o.items.slice(0, 1);
    }
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      qp.dispose();
    };
    if (o.preview) {
      const follow = (item: Item<T> | undefined) => item && (qp.totalSteps = at.totalIf(o.preview!(item.value)));
      follow(qp.activeItems[0] ?? o.items[0]);
      qp.onDidChangeActive((active) => follow(active[0]));
    }
    qp.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
    qp.onDidAccept(() => {
      const chosen = many ? qp.selectedItems : qp.activeItems.slice(0, 1);
      if (chosen.length === 0) {
        qp.placeholder = vscode.l10n.t('Choose at least one. {0}', o.placeholder ?? '');
        return;
      }
      finish(() => resolve(chosen.map((i) => i.value)));
    });
    qp.onDidHide(() => !done && finish(() => reject(new OperationCancelledError())));
    qp.show();
  });
}

export interface InputOptions<S> {
  prompt: string;
  value: string;
  placeholder?: string;
  password?: boolean;
  /** Trim the value before validating and returning it. */
  trim?: boolean;
  /** Checked while typing (a problem blocks Enter). */
  validate(value: string): string | undefined;
  /** Shown as a warning while typing when the value is valid. */
  note?(value: string): string | undefined;
  /** Message for an empty value on Enter; without it, empty values are validated like others. */
  required?: string;
  /** The state change a valid value would make, so the total follows what is typed. */
  preview?: (value: string) => Partial<S>;
}

export function inputText<S>(at: StepPosition<S>, o: InputOptions<S>): Promise<string | typeof BACK> {
  return new Promise((resolve, reject) => {
    const box = vscode.window.createInputBox();
    position(box, at);
    Object.assign(box, { prompt: o.prompt, value: o.value, placeholder: o.placeholder, password: !!o.password });
    const norm = (v: string) => (o.trim ? v.trim() : v);
    const show = (raw: string) => {
      const v = norm(raw);
      const problem = v ? o.validate(v) : undefined;
      const note = !problem && v ? o.note?.(v) : undefined;
      box.validationMessage =
        problem ?? (note ? { message: note, severity: vscode.InputBoxValidationSeverity.Warning } : undefined);
      if (!problem && o.preview) box.totalSteps = at.totalIf(o.preview(v));
    };
    show(o.value);
    let done = false;
    const finish = (f: () => void) => {
      done = true;
      f();
      box.dispose();
    };
    box.onDidChangeValue(show);
    box.onDidTriggerButton((b) => b === vscode.QuickInputButtons.Back && finish(() => resolve(BACK)));
    box.onDidAccept(() => {
      const v = norm(box.value);
      const problem = !v && o.required ? o.required : o.validate(v);
      if (problem) {
        box.validationMessage = problem;
        return;
      }
      finish(() => resolve(v));
    });
    box.onDidHide(() => !done && finish(() => reject(new OperationCancelledError())));
    box.show();
  });
}
