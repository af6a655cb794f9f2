// Imported first by the composition root, so this runs before any other module of the bundle is
// evaluated: the start of the extension's own loading, for the activation figure.
export const extensionLoadStartedAt = performance.now();
