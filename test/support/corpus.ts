// Shared helpers for the language tests (unit and live): corpus files, a seeded PRNG, a cursor marker.

import * as fs from 'node:fs';
import * as path from 'node:path';
import { haproxyConfigsDir, repoRoot } from './paths';
import { loadKeywords } from '../../src/language/core/keywords';
import type { ConfigModel } from '../../src/shared/haproxy-config/configModel';

export const keywords = loadKeywords('2.6');

export const corpusDir = path.join(repoRoot, 'test', 'fixtures', 'corpus');

export function corpusFiles(): { name: string; text: string }[] {
  return fs
    .readdirSync(corpusDir)
    .filter((f) => f.endsWith('.cfg'))
    .sort()
    .map((name) => ({ name, text: fs.readFileSync(path.join(corpusDir, name), 'utf8') }));
}

export function corpus(name: string): string {
  return fs.readFileSync(path.join(corpusDir, name), 'utf8');
}

/** The real-world files judged by HAProxy (valid/ or invalid/), with their expectations. */
export function referenceFiles(
  kind: 'valid' | 'invalid',
): { name: string; text: string; expected: ReferenceExpectation }[] {
  const dir = path.join(haproxyConfigsDir, kind);
  if (!fs.existsSync(dir)) return [];
  return fs
    .readdirSync(dir)
    .filter((f) => !f.endsWith('.json'))
    .sort()
    .map((name) => ({
      name,
      text: fs.readFileSync(path.join(dir, name), 'utf8'),
      expected: JSON.parse(fs.readFileSync(path.join(dir, `${name}.expected.json`), 'utf8')) as ReferenceExpectation,
    }));
}

export function referencePath(kind: 'valid' | 'invalid', name: string): string {
  return path.join(haproxyConfigsDir, kind, name);
}

export interface ReferenceExpectation {
  readonly status: string;
  readonly errors: readonly { readonly line: number | null; readonly message: string; readonly reason: string }[];
  readonly warnings?: readonly { readonly line: number | null; readonly message: string }[];
  readonly truncated?: string | null;
}

/** mulberry32: deterministic pseudo-random numbers for fuzzing and property tests. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Removes the `|` cursor marker from a text and returns its position. */
export function cursor(textWithMarker: string): { text: string; line: number; character: number } {
  const at = textWithMarker.indexOf('|');
  if (at < 0) throw new Error('no | cursor marker');
  const text = textWithMarker.slice(0, at) + textWithMarker.slice(at + 1);
  const before = text.slice(0, at).split('\n');
  return { text, line: before.length - 1, character: before[before.length - 1].length };
}

/** A comparable snapshot of a model's structure. */
export function structure(m: ConfigModel): unknown {
  return {
    sections: m.sections.map((s) => [
      s.kind,
      s.name?.value,
      s.from?.value,
      s.startLine,
      s.endLine,
      s.lastDirectiveLine,
      s.index,
      s.directives.map((d) => [d.line, d.keyword, d.modifier ?? '', d.active ?? 'u']),
    ]),
    outOfSection: m.outOfSection.map((d) => d.line),
    skipped: m.skippedLines,
    conditionals: m.conditionals.map((c) => [c.line, c.keyword, c.value ?? 'u', c.reached ?? 'u']),
    blocks: m.blocks,
    problems: m.problems.map((p) => [p.code, p.line]),
  };
}

/** An executable found in PATH, or undefined. */
