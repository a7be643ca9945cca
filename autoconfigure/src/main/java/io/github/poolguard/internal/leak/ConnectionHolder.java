package io.github.poolguard.internal.leak;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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

	/**
	 * Return the holder as {@code /actuator/poolguard} shows it: {@code pool}, {@code thread},
	 * {@code workload}, {@code scheduled}, {@code borrowedAt}, {@code heldFor}, and
	 * {@code stack} when captured.
	 * @return the details, in that order
	 */
	public Map<String, Object> toDetails() {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("pool", this.pool);
		entry.put("thread", this.thread);
		entry.put("workload", this.workload.name());
		entry.put("scheduled", this.scheduled);
		entry.put("borrowedAt", this.borrowedAt.toString());
		entry.put("heldFor", this.heldFor.toString());
		if (this.stack != null) {
			entry.put("stack", this.stack);
		}
		return entry;
	}

}
