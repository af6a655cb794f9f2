// Folding ranges: sections (header to last directive), `.if` blocks and each of their branches,
// and runs of two or more comment lines.

import type { ConfigModel } from '../../../shared/haproxy-config/configModel';

export interface FoldingRange {
  readonly start: number;
  readonly end: number;
  readonly kind?: 'comment' | 'region';
}

export function foldingRanges(model: ConfigModel): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const s of model.sections) {
    if (s.lastDirectiveLine > s.startLine) out.push({ start: s.startLine, end: s.lastDirectiveLine });
  }
  for (const b of model.blocks) {
    const end = b.endLine >= 0 ? b.endLine : model.lines.length - 1;
    const marks = [b.ifLine, ...b.branchLines, end];
    if (end > b.ifLine) out.push({ start: b.ifLine, end, kind: 'region' });
    // Each branch folds up to the line before the next branch.
    for (let i = 0; i < marks.length - 1; i++) {
      if (marks[i + 1] - 1 > marks[i] && (i > 0 || b.branchLines.length > 0))
        out.push({ start: marks[i], end: marks[i + 1] - 1, kind: 'region' });
    }
  }
  let runStart = -1;
  const tokens = model.tokens;
  for (let line = 0; line <= tokens.length; line++) {
    const isComment = line < tokens.length && tokens[line].words.length === 0 && tokens[line].commentStart >= 0;
    if (isComment && runStart < 0) runStart = line;
    if (!isComment && runStart >= 0) {
      if (line - 1 > runStart) out.push({ start: runStart, end: line - 1, kind: 'comment' });
      runStart = -1;
    }
  }
  return out.sort((a, b) => a.start - b.start || b.end - a.end);
}
