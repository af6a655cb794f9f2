// How often the Data Plane API view refreshes itself. Every refresh loads a tree from every
// configured server: a tiny interval would drive back-to-back loads against production servers.

export const MIN_REFRESH_SECONDS = 5;
export const DEFAULT_REFRESH_SECONDS = 15;

/** The refresh interval in ms from the setting: 0 means on demand only; otherwise at least 5 s. */
export function refreshIntervalMs(setting: unknown): number {
  if (typeof setting !== 'number' || !Number.isFinite(setting) || setting < 0) return DEFAULT_REFRESH_SECONDS * 1000;
  if (setting === 0) return 0;
  return Math.max(MIN_REFRESH_SECONDS, setting) * 1000;
}
