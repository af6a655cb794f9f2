// Expands VS Code snippet bodies the way the editor inserts them when the user accepts every default,
// so tests can check the text a user actually gets (haproxy -c, schema validation) rather than the JSON.
// Grammar: https://code.visualstudio.com/docs/editing/userdefinedsnippets#_grammar
// Checked against VS Code 1.100.3 (code-server): for every snippet of this repository, at column 0 and at
// an indented cursor, with tabs and with spaces, editor.insertSnippet gave exactly this module's output.
import * as fs from 'node:fs';

export interface SnippetDefinition {
  readonly prefix: string | readonly string[];
  readonly body: string | readonly string[];
  readonly description: string;
  readonly scope?: string;
  readonly isFileTemplate?: boolean;
}

export type SnippetNode =
  | { readonly kind: 'text'; readonly value: string }
  | {
      readonly kind: 'tabstop';
      readonly index: number;
      readonly children: readonly SnippetNode[];
      readonly choices?: readonly string[];
    }
  | { readonly kind: 'variable'; readonly name: string; readonly children?: readonly SnippetNode[] };

export interface ExpandOptions {
  /** Text typed into tab stop N (replaces its default everywhere the tab stop appears). */
  readonly placeholders?: Readonly<Record<number, string>>;
  /** Index of the option picked at choice tab stop N (default: the first option, as VS Code preselects it). */
  readonly choices?: Readonly<Record<number, number>>;
  /** Values of snippet variables; known variables without a value expand to their default or ''. */
  readonly variables?: Readonly<Record<string, string>>;
  /**
   * The editor's indentation, applied as VS Code does on insertion: lines after the first get the
   * cursor line's leading whitespace (`base`), then every line's leading whitespace is rewritten with
   * the editor's tab settings (a body's `\t` becomes spaces when insertSpaces is on). Without it the
   * text comes back as written.
   */
  readonly indentation?: { readonly base?: string; readonly insertSpaces: boolean; readonly tabSize: number };
}

export class SnippetSyntaxError extends Error {}

/** Variables VS Code resolves; any other `$NAME` is inserted as its own name. */
export const KNOWN_VARIABLES: ReadonlySet<string> = new Set([
  'TM_SELECTED_TEXT',
  'TM_CURRENT_LINE',
  'TM_CURRENT_WORD',
  'TM_LINE_INDEX',
  'TM_LINE_NUMBER',
  'TM_FILENAME',
  'TM_FILENAME_BASE',
  'TM_DIRECTORY',
  'TM_FILEPATH',
  'RELATIVE_FILEPATH',
  'CLIPBOARD',
  'WORKSPACE_NAME',
  'WORKSPACE_FOLDER',
  'CURSOR_INDEX',
  'CURSOR_NUMBER',
  'CURRENT_YEAR',
  'CURRENT_YEAR_SHORT',
  'CURRENT_MONTH',
  'CURRENT_MONTH_NAME',
  'CURRENT_MONTH_NAME_SHORT',
  'CURRENT_DATE',
  'CURRENT_DAY_NAME',
  'CURRENT_DAY_NAME_SHORT',
  'CURRENT_HOUR',
  'CURRENT_MINUTE',
  'CURRENT_SECOND',
  'CURRENT_SECONDS_UNIX',
  'CURRENT_TIMEZONE_OFFSET',
  'RANDOM',
  'RANDOM_HEX',
  'UUID',
  'BLOCK_COMMENT_START',
  'BLOCK_COMMENT_END',
  'LINE_COMMENT',
]);

/** A body given as an array of lines is joined with '\n', as VS Code does. */
export function bodyText(body: string | readonly string[]): string {
  return typeof body === 'string' ? body : body.join('\n');
}

/**
 * Parses a snippet body. Like VS Code, a construct that is not well formed (`${1:x` without its brace,
 * `$` before a non-name) falls back to literal text. Transforms are recognised and refused: nothing here
 * could render them faithfully, and a snippet that needs them should fail its tests loudly.
 */
export function parseSnippet(text: string): SnippetNode[] {
  const parser = new Parser(text);
  const nodes = parser.parseUntil(false);
  return nodes;
}

class Parser {
  private pos = 0;
  constructor(private readonly src: string) {}

