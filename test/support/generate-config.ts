// A realistic, deterministic haproxy.cfg of about the requested size, for tests and benchmarks
// (grammar, parser). HAProxy 2.6 accepts it with `haproxy -c`: it names no certificate, map,
// errorfile or Lua script and resolves no host name at startup, so it checks on any machine.

/** Small, fast, seedable PRNG (mulberry32): the same seed always gives the same file. */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const APPS = [
  'shop',
  'api',
  'auth',
  'media',
  'search',
  'billing',
  'static',
  'admin',
  'chat',
  'metrics',
  'mail',
  'docs',
];
const PATHS = [
  '/api',
  '/v1',
  '/v2',
  '/static',
  '/images',
  '/login',
  '/admin',
  '/health',
  '/search',
  '/cart',
  '/ws',
  '/graphql',
];
const EXTENSIONS = ['.css', '.js', '.png', '.jpg', '.svg', '.woff2', '.ico'];
const BALANCE = ['roundrobin', 'leastconn', 'source', 'uri', 'first', 'static-rr', 'hdr(host)', 'url_param userid'];
const HEADERS = [
  'X-Request-ID',
  'X-Forwarded-Proto',
  'X-Frame-Options',
  'Strict-Transport-Security',
  'X-Content-Type-Options',
  'X-Backend',
];

function head(): string[] {
  return [
    '# Generated haproxy.cfg (test/support/generate-config.ts): realistic and valid for HAProxy 2.6',
    'global',
    '    log stdout format raw local0 info',
    '    log 127.0.0.1:514 local1 notice',
    '    maxconn 50000',
    '    nbthread 2',
    '    localpeer node1',
    '    setenv LOG_LEVEL info',
    '    presetenv STATS_PORT 8404',
    '    stats socket /run/haproxy-admin.sock mode 660 level admin expose-fd listeners',
    '    stats timeout 30s',
    '    hard-stop-after 30s',
    '    tune.bufsize 32768',
    '    tune.ssl.default-dh-param 2048',
    '    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets',
    '    ssl-default-bind-ciphers ECDHE-ECDSA-AES128-GCM-SHA256:ECDHE-RSA-AES128-GCM-SHA256',
    '    ssl-default-bind-ciphersuites TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384',
    '    .if version_atleast(2.5)',
    '        tune.h2.max-concurrent-streams 100',
    '    .elif defined(LOG_LEVEL)',
    '        .notice "old HAProxy, log level ${LOG_LEVEL}"',
    '    .else',
    '        .warning "unexpected version"',
    '    .endif',
    '',
    // Named defaults referenced explicitly must not be the last defaults section.
    'defaults tcp_defaults',
    '    mode tcp',
    '    log global',
    '    option tcplog',
    '    timeout connect 5s',
    '    timeout client 1h',
    '    timeout server 1h',
    '',
    'defaults',
    '    mode http',
    '    log global',
    '    option httplog',
    '    option dontlognull',
    '    option http-server-close',
    '    option forwardfor except 127.0.0.0/8',
    '    option redispatch',
    '    no option http-buffer-request',
    '    retries 3',
    '    timeout connect 5s',
    '    timeout client 30s',
    '    timeout server 30s',
    '    timeout http-request 10s',
    '    timeout http-keep-alive 2s',
    '    timeout queue 1m',
    '    timeout check 3s',
    '    default-server inter 3s fastinter 1s downinter 5s rise 2 fall 3 slowstart 60s ' +
      'maxconn 256 maxqueue 128 weight 100',
    '',
    'userlist admins',
    '    group ops users alice,bob',
    '    group dev',
    '    user alice insecure-password "s3cret pass" groups ops',
    '    user bob password $5$rounds=5000$salt$0123456789abcdefghijklmnopqrstuvwxyzABCDE',
    '    user carol insecure-password carol groups dev',
    '',
    'peers mesh',
    '    peer node1 10.0.0.1:10000',
    '    peer node2 10.0.0.2:10000',
    '    peer node3 10.0.0.3:10000',
    '',
    'resolvers dns',
    '    nameserver dns1 127.0.0.1:53',
    '    nameserver dns2 [::1]:53',
    '    accepted_payload_size 8192',
    '    resolve_retries 3',
    '    timeout resolve 1s',
    '    timeout retry 1s',
    '    hold valid 10s',
    '    hold nx 30s',
    '    hold obsolete 30s',
    '',
    'mailers alerting',
    '    mailer smtp1 192.0.2.25:25',
    '    mailer smtp2 192.0.2.26:587',
    '    timeout mail 20s',
    '',
    'cache assets',
    '    total-max-size 256',
    '    max-object-size 1048576',
    '    max-age 240',
    '    process-vary on',
    '',
    'ring logbuffer',
    '    description "log ring for syslog"',
    '    format rfc5424',
    '    maxlen 1200',
    '    size 32764',
    '    timeout connect 5s',
    '    timeout server 10s',
    '    server syslog1 127.0.0.1:6514',
    '',
    'listen stats',
    '    bind :8404',
    '    bind "127.0.0.1:${STATS_PORT}" name local-stats',
    '    stats enable',
    '    stats uri /stats',
    '    stats refresh 10s',
    '    stats realm Haproxy\\ Statistics',
    '    stats auth admin:"adm pass"',
    '    stats admin if LOCALHOST',
    '    stats show-legends',
    '    http-request use-service prometheus-exporter if { path /metrics }',
    '',
  ];
}

