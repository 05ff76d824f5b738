import type { OpQuantizer } from '../registry.js';
import { attentionRule } from './attention.js';
import { gatherRule } from './gather.js';
import { gemmRule } from './gemm.js';
import { matmulRule } from './matmul.js';

export const RULES: readonly OpQuantizer[] = [matmulRule, gemmRule, gatherRule, attentionRule];
