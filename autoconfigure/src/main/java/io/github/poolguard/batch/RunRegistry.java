package io.github.poolguard.batch;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * The runs an executor knows: the ones in flight with their dispatchers, and the last
 * {@value #RECENT_RUNS} finished ones. Ends runs: frees the claim, moves the run to the recent
 * ones, reports and logs its end.
 */
final class RunRegistry {

	private static final Log logger = LogFactory.getLog(ThrottlingExecutor.class);

	private static final int RECENT_RUNS = 20;

	private final Map<BatchRun<?>, RunDispatcher<?>> active = new ConcurrentHashMap<>();

	private final Deque<BatchRun<?>> recent = new ArrayDeque<>();

	void add(BatchRun<?> run, RunDispatcher<?> dispatcher) {
		this.active.put(run, dispatcher);
	}

	List<BatchProgress> progress() {
		List<BatchProgress> runs = new ArrayList<>();
		this.active.keySet().forEach((run) -> runs.add(run.progress()));
		synchronized (this.recent) {
			this.recent.forEach((run) -> runs.add(run.progress()));
		}
		runs.sort((a, b) -> b.startedAt().compareTo(a.startedAt()));
		return runs;
	}

	@Nullable BatchRun<?> findActive(String name) {
		BatchRun<?> found = null;
		for (BatchRun<?> run : this.active.keySet()) {
			if (run.getName().equals(name)
					&& (found == null || run.progress().startedAt().isAfter(found.progress().startedAt()))) {
				found = run;
			}
		}
		return found;
	}

	Map<BatchRun<?>, RunDispatcher<?>> active() {
		return Map.copyOf(this.active);
	}

	/**
	 * End a run: free its claim and move it to the recent runs before reporting its end, so
	 * whoever waits for the report sees it among the recent runs and can claim the name again.
	 */
	<T> void finish(BatchRun<T> run, BatchState state, BatchClaims.@Nullable BatchClaim claim) {
		if (claim != null) {
			claim.close();
		}
		if (this.active.remove(run) != null) {
			remember(run);
		}
		logSummary(run.finish(state));
	}

	void remember(BatchRun<?> run) {
		synchronized (this.recent) {
			this.recent.addFirst(run);
			while (this.recent.size() > RECENT_RUNS) {
				this.recent.removeLast();
			}
		}
	}

	private static void logSummary(BatchReport<?> report) {
		for (ItemFailure<?> failure : report.failures()) {
			logger.warn(report.progress().name() + ": item " + failure.describe());
		}
		String summary = report.progress().toSummaryLine();
		if (report.notRun().isEmpty()) {
			logger.info(summary);
		}
		else {
			logger.warn(summary + "; items not run: " + abbreviate(report.notRun()));
		}
	}

	private static String abbreviate(List<?> items) {
		if (items.size() <= 20) {
			return items.toString();
		}
		return items.subList(0, 20) + " and " + (items.size() - 20) + " more";
	}

}
