import { isStandardDomain } from '../onnx/graph-ops.js';
import type { OnnxNode } from '../onnx/model.js';
import type { MatchContext, QuantContext } from './context.js';

/**
 * One rule per operator family: `match` reads a node once and returns what its rewrite needs
 * (null: the rule declines and the node passes through), `rewrite` applies that plan.
 */
interface OpQuantizer<Plan> {
  readonly opType: string;
  /** The operator's domain; '' (the default) is the standard one. */
  readonly domain?: string;
  match(node: OnnxNode, ctx: MatchContext): Plan | null;
  rewrite(plan: Plan, ctx: QuantContext): OnnxNode[];
  /** The activations whose calibrated ranges a static rewrite of this plan reads; none when absent. */
  calibratedInputs?(plan: Plan): readonly string[];
}

/** A matched node, its plan bound to the rule that made it. */
export interface PlannedRewrite {
  readonly node: OnnxNode;
  readonly calibratedInputs: readonly string[];
  rewrite(ctx: QuantContext): OnnxNode[];
}

/** A rule with its plan type hidden, so rules of different plans share one registry. */
export interface Rule {
  readonly opType: string;
  readonly domain: string;
  plan(node: OnnxNode, ctx: MatchContext): PlannedRewrite | null;
}

export function defineRule<Plan>(q: OpQuantizer<Plan>): Rule {
  return {
    opType: q.opType,
    domain: q.domain ?? '',
    plan(node, ctx) {
      const plan = q.match(node, ctx);
      if (plan === null) return null;
      return { node, calibratedInputs: q.calibratedInputs?.(plan) ?? [], rewrite: (c) => q.rewrite(plan, c) };
    },
  };
}

const ruleKey = (domain: string, opType: string) => `${isStandardDomain(domain) ? '' : domain}:${opType}`;

export class QuantizerRegistry {
  private readonly rules = new Map<string, Rule>();

  constructor(rules: readonly Rule[]) {
    for (const r of rules) {
      const key = ruleKey(r.domain, r.opType);
      if (this.rules.has(key)) throw new Error(`two quantization rules for ${key}`);
      this.rules.set(key, r);
    }
  }

  ruleFor(node: OnnxNode): Rule | undefined {
    return this.rules.get(ruleKey(node.domain, node.opType));
  }
}
