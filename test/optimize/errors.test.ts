import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { describe, it } from 'node:test';
import { OnnxError } from '../../src/errors.js';
import { GraphBuilder } from '../../src/onnx/builder.js';
import { attr } from '../../src/onnx/model.js';
import { writeModel } from '../../src/onnx/serde.js';
import { optimizeFile } from '../../src/optimize/optimize.js';
import { quantizeFile } from '../../src/quantize/quantize.js';
import { tempDir } from '../helpers/paths.js';
import { convertedFixture } from '../helpers/quantize.js';

/** A valid ONNX graph that is not an encoder: one Cast from `inputName` to a float output. */
function castGraph(inputName: string): string {
  const g = new GraphBuilder(17);
  const x = g.input(inputName, 'int64', ['batch_size', 'sequence_length']);
  g.output(g.op1('Cast', [x], { to: attr.int(1) }), 'y', 'float32', ['batch_size', 'sequence_length']);
  const file = path.join(tempDir(), 'cast.onnx');
  writeModel(g.build('cast', {}, 'test'), file);
  return file;
}

function assertRefused(file: string, pattern: RegExp): void {
  assert.throws(() => optimizeFile({ input: file, output: path.join(tempDir(), 'out.onnx') }), (e: unknown) => {
    assert.ok(e instanceof OnnxError, String(e));
    assert.ok(e.message.startsWith(`${file}: `), e.message);
    assert.match(e.message, pattern);
    assert.equal(e.message.includes('\n'), false, 'one line');
    return true;
  });
}

describe('optimize: inputs it refuses, with an OnnxError naming the file', () => {
  it('a file that is not ONNX', () => {
    const file = path.join(tempDir(), 'notes.onnx');
    fs.writeFileSync(file, 'not a protobuf at all\n');
    assertRefused(file, /not a valid ONNX model/);
  });

  it('an ONNX graph without input_ids', () => {
    assertRefused(castGraph('pixels'), /not a BERT\/ALBERT encoder graph/);
  });

  it('an ONNX graph with input_ids but no attention block', () => {
    assertRefused(castGraph('input_ids'), /no self-attention block/);
  });

  it('an already optimized model, fp32 or fp16', async () => {
    const dir = await convertedFixture('bert-tiny-cls');
    for (const fp16 of [false, true]) {
      const out = path.join(tempDir(), 'opt.onnx');
      optimizeFile({ input: dir, output: out, fp16 });
      assertRefused(out, /already optimized .*Attention/);
    }
  });

  it('a quantized model, integer-op or QDQ', async () => {
    for (const format of ['qoperator', 'qdq'] as const) {
      const out = path.join(tempDir(), 'q.onnx');
      quantizeFile({ input: await convertedFixture('bert-tiny-cls'), output: out, options: { format } });
      assertRefused(out, /is quantized/);
    }
  });
});
