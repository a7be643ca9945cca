package io.github.poolguard.actuate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.leak.ConnectionHolder;
import io.github.poolguard.leak.ConnectionHolders;
import io.github.poolguard.monitor.ConnectionsOverview;
import io.github.poolguard.monitor.ConnectionsOverview.Assessment;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;

/**
 * {@code /actuator/poolguard}: the connections verdict with its warnings, the server sample,
 * both pools, the budget, the current connection holders and the batch runs. Answers from
 * memory; never borrows a connection.
 */
@Endpoint(id = "poolguard")
public class PoolGuardEndpoint {

	private final @Nullable ConnectionsOverview overview;

	private final @Nullable ConnectionHolders holders;

	private final List<BatchRuns> batchRuns;

	/**
	 * Create the endpoint.
	 * @param overview assesses the connections, or {@code null} when the monitor does not run
	 * @param holders the holder tracker, or {@code null} when holders are not tracked
	 * @param batchRuns the sources of batch runs, possibly none
	 */
	public PoolGuardEndpoint(@Nullable ConnectionsOverview overview, @Nullable ConnectionHolders holders,
			List<BatchRuns> batchRuns) {
		this.overview = overview;
		this.holders = holders;
		this.batchRuns = List.copyOf(batchRuns);
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
			Assessment assessment = this.overview.assess();
			result.put("status", assessment.status().name());
			result.putAll(assessment.toDetails());
		}
		if (this.holders != null) {
			List<Map<String, Object>> holders = new ArrayList<>();
			for (ConnectionHolder holder : this.holders.getHolders()) {
				Map<String, Object> entry = new LinkedHashMap<>();
				entry.put("pool", holder.pool());
				entry.put("thread", holder.thread());
				entry.put("workload", holder.workload().name());
				entry.put("scheduled", holder.scheduled());
				entry.put("borrowedAt", holder.borrowedAt().toString());
				entry.put("heldFor", holder.heldFor().toString());
				if (holder.stack() != null) {
					entry.put("stack", holder.stack());
				}
				holders.add(entry);
			}
			result.put("holders", holders);
			result.put("leaks", this.holders.getLeakCount());
		}
		List<Map<String, Object>> batches = new ArrayList<>();
		for (BatchRuns source : this.batchRuns) {
			for (BatchRunDescriptor run : source.getBatchRuns()) {
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
				batches.add(entry);
			}
		}
		result.put("batches", batches);
		return result;
	}

}
