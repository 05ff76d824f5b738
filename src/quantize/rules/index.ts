import type { Rule } from '../rule.js';
import { attentionRule } from './attention.js';
import { gatherRule } from './gather.js';
import { gemmRule } from './gemm.js';
import { matmulRule } from './matmul.js';

export const RULES: readonly Rule[] = [matmulRule, gemmRule, gatherRule, attentionRule];
