/**
 * The operator named in onnxruntime's session-creation error when the runtime has no kernel or no
 * schema for it: onnxruntime-web is built without some of onnxruntime-node's CPU kernels (the x86
 * NCHWc layout ops among them), so a graph that runs natively may not load there. Null for any
 * other error (a damaged file, an input it cannot take), which stays a failure.
 */
export function unsupportedOp(message: string): string | null {
  const noKernel = /Could not find an implementation for ([A-Za-z0-9_.:]+)\(\d+\) node/.exec(message);
  if (noKernel?.[1] !== undefined) return noKernel[1];
  const unregistered = /([A-Za-z0-9_.]+:[A-Za-z0-9_]+)\(-?\d+\) is not a registered function\/op/.exec(message);
  return unregistered?.[1] ?? null;
}
