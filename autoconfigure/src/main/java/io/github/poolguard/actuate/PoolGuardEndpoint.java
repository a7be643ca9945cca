package io.github.poolguard.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.assessment.ConnectionsSnapshot;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.Selector;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * {@code /actuator/poolguard}: the connections verdict with its warnings, the server sample,
 * both pools, the budget, the current connection holders and the batch runs. Answers from
 * memory; never borrows a connection. Its write operation ({@code POST
 * /actuator/poolguard/{run}}) pauses, resumes, cancels or re-limits a running batch. The
 * endpoint's default access is read-only: anyone who can reach it could stop the batch, so the
 * write operation exists only after an explicit
 * {@code management.endpoint.poolguard.access=unrestricted} (then expose the endpoint only behind
 * the management port or Spring Security).
 */
@Endpoint(id = "poolguard", defaultAccess = Access.READ_ONLY)
public class PoolGuardEndpoint {

	private final @Nullable ConnectionsAssessment overview;

	private final @Nullable Supplier<Map<String, Object>> holders;

	private final List<BatchRuns> batchRuns;

	private final List<BatchRunControls> batchControls;

	/**
	 * Create the endpoint.
	 * @param overview assesses the connections, or {@code null} when the monitor does not run
	 * @param holders supplies who holds connections now, as the endpoint shows it:
	 * {@code holders} (each with {@code pool}, {@code thread}, {@code workload},
	 * {@code scheduled}, {@code borrowedAt}, {@code heldFor} and {@code stack} when captured) and
	 * {@code leaks}; or {@code null} when holders are not tracked
	 * @param batchRuns the sources of batch runs, possibly none
	 */
	public PoolGuardEndpoint(@Nullable ConnectionsAssessment overview, @Nullable Supplier<Map<String, Object>> holders,
			List<BatchRuns> batchRuns) {
		this(overview, holders, batchRuns, List.of());
	}

	/**
	 * Create the endpoint with batch controls.
	 * @param overview assesses the connections, or {@code null} when the monitor does not run
	 * @param holders supplies who holds connections now ({@code holders} and {@code leaks}), or
	 * {@code null} when holders are not tracked
	 * @param batchRuns the sources of batch runs, possibly none
	 * @param batchControls what acts on running batches, possibly none
	 */
	public PoolGuardEndpoint(@Nullable ConnectionsAssessment overview, @Nullable Supplier<Map<String, Object>> holders,
			List<BatchRuns> batchRuns, List<BatchRunControls> batchControls) {
		this.overview = overview;
		this.holders = holders;
		this.batchRuns = List.copyOf(batchRuns);
		this.batchControls = List.copyOf(batchControls);
	}

	/**
	 * Act on the running batch of the given name.
	 * @param run the batch run's name
	 * @param action {@code pause}, {@code resume}, {@code cancel} or {@code concurrency}
	 * @param concurrency the new number of items in flight, for {@code concurrency}
	 * @param securityContext who asks, logged with the action
	 * @return the run after the action ({@code name}, {@code state}, {@code done}…), or an
	 * {@code error} when no run of that name is in flight or the value is out of range
	 */
	@WriteOperation
	public Map<String, Object> control(@Selector String run, BatchRunAction action, @Nullable Integer concurrency,
			SecurityContext securityContext) {
		if (action == BatchRunAction.CONCURRENCY && concurrency == null) {
			return Map.of("error", "action 'concurrency' needs a 'concurrency' value");
		}
		String actor = actor(securityContext);
		for (BatchRunControls controls : this.batchControls) {
			try {
				BatchRunDescriptor result = controls.apply(run, action, concurrency, actor);
				if (result != null) {
					return describe(result);
				}
			}
			catch (IllegalArgumentException ex) {
				return Map.of("error", String.valueOf(ex.getMessage()));
			}
		}
		return Map.of("error", "no batch run named '" + run + "' is in flight");
	}

	private static String actor(@Nullable SecurityContext securityContext) {
		if (securityContext != null && securityContext.getPrincipal() != null) {
			return "'" + securityContext.getPrincipal().getName() + "' through /actuator/poolguard";
		}
		return "an anonymous caller through /actuator/poolguard";
	}

	/**
	 * Return everything PoolGuard knows about the application's connections.
	 * @return {@code status}, {@code reason}, {@code server}, {@code pools}, {@code budget},
	 * {@code warnings}, {@code holders}, {@code batches}
	 */
	@ReadOperation
	public Map<String, Object> poolguard() {
		Map<String, Object> result = new LinkedHashMap<>();
		if (this.overview != null) {
			ConnectionsSnapshot snapshot = this.overview.assess();
			result.put("status", snapshot.status().name());
			result.putAll(snapshot.toDetails());
		}
		if (this.holders != null) {
			result.putAll(this.holders.get());
		}
		List<Map<String, Object>> batches = new ArrayList<>();
		for (BatchRuns source : this.batchRuns) {
			for (BatchRunDescriptor run : source.getBatchRuns()) {
				Map<String, Object> entry = describe(run);
				batches.add(entry);
			}
		}
		result.put("batches", batches);
		return result;
	}

	private static Map<String, Object> describe(BatchRunDescriptor run) {
		Map<String, Object> entry = new LinkedHashMap<>();
		entry.put("name", run.name());
		entry.put("state", run.state());
		entry.put("done", run.done());
		entry.put("total", run.total());
		entry.put("failed", run.failed());
		entry.put("retries", run.retries());
		entry.put("ratePerSecond", run.ratePerSecond());
		if (run.eta() != null) {
			entry.put("eta", run.eta().toString());
		}
		if (run.concurrency() > 0) {
			entry.put("concurrency", run.concurrency());
		}
		entry.putAll(run.details());
		return entry;
	}

}
