// The published surface of the haproxy.cfg language capability: the only file other capabilities
// import from it (enforced by eslint.config.mjs). Nothing is needed outside yet; the haproxy.cfg
// parser every capability reads configurations with lives in src/shared/haproxy-config.
export type { LanguageFeatureDeps } from './ui';
