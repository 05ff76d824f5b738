import type { InferenceSession } from 'onnxruntime-node';
import { OnnxError } from '../errors.js';

/**
 * Opens an onnxruntime-node session, turning its load failures (not ONNX, truncated, unknown
 * ops) into an OnnxError that names the file; onnxruntime is imported only when first needed.
 */
export async function openSession(file: string, options: InferenceSession.SessionOptions = {}): Promise<InferenceSession> {
  const ort = await import('onnxruntime-node');
  try {
    return await ort.InferenceSession.create(file, options);
  } catch (e) {
    const reason = (e instanceof Error ? e.message : String(e)).split('\n')[0]?.replace(/^.*failed:\s*/, '') ?? 'unknown error';
    throw new OnnxError(file, `onnxruntime cannot load it (${reason}); is it a complete ONNX model?`);
  }
}
