// Lines that reach every shortcut of the grammar and the corners next to it: every rule set with
// every action name HAProxy knows (valid for the set or not), ACL values, conditions, server
// addresses and section headers. Deterministic (a fixed seed); for comparing two grammars.

/** The keyword data of scripts/generate-grammar.js that the corpus needs. */
export interface CorpusData {
  actions: Record<string, Record<string, unknown>>;
}

/** A small linear congruential generator: the same lines on every run. */
function random(seed: number): (n: number) => number {
  let s = seed;
  return (n) => {
    s = (s * 1103515245 + 12345) & 0x7fffffff;
    return s % n;
  };
}

/** One document per shortcut, as [name, text]. `scale` multiplies the sampled line counts. */
export function grammarCorpus(data: CorpusData, scale = 1): [string, string][] {
  const rnd = random(7);
  const pick = <T>(xs: readonly T[]): T => xs[rnd(xs.length)];
  const docs: [string, string][] = [];

  // Rules: every rule set (and a few that do not exist) with every action name, then a tail.
  const sets = [...Object.keys(data.actions), 'tcp-response connection', 'tcp-request', 'http-request content'];
  const actions = new Set<string>(['lua.foo', 'lua.a-b.c', 'lua', 'content', '']);
  for (const table of Object.values(data.actions))
    for (const a of Object.keys(table)) for (const v of [a, `${a}0`, `${a}x`]) actions.add(v);
  const tails = [
    '',
    '(txn.x)',
    '(a b)',
    '(x)y',
    ' req.hdr(host),lower',
    ' X-Foo',
    ' "x"',
    ' %[src]',
    ' if { src 1.2.3.4 }',
    '#c',
    '\t',
  ];
  const rules = ['frontend f'];
  for (const set of sets) for (const a of actions) rules.push(`  ${set}${a ? ` ${a}` : ''}${pick(tails)}`);
  docs.push(['rules', rules.join('\n')]);

  // ACL values: patterns next to flags, match methods, operators, numbers and addresses.
  const values = [
    'a',
    '-i',
    '-m',
    'beg',
    '-f',
    '/x',
    'eq',
    '10',
    '1.2.3.4',
    '10.0.0.0/8',
    'fe80::1',
    'dead:beef::1',
    '"q"',
    "'s'",
    'a,b',
    'x=1',
    'a,',
    '5s',
    '#c',
    '{',
    '.css',
    '+5',
    'ge',
    '(1)',
    '%[src]',
    'x,10',
  ];
  const criteria = ['src', 'path_beg', 'hdr(host)', 'path_end', 'req.hdr(x)', 'base', 'nbsrv(b)'];
  const acls = ['backend b'];
  for (let i = 0; i < 3000 * scale; i++) {
    const n = 1 + rnd(5);
    const sep = pick([' ', '  ', '\t']);
    acls.push(`  acl n${i} ${pick(criteria)} ${Array.from({ length: n }, () => pick(values)).join(sep)}`);
  }
  docs.push(['acl values', acls.join('\n')]);

  // Conditions: operators, names, predefined and anonymous ACLs, with and without blanks.
  const items = [
    'a',
    '!a',
    '!',
    '||',
    'or',
    'TRUE',
    'TRUEx',
    '{ src 1.2.3.4 }',
    '!{ ssl_fc }',
    'a||b',
    'a!b',
    '"x"',
    '#c',
    'or1',
    '|',
    'b}',
    'METH_GET',
    '!!a',
  ];
  const heads = ['use_backend b', 'http-request deny', 'http-response set-header X y', 'tcp-request content reject'];
  const conditions = ['frontend f'];
  for (let i = 0; i < 3000 * scale; i++) {
    const n = 1 + rnd(6);
    const sep = pick(['', ' ', '  ', '\t']);
    conditions.push(
      `  ${pick(heads)} ${pick(['if', 'unless'])} ${Array.from({ length: n }, () => pick(items)).join(sep)}`,
    );
  }
  docs.push(['conditions', conditions.join('\n')]);

  // Servers: address forms the one-regex address takes and those it leaves to the region.
  const addresses = [
    '10.0.0.1:80',
    'host.example:8080',
    '[::1]:443',
    ':::80',
    '*:80',
    'ipv4@1.2.3.4:80',
    'unix@/x',
    '${X}:80',
    'h:80-90',
    '/sock',
    'a,b',
    '1.2.3.4:80#c',
    '#c',
    '',
    'h:80x',
  ];
  const options = [
    '',
    ' check',
    ' check inter 2s weight 10 maxconn 100 cookie s0',
    ' check port 81 inter 2000 rise 2 fall 3 slowstart 60s weight 50',
    ' ssl verify none',
    ' "q"',
    ' # c',
    ' weight 10 foo bar',
  ];
  const servers = ['backend b'];
  for (const kw of ['server', 'server-template', 'default-server'])
    for (const a of addresses)
      for (const o of options) servers.push(`  ${kw} s1${kw === 'server-template' ? ' 3' : ''}${a ? ` ${a}` : ''}${o}`);
  servers.push('resolvers r');
  for (const a of addresses) servers.push(`  nameserver n1 ${a}`);
  docs.push(['servers', servers.join('\n')]);

  // Section headers: names only (begin/end form), with a comment, with an address (while form).
  const headers = [];
  for (const h of [
    'frontend f',
    'frontend f # c',
    'frontend f\t',
    'listen l 1.2.3.4:80',
    'listen l :80,:81',
    'backend b from d',
    'backend',
    'defaults d',
    'frontend f x y',
    'backend b#c',
  ])
    headers.push(
      h,
      '  mode http',
      '  # c',
      '',
      '  timeout client 5s',
      '  http-request deny if x',
      '  server s1 1.2.3.4:80 check',
    );
  docs.push(['section headers', headers.join('\n')]);
  return docs;
}
