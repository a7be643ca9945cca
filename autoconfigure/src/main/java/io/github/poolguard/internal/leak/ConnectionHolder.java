package io.github.poolguard.internal.leak;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

/**
 * Who holds a borrowed connection, at one moment.
 *
 * @param pool the name of the pool the connection came from
 * @param thread the name of the thread that borrowed it
 * @param borrowedAt when it was borrowed
 * @param heldFor how long it has been held
 * @param stack the borrowing stack, one frame a line, or {@code null} unless stacks are
 * captured
 * @param workload the workload of the borrowing thread, which chose the pool
 * @param scheduled whether the borrowing thread was running scheduled work
 */
public record ConnectionHolder(String pool, String thread, Instant borrowedAt, Duration heldFor,
		@Nullable List<String> stack, Workload workload, boolean scheduled) {

}
