/** The leaf facts of a report: one latency grid point, and a variant's memory. They import nothing of the report. */

export interface LatencyPoint {
  readonly batchSize: number;
  readonly sequenceLength: number;
  /** The median of roundP50sMs. */
  readonly p50Ms: number;
  /** p90Ms to samples are the median round's own (the round whose p50 is the median; the lower middle one for an even count). */
  readonly p90Ms: number;
  readonly p99Ms: number;
  readonly meanMs: number;
  readonly stdevMs: number;
  /** Relative margin of error of the mean, in percent (tinybench's rme). */
  readonly rmePercent: number;
  readonly samples: number;
  /** How many times the variant was timed at this point, each time in its own child process. */
  readonly rounds: number;
  /** Each round's p50, in round order. */
  readonly roundP50sMs: readonly number[];
  /** Highest minus lowest of roundP50sMs: differences below it are within this run's noise. */
  readonly spreadMs: number;
  /** When the bench run that timed it began (ISO 8601). */
  readonly measuredAt: string;
  /** The machine's 1-minute load average at measuredAt, before albench's own timing processes ran. */
  readonly loadAverage1m: number;
  /** True when the timing was taken from the cache (--reuse-timings) instead of measured by this run. */
  readonly reused: boolean;
  /** Floating-point operations of one run at this batch size and sequence length. */
  readonly flops: number;
  readonly achievedGflopsPerSecond: number;
}

export interface MemoryFacts {
  readonly peakRssAfterLoadBytes: number;
  readonly peakRssAfterRunsBytes: number;
  /** What the peaks cover, in words: which process, after how many runs, under which allocator setting (absent from reports written before it was recorded). */
  readonly covers?: string;
}
