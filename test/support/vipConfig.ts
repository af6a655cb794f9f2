// A Service, its endpoints and a live haproxy.cfg shared by the VIP change tests (unit and live).
import type { ServiceLike } from '../../src/vip/core/kubeShapes';

export const httpd: ServiceLike = {
  metadata: { name: 'httpd', namespace: 'default' },
  spec: { type: 'LoadBalancer', ports: [{ name: 'http', port: 80, targetPort: 8080, protocol: 'TCP' }] },
};
export const endpoints = (...ips: string[]) => ({
  subsets: [{ addresses: ips.map((ip) => ({ ip })), ports: [{ name: 'http', port: 8080 }] }],
});
export const BASE = [
  '# _version=7',
  'global',
  '  log stderr format short local0 notice',
  '',
  'defaults',
  '  mode http',
  '  timeout connect 2s',
  '  timeout client 10s',
  '  timeout server 10s',
  '',
  'frontend fe_main',
  '  bind 127.0.0.1:8080 name main',
  '  bind :8404,ipv4@127.0.0.9:9000-9010 name stats',
  '  bind unix@/run/haproxy.sock',
  '  default_backend be_app',
  '',
  'backend be_app',
  '  server web1 127.0.0.1:9999 check',
  '',
].join('\n');