  /** Parses nodes until the end, or (inside a placeholder) until an unescaped `}` that is left unconsumed. */
  parseUntil(insidePlaceholder: boolean): SnippetNode[] {
    const out: SnippetNode[] = [];
    let text = '';
    const flush = (): void => {
      if (text) out.push({ kind: 'text', value: text });
      text = '';
    };
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\') {
        const next = this.src[this.pos + 1];
        if (next === '$' || next === '}' || next === '\\') {
          text += next;
          this.pos += 2;
        } else {
          text += ch;
          this.pos += 1;
        }
        continue;
      }
      if (ch === '}' && insidePlaceholder) break;
      if (ch === '$') {
        const start = this.pos;
        const node = this.parseDollar();
        if (node) {
          flush();
          out.push(node);
        } else {
          this.pos = start + 1;
          text += '$';
        }
        continue;
      }
      text += ch;
      this.pos += 1;
    }
    flush();
    return out;
  }

  /** At a `$`: returns the node and moves past it, or returns undefined (caller treats `$` as text). */
  private parseDollar(): SnippetNode | undefined {
    const start = this.pos;
    this.pos += 1;
    const int = this.match(/[0-9]+/y);
    if (int !== undefined) return { kind: 'tabstop', index: Number(int), children: [] };
    const name = this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y);
    if (name !== undefined) return { kind: 'variable', name };
    if (this.src[this.pos] !== '{') return undefined;
    this.pos += 1;
    const node = this.parseBraced();
    if (!node) this.pos = start;
    return node;
  }

  private parseBraced(): SnippetNode | undefined {
    const int = this.match(/[0-9]+/y);
    const name = int === undefined ? this.match(/[_a-zA-Z][_a-zA-Z0-9]*/y) : undefined;
    if (int === undefined && name === undefined) return undefined;
    const next = this.src[this.pos];
    if (next === '}') {
      this.pos += 1;
      return int !== undefined
        ? { kind: 'tabstop', index: Number(int), children: [] }
        : { kind: 'variable', name: name as string };
    }
    if (next === ':') {
      this.pos += 1;
      const children = this.parseUntil(true);
      if (this.src[this.pos] !== '}') return undefined;
      this.pos += 1;
      return int !== undefined
        ? { kind: 'tabstop', index: Number(int), children }
        : { kind: 'variable', name: name as string, children };
    }
    if (next === '|' && int !== undefined) return this.parseChoice(Number(int));
    if (next === '/') {
      if (this.isTransform()) {
        throw new SnippetSyntaxError(
          `transform on ${int ?? name} at offset ${this.pos}: transforms are not supported by this expander`,
        );
      }
      return undefined;
    }
    return undefined;
  }

  private parseChoice(index: number): SnippetNode | undefined {
    this.pos += 1;
    const choices: string[] = [];
    let current = '';
    while (this.pos < this.src.length) {
      const ch = this.src[this.pos];
      if (ch === '\\' && this.pos + 1 < this.src.length && ',|\\$}'.includes(this.src[this.pos + 1])) {
        current += this.src[this.pos + 1];
        this.pos += 2;
        continue;
      }
      if (ch === ',') {
        choices.push(current);
        current = '';
        this.pos += 1;
        continue;
      }
      if (ch === '|') {
        if (this.src[this.pos + 1] !== '}') return undefined;
        choices.push(current);
        this.pos += 2;
        return { kind: 'tabstop', index, children: [], choices };
      }
      current += ch;
      this.pos += 1;
    }
    return undefined;
  }

  /** `/regex/format/options}` from the current `/`, with `\/` escapes, without consuming it. */
  private isTransform(): boolean {
    let slashes = 1;
    let depth = 0; // `${1:/upcase}` inside the format holds a slash of its own
    for (let i = this.pos + 1; i < this.src.length; i++) {
      const ch = this.src[i];
      if (ch === '\\') {
        i++;
      } else if (slashes === 2 && ch === '$' && this.src[i + 1] === '{') {
        depth++;
        i++;
      } else if (depth > 0 && ch === '}') {
        depth--;
      } else if (ch === '/' && depth === 0 && ++slashes === 3) {
        return /^[a-z]*\}/.test(this.src.slice(i + 1));
      }
    }
    return false;
  }

  private match(re: RegExp): string | undefined {
    re.lastIndex = this.pos;
    const m = re.exec(this.src);
    if (!m) return undefined;
    this.pos += m[0].length;
    return m[0];
  }
}

/** Every choice tab stop of a body with its options, in the order they first appear. */
export function choicesOf(body: string | readonly string[]): Map<number, readonly string[]> {
  const found = new Map<number, readonly string[]>();
  walk(parseSnippet(bodyText(body)), (node) => {
    if (node.kind === 'tabstop' && node.choices && !found.has(node.index)) found.set(node.index, node.choices);
  });
  return found;
}

/**
 * The expansion with every default, plus one variant per other option of each choice (one choice changed at
 * a time): enough to check that each option a user can pick yields valid text.
 */
export function choiceVariants(body: string | readonly string[]): { label: string; options: ExpandOptions }[] {
  const out: { label: string; options: ExpandOptions }[] = [{ label: 'defaults', options: {} }];
  for (const [index, options] of choicesOf(body)) {
    options.forEach((option, i) => {
      if (i > 0) out.push({ label: `$${index}=${option}`, options: { choices: { [index]: i } } });
    });
  }
  return out;
}

/** Indexes of all tab stops (placeholders, choices, bare `$N`), sorted; 0 is the final cursor position. */
export function tabstopsOf(body: string | readonly string[]): number[] {
  const found = new Set<number>();
  walk(parseSnippet(bodyText(body)), (node) => {
    if (node.kind === 'tabstop') found.add(node.index);
  });
  return [...found].sort((a, b) => a - b);
}

