/**
 * The V8 flags `tessera serve` runs with (applied by v8-tuning.ts, where each is explained), also given to
 * bench/api-overhead's apps so that they compare structure, not V8 settings.
 */
export const V8_FLAGS = ['--no-allocation-site-pretenuring', '--fast-properties-soft-limit=32'] as const;
