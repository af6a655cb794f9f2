// Static evaluation of `.if` / `.elif` expressions (HAProxy 2.6 cfgcond.c grammar). The result is
// three-valued: what depends on the environment or the build (defined(), feature()) stays unknown,
// so callers treat such blocks as possibly active instead of guessing.

export type Tristate = true | false | undefined;

export interface ConditionResult {
  readonly value: Tristate;
  /** HAProxy's complaint when the expression does not parse, with the offset in the expression. */
  readonly error?: { readonly message: string; readonly offset: number };
}

/** Predicates HAProxy 2.6 knows, with their arity. */
export const CONDITION_PREDICATES: Readonly<Record<string, { readonly args: number; readonly summary: string }>> = {
  defined: { args: 1, summary: 'true if the environment variable is defined' },
  feature: { args: 1, summary: 'true if HAProxy was built with the feature (see `haproxy -vv`)' },
  streq: { args: 2, summary: 'true if both strings are equal' },
  strneq: { args: 2, summary: 'true if the strings differ' },
  version_atleast: { args: 1, summary: 'true if the running HAProxy version is at least this one' },
  version_before: { args: 1, summary: 'true if the running HAProxy version is older than this one' },
  openssl_version_atleast: { args: 1, summary: 'true if the OpenSSL version is at least this one' },
  openssl_version_before: { args: 1, summary: 'true if the OpenSSL version is older than this one' },
  ssllib_name_startswith: { args: 1, summary: 'true if the SSL library name starts with this string' },
};

export interface ConditionContext {
  /** Target HAProxy version, "2.6" or "2.6.12"; a bare major.minor leaves patch-level comparisons unknown. */
  readonly haproxyVersion?: string;
  /** True when the expression text came through environment expansion (values unknown statically). */
  readonly hasEnv?: boolean;
}

