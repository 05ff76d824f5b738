import ort from 'onnxruntime-node';
import { knownConfig } from '../src/arch/known.js';
import { randomValidationInputs } from '../src/convert/validation-inputs.js';
import { feedsFor } from '../src/onnx/model-inputs.js';

/**
 * An onnxruntime session alone on a converted file, in a fresh process: created and run on the
 * validation inputs, as convert's validation does. bench:convert measures its peak RSS, the floor
 * for any convert that validates in onnxruntime.
 */
const [modelFile, configName] = process.argv.slice(2);
if (modelFile === undefined || configName === undefined) throw new Error('usage: session-child <model.onnx> <known config>');
const session = await ort.InferenceSession.create(modelFile);
for (const c of randomValidationInputs(knownConfig(configName).config)) await session.run(feedsFor(ort, { ...c, dims: [c.batch, c.seq] }));
await session.release();