function walk(nodes: readonly SnippetNode[], visit: (node: SnippetNode) => void): void {
  for (const node of nodes) {
    visit(node);
    if (node.kind !== 'text' && node.children) walk(node.children, visit);
  }
}

/** The text inserted when the user tabs through the snippet accepting defaults (or the given values). */
export function expandSnippet(body: string | readonly string[], options: ExpandOptions = {}): string {
  const nodes = parseSnippet(bodyText(body));
  // As in VS Code, the first occurrence of a tab stop that carries a value defines it for all its mirrors.
  const definitions = new Map<number, SnippetNode>();
  walk(nodes, (node) => {
    if (node.kind === 'tabstop' && !definitions.has(node.index) && (node.children.length > 0 || node.choices)) {
      definitions.set(node.index, node);
    }
  });
  for (const [index, pick] of Object.entries(options.choices ?? {})) {
    const def = definitions.get(Number(index));
    if (def?.kind !== 'tabstop' || !def.choices) throw new Error(`tab stop ${index} is not a choice`);
    if (!Number.isInteger(pick) || pick < 0 || pick >= def.choices.length) {
      throw new Error(`tab stop ${index} has ${def.choices.length} choices, not ${pick + 1}`);
    }
  }

  const render = (list: readonly SnippetNode[], stack: readonly number[]): string =>
    list.map((node) => renderNode(node, stack)).join('');
  const renderNode = (node: SnippetNode, stack: readonly number[]): string => {
    switch (node.kind) {
      case 'text':
        return node.value;
      case 'variable': {
        const given = options.variables?.[node.name];
        if (given !== undefined) return given;
        if (node.children) return render(node.children, stack);
        return KNOWN_VARIABLES.has(node.name) ? '' : node.name;
      }
      case 'tabstop': {
        const typed = options.placeholders?.[node.index];
        if (typed !== undefined) return typed;
        const def = definitions.get(node.index);
        if (!def || def.kind !== 'tabstop') return '';
        if (def.choices) return def.choices[options.choices?.[node.index] ?? 0];
        // A placeholder nested in itself (`${1:a$1}`) would recurse forever; VS Code ignores the inner one.
        if (stack.includes(node.index)) return '';
        return render(def.children, [...stack, node.index]);
      }
    }
  };
  const text = render(nodes, []);
  return options.indentation ? reindent(text, options.indentation) : text;
}

/** VS Code's normalizeIndentation: leading whitespace measured in columns, rewritten as tabs or spaces. */
function reindent(
  text: string,
  { base = '', insertSpaces, tabSize }: NonNullable<ExpandOptions['indentation']>,
): string {
  return text
    .split('\n')
    .map((line, i) => {
      const full = i === 0 ? line : base + line;
      const lead = /^[\t ]*/.exec(full)?.[0] ?? '';
      let columns = 0;
      for (const ch of lead) columns = ch === '\t' ? (Math.floor(columns / tabSize) + 1) * tabSize : columns + 1;
      const indent = insertSpaces
        ? ' '.repeat(columns)
        : '\t'.repeat(Math.floor(columns / tabSize)) + ' '.repeat(columns % tabSize);
      return indent + full.slice(lead.length);
    })
    .join('\n');
}

/** Reads a snippet file and checks the shape VS Code needs: prefix, body and description on each entry. */
export function loadSnippetFile(file: string): Record<string, SnippetDefinition> {
  const raw: unknown = JSON.parse(fs.readFileSync(file, 'utf8'));
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) throw new Error(`${file}: not a JSON object`);
  const out: Record<string, SnippetDefinition> = {};
  for (const [name, value] of Object.entries(raw as Record<string, unknown>)) {
    const v = value as Partial<Record<keyof SnippetDefinition, unknown>>;
    const isStrings = (x: unknown): boolean =>
      Array.isArray(x) && x.length > 0 && x.every((s) => typeof s === 'string' && s.length > 0);
    const problems: string[] = [];
    if (!(typeof v.prefix === 'string' && v.prefix.trim()) && !isStrings(v.prefix)) problems.push('prefix');
    if (
      !(typeof v.body === 'string' && v.body) &&
      !(Array.isArray(v.body) && v.body.length > 0 && v.body.every((s) => typeof s === 'string'))
    ) {
      problems.push('body');
    }
    if (!(typeof v.description === 'string' && v.description.trim())) problems.push('description');
    if (problems.length) throw new Error(`${file}: snippet "${name}" lacks a valid ${problems.join(', ')}`);
    out[name] = value as SnippetDefinition;
  }
  return out;
}

/** All prefixes of a snippet as a list. */
export function prefixesOf(snippet: SnippetDefinition): readonly string[] {
  return typeof snippet.prefix === 'string' ? [snippet.prefix] : snippet.prefix;
}