function frontend(out: string[], i: number, rnd: () => number, backends: string[]): void {
  const pick = <T>(list: readonly T[]): T => list[Math.floor(rnd() * list.length)];
  const app = APPS[i % APPS.length];
  const port = 10000 + i * 2;
  const name = `fe_${app}_${i}`;
  out.push(`frontend ${name}`);
  out.push(`    description "Public ${app} entry point #${i}"`);
  out.push(`    bind :${port}`);
  out.push(`    bind [::]:${port + 1} v6only`);
  if (i % 3 === 0) out.push(`    bind ipv4@127.0.0.1:${20000 + i} name internal-${i} accept-proxy`);
  if (i % 5 === 0) out.push(`    bind unix@/run/haproxy/${name}.sock mode 600`);
  out.push(`    maxconn ${1000 + Math.floor(rnd() * 9000)}`);
  out.push('    option http-keep-alive');
  out.push(`    capture request header Host len 64`);
  out.push(`    capture request header User-Agent len 128`);
  out.push(`    stick-table type ip size 200k expire 10m store http_req_rate(10s),conn_cur,gpc0`);
  out.push(`    tcp-request connection reject if { src_conn_cur ge 200 }`);
  out.push(`    tcp-request inspect-delay 5s`);
  out.push(`    http-request track-sc0 src`);
  out.push(`    http-request deny deny_status 429 if { sc_http_req_rate(0) gt ${100 + Math.floor(rnd() * 400)} }`);
  out.push(`    acl is_${app} hdr(host) -i ${app}.example.com www.${app}.example.com`);
  out.push(`    acl path_api path_beg -i ${pick(PATHS)} ${pick(PATHS)}`);
  out.push(`    acl static_ext path_end ${EXTENSIONS.slice(0, 3 + (i % 4)).join(' ')}`);
  out.push(`    acl internal_net src 10.0.0.0/8 192.168.0.0/16 172.16.0.0/12 2001:db8::/32`);
  out.push(`    acl is_websocket hdr(Upgrade) -i WebSocket`);
  out.push(`    acl has_session req.cook(SESSIONID) -m found`);
  out.push(`    acl bad_method method TRACE CONNECT`);
  out.push(`    acl auth_ok http_auth(admins)`);
  out.push(`    acl slow_start fe_conn gt ${50 + (i % 50)}`);
  out.push(`    acl path path_beg /legacy`);
  out.push(`    http-request set-header X-Forwarded-Proto https if { ssl_fc }`);
  out.push(`    http-request set-header X-Request-ID %[uuid()] unless { req.hdr(X-Request-ID) -m found }`);
  out.push(`    http-request add-header X-Client-IP %[src]`);
  out.push(`    http-request set-var(txn.host) req.hdr(host),lower,field(1,:)`);
  out.push(`    http-request set-var(txn.path) path,lower`);
  out.push(`    http-request set-var(txn.route) str(${backends[0]}) if { req.hdr(X-Route) -m str ${app} }`);
  out.push(`    http-request deny if bad_method`);
  out.push(`    http-request auth realm "${app} admin" if { path_beg /admin } !auth_ok`);
  out.push(`    http-request redirect scheme https code 301 if !{ ssl_fc } is_${app}`);
  out.push(`    http-request redirect location /new%[path] code 302 if path`);
  out.push(`    http-request replace-path ^/old/(.*) /\\1 if { path_beg /old/ }`);
  out.push(`    http-request del-header ${pick(HEADERS)}`);
  out.push(`    http-request cache-use assets if static_ext`);
  out.push(`    http-request return status 200 content-type text/plain string "ok" if { path /ping }`);
  out.push(`    http-request set-log-level silent if { path /health }`);
  out.push(`    http-response set-header ${pick(HEADERS)} "max-age=31536000; includeSubDomains"`);
  out.push(`    http-response del-header Server`);
  out.push(`    http-response cache-store assets`);
  out.push(`    http-after-response set-header X-Served-By ${name}`);
  out.push(
    `    log-format "%ci:%cp [%tr] %ft %b/%s %TR/%Tw/%Tc/%Tr/%Ta %ST %B %CC %CS %tsc %ac/%fc/%bc/%sc/%rc ` +
      `%sq/%bq %hr %hs %{+Q}r %[var(txn.host)] %[capture.req.hdr(1),lower]"`,
  );
  out.push(`    compression algo gzip deflate`);
  out.push(`    compression type text/html text/plain text/css application/json`);
  out.push(`    use_backend ${backends[0]} if is_${app} path_api || is_websocket`);
  if (backends.length > 1) out.push(`    use_backend ${backends[1]} if static_ext or { path_beg /static/ }`);
  if (backends.length > 2) out.push(`    use_backend ${backends[2]} if internal_net has_session !bad_method`);
  out.push(`    use_backend %[var(txn.route)] if { var(txn.route) -m found }`);
  out.push(`    default_backend ${backends[backends.length - 1]}`);
  out.push('');
}

