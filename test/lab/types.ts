// A service of the local lab (`npm run demo`): it starts itself and returns the settings that point
// the extension at it. scripts/demo.js loads every out/test/lab/*.lab.js in name order.
export interface LabService {
  /** User settings for the lab's VS Code. */
  settings: Record<string, unknown>;
  /** Lines printed for the person running the lab. */
  describe: string[];
  stop(): Promise<void>;
}

export interface LabContext {
  /** The lab's folder, outside the repository (see workspace.ts), kept between runs. */
  labDir: string;
}
