// Reads the command tables from source, without loading them (they import vscode): every
// `CommandTable<...> = { 'id': handler, ... }` object literal under src/.
import * as fs from 'node:fs';
import * as path from 'node:path';

export interface TableSource {
  file: string;
  ids: string[];
}

function sourceFiles(dir: string): string[] {
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const full = path.join(dir, e.name);
    if (e.isDirectory()) return sourceFiles(full);
    return e.name.endsWith('.ts') ? [full] : [];
  });
}

/** The keys of every command table literal in `text` (quoted keys only: ids contain dots). */
export function tableIds(text: string): string[] {
  const ids: string[] = [];
  const start = /:\s*CommandTable<[^>]*>\s*=\s*\{/g;
  for (let m = start.exec(text); m; m = start.exec(text)) {
    // The literal ends at the brace that balances the opening one (handlers are names, not bodies).
    let depth = 1;
    let i = m.index + m[0].length;
    for (; i < text.length && depth > 0; i++) {
      if (text[i] === '{') depth++;
      else if (text[i] === '}') depth--;
    }
    const body = text.slice(m.index + m[0].length, i - 1);
    for (const k of body.matchAll(/^\s*['"]([^'"]+)['"]\s*:/gm)) ids.push(k[1]!);
  }
  return ids;
}

export function commandTables(srcDir: string): TableSource[] {
  return sourceFiles(srcDir)
    .map((file) => ({ file: path.relative(srcDir, file), ids: tableIds(fs.readFileSync(file, 'utf8')) }))
    .filter((t) => t.ids.length > 0);
}