function backend(out: string[], name: string, i: number, rnd: () => number): void {
  const servers = 2 + Math.floor(rnd() * 6);
  const balance = BALANCE[i % BALANCE.length];
  out.push(`backend ${name}`);
  out.push(`    balance ${balance}`);
  if (balance === 'uri' || balance.startsWith('hdr')) out.push('    hash-type consistent');
  out.push('    option httpchk');
  out.push(`    http-check send meth GET uri /health ver HTTP/1.1 hdr Host ${name}.internal`);
  out.push('    http-check expect status 200-399');
  out.push(`    cookie SRV_${i} insert indirect nocache httponly secure`);
  out.push('    retry-on conn-failure empty-response response-timeout');
  out.push('    http-reuse safe');
  out.push(`    timeout server ${10 + (i % 50)}s`);
  out.push(`    timeout queue ${2 + (i % 10)}m`);
  out.push(`    stick-table type string len 64 size 50k expire 30m peers mesh`);
  out.push(`    stick on req.cook(SESSIONID)`);
  out.push(`    http-request set-header X-Backend ${name}`);
  out.push(`    http-response set-header Cache-Control "public, max-age=${60 * (1 + (i % 10))}" if { status 200 }`);
  out.push(`    option log-health-checks`);
  if (i % 4 === 0) {
    out.push('    email-alert mailers alerting');
    out.push(`    email-alert from haproxy@example.com`);
    out.push(`    email-alert to ops+${i}@example.com`);
    out.push('    email-alert level warning');
  }
  for (let s = 0; s < servers; s++) {
    const ip = `10.${(i >> 8) & 255}.${i & 255}.${10 + s}`;
    const port = [80, 8080, 8000, 3000][s % 4];
    const opts = [
      `check`,
      `inter ${2 + (s % 3)}s`,
      `weight ${10 * (1 + (s % 10))}`,
      `maxconn ${100 + s * 50}`,
      `cookie s${s}`,
    ];
    if (s === servers - 1) opts.push('backup');
    if (s % 3 === 1) opts.push('send-proxy-v2');
    if (s % 4 === 2) opts.push('agent-check agent-port 9999 agent-inter 5s');
    out.push(`    server ${name}_s${s} ${ip}:${port} ${opts.join(' ')}`);
  }
  if (i % 3 === 0)
    out.push(
      `    server-template dyn${i}- 3 ${name}.service.invalid:8080 ` +
        'resolvers dns init-addr none check resolve-prefer ipv4',
    );
  out.push('');
}

function tcpPair(out: string[], i: number): void {
  const port = 30000 + i;
  out.push(`frontend fe_tcp_${i} from tcp_defaults`);
  out.push(`    bind :${port}`);
  out.push(`    bind :::${port + 1000}`);
  out.push('    tcp-request inspect-delay 5s');
  out.push('    tcp-request content accept if { req.ssl_hello_type 1 }');
  out.push(`    tcp-request content reject if { src -f /dev/null }`);
  out.push('    stick-table type ip size 100k expire 30s store conn_rate(10s)');
  out.push('    tcp-request content track-sc1 src');
  out.push(`    use_backend be_tcp_${i} if { req.ssl_sni -m end .db.example.com }`);
  out.push(`    default_backend be_tcp_${i}`);
  out.push('');
  out.push(`backend be_tcp_${i} from tcp_defaults`);
  out.push('    balance leastconn');
  out.push('    option tcp-check');
  out.push('    tcp-check connect');
  out.push('    tcp-check send PING\\r\\n');
  out.push('    tcp-check expect string +PONG');
  out.push('    stick-table type ip size 1m expire 1h');
  out.push('    stick on src');
  out.push(`    server db${i}a 10.200.${i & 255}.1:5432 check`);
  out.push(`    server db${i}b 10.200.${i & 255}.2:5432 check backup`);
  out.push('');
}

/**
 * A haproxy.cfg of about `lines` lines (never fewer), the same for the same arguments, that
 * `haproxy -c` accepts: every section kind a real deployment uses, many frontends with binds,
 * ACLs, rules and log formats, many backends with servers and health checks.
 */
export function generateConfig(lines: number, seed = 1): string {
  const rnd = prng(seed);
  const out = head();
  let i = 0;
  while (out.length < lines) {
    if (i % 4 === 3) {
      tcpPair(out, i);
    } else {
      const app = APPS[i % APPS.length];
      const count = 1 + Math.floor(rnd() * 3);
      const names = Array.from({ length: count }, (_, j) => `be_${app}_${i}_${j}`);
      frontend(out, i, rnd, names);
      names.forEach((n, j) => backend(out, n, i * 3 + j, rnd));
    }
    i++;
  }
  // HAProxy rejects a file whose last line has no final LF.
  return `${out.join('\n')}\n`;
}
