/**
 * The naive ticker fetch ({@code sample.fetch.mode=naive}): the anti-pattern PoolGuard replaces,
 * kept only for the benchmarks.
 */
package io.github.poolguard.sample.naive;
