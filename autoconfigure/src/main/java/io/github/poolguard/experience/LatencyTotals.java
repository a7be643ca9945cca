package io.github.poolguard.experience;

/**
 * How many operations finished and how long they took in total, since some fixed start.
 *
 * @param count the operations finished
 * @param totalNanos their total duration
 */
public record LatencyTotals(long count, long totalNanos) {

}
