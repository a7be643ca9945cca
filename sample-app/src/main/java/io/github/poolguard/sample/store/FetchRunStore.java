package io.github.poolguard.sample.store;

import java.util.ArrayList;
import java.util.List;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.support.GeneratedKeyHolder;

/**
 * Records fetch runs and the outcome of each ticker, for progress, resumption and the API.
 */
public class FetchRunStore {

	private final JdbcTemplate jdbc;

	public FetchRunStore(JdbcTemplate jdbc) {
		this.jdbc = jdbc;
	}

	/**
	 * Record the start of a run.
	 * @param tickers how many tickers it covers
	 * @param forceFull whether it refetches all history
	 * @param useBrapi whether it calls the supplemental source
	 * @return the run's id
	 */
	public long start(int tickers, boolean forceFull, boolean useBrapi) {
		GeneratedKeyHolder key = new GeneratedKeyHolder();
		this.jdbc.update((connection) -> {
			var statement = connection.prepareStatement("INSERT INTO fetch_run (state, force_full, use_brapi,"
					+ " tickers_total) VALUES ('RUNNING', ?, ?, ?)", new String[] { "id" });
			statement.setBoolean(1, forceFull);
			statement.setBoolean(2, useBrapi);
			statement.setInt(3, tickers);
			return statement;
		}, key);
		return key.getKey().longValue();
	}

	/**
	 * Record the end of a run and the tickers that failed or never ran.
	 * @param runId the run
	 * @param state its final state
	 * @param ok tickers stored
	 * @param failed tickers that failed, each with its message
	 * @param notRun tickers never worked on
	 * @param rows daily rows written
	 * @param upToDate tickers left out because everything about them was fetched today
	 */
	public void finish(long runId, String state, int ok, List<String[]> failed, List<String> notRun, long rows,
			int upToDate) {
		List<Object[]> outcomes = new ArrayList<>();
		failed.forEach((failure) -> outcomes.add(new Object[] { runId, failure[0], "FAILED", failure[1] }));
		notRun.forEach((ticker) -> outcomes.add(new Object[] { runId, ticker, "NOT_RUN", null }));
		if (!outcomes.isEmpty()) {
			this.jdbc.batchUpdate("INSERT INTO fetch_run_ticker (run_id, ticker, outcome, message) VALUES (?, ?, ?, ?)"
					+ " ON CONFLICT DO NOTHING", outcomes);
		}
		this.jdbc.update("UPDATE fetch_run SET state = ?, finished_at = now(), ok = ?, failed = ?, not_run = ?,"
				+ " rows_written = ?, up_to_date = ? WHERE id = ?", state, ok, failed.size(), notRun.size(), rows,
				upToDate, runId);
	}

}
