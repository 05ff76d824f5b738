/** Sets the HF_* variables for a test (undefined unsets) and returns a function restoring the old values. */
export function setHubEnv(vars: Readonly<Record<string, string | undefined>>): () => void {
  const names = ['HF_ENDPOINT', 'HF_HUB_CACHE', 'HF_HOME', 'HF_TOKEN', 'HF_HUB_OFFLINE', ...Object.keys(vars)];
  const saved = new Map(names.map((n) => [n, process.env[n]]));
  for (const n of names) delete process.env[n];
  for (const [n, v] of Object.entries(vars)) if (v !== undefined) process.env[n] = v;
  return () => {
    for (const [n, v] of saved) {
      if (v === undefined) delete process.env[n];
      else process.env[n] = v;
    }
  };
}
