// package.json contributes exactly the commands the tables register, and every menu, keybinding,
// welcome link and tree-row command names a registered id.
import assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { describe, it } from 'node:test';
import { repoRoot } from '../../support/paths';
import { commandTables, tableIds } from './commandTables';

/** Registered by a table but deliberately absent from package.json (none today). */
const INTERNAL: readonly string[] = [];

/** Contributed but registered outside a table (none: every command is in a table). */
const NOT_YET_IN_A_TABLE: readonly string[] = [];

interface Manifest {
  contributes: {
    commands: { command: string }[];
    menus: Record<string, { command?: string }[]>;
    keybindings?: { command: string }[];
    viewsWelcome?: { contents: string }[];
    walkthroughs?: { steps: { description: string }[] }[];
  };
}

const nls = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.nls.json'), 'utf8')) as Record<string, string>;
/**
 * package.json with its `%key%` texts (welcome views, walkthroughs) replaced by their English from
 * package.nls.json.
 */
const manifest = JSON.parse(fs.readFileSync(path.join(repoRoot, 'package.json'), 'utf8'), (_key, value: unknown) =>
  typeof value === 'string' && /^%[^%\s]+%$/.test(value) ? (nls[value.slice(1, -1)] ?? value) : value,
) as Manifest;
const srcDir = path.join(repoRoot, 'src');
const tables = commandTables(srcDir);
const registered = new Set(tables.flatMap((t) => t.ids));
const known = new Set([...registered, ...NOT_YET_IN_A_TABLE]);
const contributed = manifest.contributes.commands.map((c) => c.command);

describe('command tables and package.json', () => {
  it('reads the tables of every capability', () => {
    const files = tables.map((t) => t.file.split(path.sep).join('/')).sort();
    for (const f of [
      'dataplane/ui/commands.ts',
      'kubernetes/ui/commands.ts',
      'language/ui/commands.ts',
      'shell/shellCommands.ts',
    ]) {
      assert.ok(files.includes(f), `no command table found in src/${f} (found: ${files.join(', ')})`);
    }
  });

  it('the parser reads quoted keys of a table literal and nothing else', () => {
    const text = [
      "const other = { 'x.y': 1 };",
      'export const t: CommandTable<Ctx> = {',
      "  'a.b': f,",
      '  "a.c": g,',
      '};',
      "const z = { 'q.r': 2 };",
    ].join('\n');
    assert.deepEqual(tableIds(text), ['a.b', 'a.c']);
  });

  it('one id style (haproxyGateway.<area>.<name>, or haproxyGateway.<name> in the shell), each id once', () => {
    const all = tables.flatMap((t) => t.ids);
    for (const id of all) assert.match(id, /^haproxyGateway\.([a-z]+\.)?[a-zA-Z]+$/, id);
    assert.equal(new Set(all).size, all.length, 'an id is registered by two tables');
  });

  it('every contributed command is registered by a table', () => {
    const missing = contributed.filter((id) => !known.has(id));
    assert.deepEqual(missing, [], 'contributed in package.json but registered by no table');
  });

  it('every table command is contributed (except the documented internal ones)', () => {
    const extra = [...registered].filter((id) => !contributed.includes(id) && !INTERNAL.includes(id));
    assert.deepEqual(extra, [], 'registered by a table but missing from package.json contributes.commands');
  });

  it('menus and keybindings name registered commands', () => {
    const named = [
      ...Object.entries(manifest.contributes.menus).flatMap(([menu, items]) =>
        items.filter((i) => i.command).map((i) => ({ where: `menus.${menu}`, id: i.command! })),
      ),
      ...(manifest.contributes.keybindings ?? []).map((k) => ({ where: 'keybindings', id: k.command })),
    ];
    const unknown = named.filter((n) => n.id.startsWith('haproxyGateway.') && !known.has(n.id));
    assert.deepEqual(unknown, [], 'a menu or keybinding names an unregistered command');
    const foreign = named.filter((n) => !n.id.startsWith('haproxyGateway.'));
    assert.deepEqual(foreign, [], 'a menu or keybinding names a command of another extension');
  });

  it('command links in welcome views and walkthroughs name registered commands', () => {
    const texts = [
      ...(manifest.contributes.viewsWelcome ?? []).map((v) => v.contents),
      ...(manifest.contributes.walkthroughs ?? []).flatMap((w) => w.steps.map((s) => s.description)),
    ];
    const linked = texts.flatMap((t) => [...t.matchAll(/command:(haproxyGateway\.[\w.]+)/g)].map((m) => m[1]!));
    assert.ok(linked.length > 0, 'no command link found: the pattern no longer matches the manifest');
    assert.deepEqual(
      linked.filter((id) => !known.has(id)),
      [],
      'a link names an unregistered command',
    );
  });

  it('tree rows and status bar items in src name registered commands', () => {
    const literals: string[] = [];
    const walk = (dir: string): void => {
      for (const e of fs.readdirSync(dir, { withFileTypes: true })) {
        const full = path.join(dir, e.name);
        if (e.isDirectory()) walk(full);
        else if (e.name.endsWith('.ts')) {
          const text = fs.readFileSync(full, 'utf8');
          for (const m of text.matchAll(/command:\s*'(haproxyGateway\.[\w.]+)'/g)) literals.push(m[1]!);
          for (const m of text.matchAll(/new ReloadStatus\([^,]+,\s*'(haproxyGateway\.[\w.]+)'/g)) literals.push(m[1]!);
        }
      }
    };
    walk(srcDir);
    assert.ok(literals.length > 0);
    assert.deepEqual(
      literals.filter((id) => !known.has(id)),
      [],
      'a tree row or status item runs an unregistered command',
    );
  });
});
