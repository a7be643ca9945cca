package io.github.poolguard.sample.naive;

import java.time.Clock;
import java.time.LocalDate;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.poolguard.sample.fetch.FetchRequest;
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

import org.springframework.beans.factory.DisposableBean;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * The ticker fetch the way the original script did it, kept only so the benchmarks can measure
 * what PoolGuard replaces: every ticker on a plain fixed thread pool (16 threads by default) on
 * the app pool, in one transaction that is opened before the source calls and so holds a
 * connection while waiting on the network. Never use this shape in an application.
 */
public class NaiveFetchJob implements DisposableBean {

	private static final Log logger = LogFactory.getLog(NaiveFetchJob.class);

	private final ExecutorService threads;

	private final WardSource ward;

	private final BrapiSource brapi;

	private final QuoteStore quotes;

	private final FetchRunStore runs;

	private final TransactionTemplate transactions;

	private final TickerUniverse universe;

	private final int historyDays;

	private final Clock clock;

	private final AtomicReference<NaiveFetchRun> current = new AtomicReference<>();

	public NaiveFetchJob(int threads, WardSource ward, BrapiSource brapi, QuoteStore quotes,
			FetchRunStore runs, TransactionTemplate transactions, TickerUniverse universe, int historyDays, Clock clock) {
		AtomicInteger threadCount = new AtomicInteger();
		this.threads = Executors.newFixedThreadPool(threads, (task) -> {
			Thread thread = new Thread(task, "naive-fetch-" + threadCount.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.ward = ward;
		this.brapi = brapi;
		this.quotes = quotes;
		this.runs = runs;
		this.transactions = transactions;
		this.universe = universe;
		this.historyDays = historyDays;
		this.clock = clock;
	}

	/**
	 * Start a run: every ticker is submitted at once.
	 * @param request what to fetch
	 * @return the run
	 * @throws IllegalStateException when a run is in progress
	 */
	public synchronized NaiveFetchRun start(FetchRequest request) {
		NaiveFetchRun running = this.current.get();
		if (running != null && !running.isFinished()) {
			throw new IllegalStateException("Naive fetch run " + running.getId() + " is still running");
		}
		List<String> tickers = request.tickers().isEmpty() ? this.universe.tickers() : request.tickers();
		long runId = this.runs.start(tickers.size(), request.forceFull(), request.useBrapi());
		NaiveFetchRun run = new NaiveFetchRun(runId, tickers.size());
		this.current.set(run);
		LocalDate today = LocalDate.now(this.clock);
		AtomicInteger left = new AtomicInteger(tickers.size());
		ConcurrentLinkedQueue<String[]> failures = new ConcurrentLinkedQueue<>();
		for (String ticker : tickers) {
			this.threads.execute(() -> {
				try {
					run.rows.addAndGet(fetch(runId, ticker, request, today));
					run.ok.incrementAndGet();
				}
				catch (RuntimeException ex) {
					run.failed.incrementAndGet();
					failures.add(new String[] { ticker, String.valueOf(ex.getMessage()) });
					logger.warn("Naive fetch of " + ticker + " failed: " + ex.getMessage());
				}
				finally {
					if (left.decrementAndGet() == 0) {
						finish(run, List.copyOf(failures));
					}
				}
			});
		}
		return run;
	}

	/**
	 * Return the run in progress or the last one started.
	 * @return the run, or {@code null} before the first one
	 */
	public NaiveFetchRun current() {
		return this.current.get();
	}

	// The anti-pattern: the transaction (and its connection) is open across the source calls.
	private int fetch(long runId, String ticker, FetchRequest request, LocalDate today) {
		Integer rows = this.transactions.execute((status) -> {
			LocalDate full = today.minusDays(this.historyDays);
			LocalDate from = request.forceFull() ? full
					: this.quotes.lastTradeDate(ticker).map((last) -> last.plusDays(1)).orElse(full);
			CompanyProfile profile = this.ward.profile(ticker);
			List<DailyBar> bars = this.ward.history(ticker, from);
			Fundamentals fundamentals = request.useBrapi() ? this.brapi.fundamentals(ticker) : null;
			return this.quotes.write(runId, ticker, this.clock.instant(), profile, bars, fundamentals);
		});
		return (rows != null) ? rows : 0;
	}

	private void finish(NaiveFetchRun run, List<String[]> failures) {
		try {
			this.runs.finish(run.getId(), "COMPLETED", run.getOk(), failures, List.of(), run.getRowsWritten(), 0);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not record the end of naive fetch run " + run.getId() + ": " + ex.getMessage());
		}
		run.finish();
		logger.info("Naive fetch run " + run.getId() + " finished in " + run.elapsed().toMillis() + " ms: "
				+ run.getOk() + " ok, " + run.getFailed() + " failed, " + run.getRowsWritten() + " rows");
	}

	@Override
	public void destroy() {
		this.threads.shutdownNow();
	}

}