class CondSyntaxError extends Error {
  constructor(
    message: string,
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Evaluates the text after `.if` / `.elif` (the line's words joined by single spaces). */
export function evaluateCondition(text: string, ctx: ConditionContext = {}): ConditionResult {
  const p = new CondParser(text, ctx);
  try {
    p.skipSpaces();
    if (p.atEnd()) return { value: false }; // an empty condition is false for HAProxy
    const value = p.parseOr();
    p.skipSpaces();
    if (!p.atEnd()) throw new CondSyntaxError(`unparsable conditional expression '${text.slice(p.pos)}'`, p.pos);
    return { value };
  } catch (err) {
    if (err instanceof CondSyntaxError)
      return { value: undefined, error: { message: err.message, offset: err.offset } };
    return { value: undefined, error: { message: String(err), offset: 0 } };
  }
}

class CondParser {
  pos = 0;
  constructor(
    private readonly text: string,
    private readonly ctx: ConditionContext,
  ) {}

  atEnd(): boolean {
    return this.pos >= this.text.length;
  }

  skipSpaces(): void {
    while (this.pos < this.text.length && /\s/.test(this.text[this.pos])) this.pos++;
  }

  parseOr(): Tristate {
    let v = this.parseAnd();
    for (;;) {
      this.skipSpaces();
      if (!this.text.startsWith('||', this.pos)) return v;
      this.pos += 2;
      const r = this.parseAnd();
      v = v === true || r === true ? true : v === false && r === false ? false : undefined;
    }
  }

  parseAnd(): Tristate {
    let v = this.parseTerm();
    for (;;) {
      this.skipSpaces();
      if (!this.text.startsWith('&&', this.pos)) return v;
      this.pos += 2;
      const r = this.parseTerm();
      v = v === false || r === false ? false : v === true && r === true ? true : undefined;
    }
  }

  parseTerm(): Tristate {
    this.skipSpaces();
    const start = this.pos;
    const c = this.text[this.pos];
    if (c === '!') {
      this.pos++;
      const v = this.parseTerm();
      return v === undefined ? undefined : !v;
    }
    if (c === '(') {
      this.pos++;
      const v = this.parseOr();
      this.skipSpaces();
      if (this.text[this.pos] !== ')') throw new CondSyntaxError("expected ')' to close the sub-expression", this.pos);
      this.pos++;
      return v;
    }
    const num = /^[-+]?(0[xX][0-9a-fA-F]+|[0-9]+)/.exec(this.text.slice(this.pos));
    if (num) {
      this.pos += num[0].length;
      return parseInt(num[0], num[0].toLowerCase().includes('0x') ? 16 : 10) !== 0;
    }
    const ident = /^[a-z_][a-z0-9_]*/.exec(this.text.slice(this.pos));
    if (!ident || !(ident[0] in CONDITION_PREDICATES)) {
      throw new CondSyntaxError(`unparsable conditional expression '${this.text.slice(start)}'`, start);
    }
    const name = ident[0];
    this.pos += name.length;
    if (this.text[this.pos] !== '(')
      throw new CondSyntaxError(`missing opening parenthesis after predicate '${name}'`, this.pos);
    this.pos++;
    const args = this.parseArgs(name);
    const expected = CONDITION_PREDICATES[name].args;
    if (args.length < expected) throw new CondSyntaxError(`predicate '${name}' expects ${expected} argument(s)`, start);
    return this.evalPredicate(name, args);
  }

  private parseArgs(name: string): string[] {
    const args: string[] = [];
    let cur = '';
    let quote = '';
    for (;;) {
      if (this.pos >= this.text.length) {
        throw new CondSyntaxError(`expected ')' in argument ${args.length + 1} of predicate '${name}'`, this.pos);
      }
      const ch = this.text[this.pos++];
      if (quote) {
        if (ch === quote) quote = '';
        else cur += ch;
      } else if (ch === '"' || ch === "'") {
        quote = ch;
      } else if (ch === '\\' && this.pos < this.text.length) {
        cur += this.text[this.pos++];
      } else if (ch === ',') {
        args.push(cur);
        cur = '';
      } else if (ch === ')') {
        if (cur !== '' || args.length > 0) args.push(cur);
        return args;
      } else {
        cur += ch;
      }
    }
  }

  private evalPredicate(name: string, args: string[]): Tristate {
    switch (name) {
      case 'streq':
        return this.ctx.hasEnv ? undefined : args[0] === args[1];
      case 'strneq':
        return this.ctx.hasEnv ? undefined : args[0] !== args[1];
      case 'version_atleast': {
        const c = compareVersions(this.ctx.haproxyVersion, args[0]);
        return c === undefined ? undefined : c >= 0;
      }
      case 'version_before': {
        const c = compareVersions(this.ctx.haproxyVersion, args[0]);
        return c === undefined ? undefined : c < 0;
      }
      default:
        return undefined;
    }
  }
}

/**
 * Compares the target version with a version in a condition. Undefined when the target is unknown or
 * too coarse: target "2.6" against "2.6.13" cannot be decided, against "2.7" or "2.5.4" it can.
 */
export function compareVersions(target: string | undefined, other: string): number | undefined {
  if (!target) return undefined;
  const a = numericParts(target);
  const b = numericParts(other);
  if (a.length === 0 || b.length === 0) return undefined;
  const n = Math.max(a.length, b.length);
  for (let i = 0; i < n; i++) {
    // Where the target stops being specific, "2.6" is at least "2.6.0" but unknown against "2.6.13".
    if (i >= a.length) return b.slice(i).every((part) => part === 0) ? 0 : undefined;
    const x = a[i];
    const y = i < b.length ? b[i] : 0;
    if (x !== y) return x < y ? -1 : 1;
  }
  return 0;
}

function numericParts(v: string): number[] {
  const m = /^\d+(\.\d+)*/.exec(v.trim());
  return m ? m[0].split('.').map((s) => parseInt(s, 10)) : [];
}
