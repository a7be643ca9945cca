package io.github.poolguard.sample.fetch;

import java.time.Clock;
import java.time.LocalDate;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.ItemContext;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.sample.source.BrapiSource;
import io.github.poolguard.sample.source.CompanyProfile;
import io.github.poolguard.sample.source.DailyBar;
import io.github.poolguard.sample.source.Fundamentals;
import io.github.poolguard.sample.source.WardSource;
import io.github.poolguard.sample.store.FetchRunStore;
import io.github.poolguard.sample.store.QuoteStore;
import io.github.poolguard.sample.universe.TickerUniverse;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * The ticker-fetch job, done the way it should be: every ticker is a task on PoolGuard's
 * throttling executor (so on the background pool, a few at a time, in chunks, yielding to the
 * app); each task fetches from the network first, holding no database connection, and then
 * writes in one short transaction. The two database steps are marked with
 * {@link ItemContext#database}, so more tickers can be fetched at once than write at once. A
 * ticker whose parts were all fetched today is not run at all (see {@link FetchPlan}).
 */
public class FetchJob {

	private static final Log logger = LogFactory.getLog(FetchJob.class);

	private final ThrottlingExecutor executor;

	private final WardSource ward;

	private final BrapiSource brapi;

	private final QuoteStore quotes;

	private final FetchRunStore runs;

	private final TickerUniverse universe;

	private final int historyDays;

	private final Clock clock;

	private final AtomicReference<FetchHandle> current = new AtomicReference<>();

	public FetchJob(ThrottlingExecutor executor, WardSource ward, BrapiSource brapi, QuoteStore quotes,
			FetchRunStore runs, TickerUniverse universe, int historyDays, Clock clock) {
		this.executor = executor;
		this.ward = ward;
		this.brapi = brapi;
		this.quotes = quotes;
		this.runs = runs;
		this.universe = universe;
		this.historyDays = historyDays;
		this.clock = clock;
	}

	/**
	 * Start a fetch run.
	 * @param request what to fetch
	 * @return the run
	 * @throws FetchAlreadyRunningException when a run is in progress
	 * @throws IllegalArgumentException when there is nothing to fetch
	 */
	public synchronized FetchHandle start(FetchRequest request) {
		FetchHandle running = this.current.get();
		if (running != null && !running.progress().state().isFinished()) {
			throw new FetchAlreadyRunningException(running.getId());
		}
		List<String> tickers = request.tickers().isEmpty() ? this.universe.tickers() : request.tickers();
		if (tickers.isEmpty()) {
			throw new IllegalArgumentException("Nothing to fetch: no tickers were named and the universe is empty"
					+ " (sample.universe.size is " + this.universe.configuredSize() + "; set it to 1 or more)");
		}
		LocalDate today = LocalDate.now(this.clock);
		Map<String, FetchPlan> plans = new LinkedHashMap<>();
		Workload.BACKGROUND.get(() -> this.quotes.stored(tickers))
			.stream()
			.map((stored) -> FetchPlan.of(stored, request, today, this.clock.getZone()))
			.filter((plan) -> !plan.isUpToDate())
			.forEach((plan) -> plans.put(plan.ticker(), plan));
		int upToDate = tickers.size() - plans.size();
		long runId = Workload.BACKGROUND.get(() -> this.runs.start(tickers.size(), request.forceFull(), request.useBrapi()));
		AtomicLong rows = new AtomicLong();
		BatchRun<String> run = this.executor.run("fetch-ward", plans.keySet(),
				(ticker, db) -> rows.addAndGet(fetch(runId, plans.get(ticker), request, today, db)));
		CompletableFuture<BatchReport<String>> recorded = run.completion().thenApply((report) -> {
			Workload.BACKGROUND.run(() -> record(runId, report, rows.get(), upToDate));
			return report;
		});
		FetchHandle handle = new FetchHandle(runId, run, rows, upToDate, recorded);
		this.current.set(handle);
		return handle;
	}

	/**
	 * Return the run in progress or the last one started.
	 * @return the handle, or {@code null} before the first run
	 */
	public FetchHandle current() {
		return this.current.get();
	}

	// only the two database steps hold a background connection; the network calls run outside them
	private int fetch(long runId, FetchPlan plan, FetchRequest request, LocalDate today, ItemContext db)
			throws Exception {
		String ticker = plan.ticker();
		LocalDate full = today.minusDays(this.historyDays);
		LocalDate from = (!plan.quotes() || request.forceFull()) ? full
				: db.database(() -> this.quotes.lastTradeDate(ticker)).map((last) -> last.plusDays(1)).orElse(full);
		CompanyProfile profile = plan.profile() ? this.ward.profile(ticker) : null;
		List<DailyBar> bars = plan.quotes() ? this.ward.history(ticker, from) : null;
		Fundamentals fundamentals = plan.fundamentals() ? this.brapi.fundamentals(ticker) : null;
		return db.database(() -> this.quotes.write(runId, ticker, this.clock.instant(), profile, bars, fundamentals));
	}

	private void record(long runId, BatchReport<String> report, long rows, int upToDate) {
		try {
			List<String[]> failed = report.failures()
				.stream()
				.map((failure) -> new String[] { failure.item(), failure.cause().getMessage() })
				.toList();
			this.runs.finish(runId, report.progress().state().name(), report.progress().succeeded(), failed,
					report.notRun(), rows, upToDate);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the end of fetch run " + runId + ": " + ex.getMessage());
		}
	}

}
