/**
 * Benchmarks: JMH micro-benchmarks and scenario runs, each reported as a ratio against a
 * baseline measured side by side in the same run.
 */
package io.github.poolguard.benchmarks;
