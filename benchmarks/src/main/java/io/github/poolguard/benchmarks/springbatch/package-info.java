/**
 * A Spring Batch job next to an open-loop API load, with and without PoolGuard.
 */
package io.github.poolguard.benchmarks.springbatch;
