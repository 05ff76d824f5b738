/** What a report concludes, as data: its recommendation and the ALBERT-vs-BERT claims (types.ts re-exports them). */

export interface Recommendation {
  /**
   * 'best-fit': the one best variant under the constraints; 'pareto': no constraints were given;
   * 'no-fit': nothing meets the constraints (or nothing completed), variantIds is empty.
   */
  readonly kind: 'best-fit' | 'pareto' | 'no-fit';
  /** Variant ids: one best variant under the constraints, or the Pareto set when none were given. */
  readonly variantIds: readonly string[];
  readonly reason: string;
}

export type ClaimId = 'fewer-params' | 'smaller-files' | 'less-compute' | 'faster-inference' | 'as-accurate';

/** The ALBERT-vs-BERT claims, tested with this run's own figures. */
export interface ClaimCheck {
  /** Stable name of the claim, independent of its wording. */
  readonly id: ClaimId;
  readonly claim: string;
  /** 'indistinguishable': the difference the claim rests on is within the measurement's noise. */
  readonly verdict: 'supported' | 'not supported' | 'indistinguishable' | 'not measured' | 'not comparable';
  readonly evidence: string;
}
