package io.github.poolguard.sample;

import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.ItemFailure;
import io.github.poolguard.sample.console.ConsoleProgress;
import io.github.poolguard.sample.console.RunSnapshots;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@code fetch-ward} without a web server: parses the command line, runs the batch with
 * its progress on the console, prints a summary last and returns the exit code (0 all stored, 1
 * some tickers failed or did not run, 2 bad usage). The application's log goes to a file the
 * summary names (and to the console only with {@code --verbose} or at ERROR level).
 */
public final class SampleCli {

	/**
	 * All tickers stored.
	 */
	public static final int OK = 0;

	/**
	 * Some tickers failed or never ran.
	 */
	public static final int SOME_FAILED = 1;

	/**
	 * The command line was wrong.
	 */
	public static final int USAGE = 2;

	static final String TASK = "fetch-ward";

	private static final Duration REFRESH = Duration.ofMillis(250);

	private static final Duration SUMMARY_WAIT = Duration.ofMinutes(2);

	private static final int LISTED_NOT_RUN = 20;

	private SampleCli() {
	}

	/**
	 * Run {@code fetch-ward} with the arguments that follow it.
	 * @param args the arguments after {@code fetch-ward}
	 * @param out where progress and the summary go
	 * @param err where usage errors go
	 * @return the exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		FetchCommand.Invocation invocation;
		try {
			invocation = FetchCommand.parse(Arrays.asList(args));
		}
		catch (FetchCommand.UsageException ex) {
			return usage(err, ex.getMessage());
		}
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.addListeners(new EmbeddedDatabase());
		application.setDefaultProperties(commandDefaults(invocation.verbose()));
		String logFile = defaultLogFile();
		CountDownLatch finished = new CountDownLatch(1);
		Thread waitForSummary = new Thread(() -> awaitQuietly(finished), "fetch-ward-summary");
		Runtime.getRuntime().addShutdownHook(waitForSummary);
		try {
			return run(invocation, application, logFile, out, err);
		}
		finally {
			finished.countDown();
			try {
				Runtime.getRuntime().removeShutdownHook(waitForSummary);
			}
			catch (IllegalStateException ex) {
				// shutting down (Ctrl-C, SIGTERM): the hook has let the summary through
			}
		}
	}

	private static int run(FetchCommand.Invocation invocation, SpringApplication application, String defaultLogFile,
			PrintStream out, PrintStream err) {
		String logFile = defaultLogFile;
		Outcome outcome;
		try (ConfigurableApplicationContext context = application.run(invocation.settings().toArray(String[]::new))) {
			logFile = context.getEnvironment().getProperty("logging.file.name", logFile);
			FetchHandle handle;
			try {
				handle = context.getBean(FetchJob.class).start(invocation.request());
			}
			catch (IllegalArgumentException ex) {
				return usage(err, ex.getMessage());
			}
			boolean terminal = out == System.out && !invocation.verbose() && ConsoleProgress.isTerminal();
			outcome = follow(handle, context.getBeansOfType(HikariDataSource.class).values(), out, terminal);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			err.println(TASK + ": interrupted");
			return SOME_FAILED;
		}
		catch (RuntimeException ex) {
			err.println(TASK + ": could not run: " + ex.getMessage() + " (details in " + logFile + ")");
			return SOME_FAILED;
		}
		printSummary(out, outcome, logFile);
		return outcome.report().isSuccessful() ? OK : SOME_FAILED;
	}

	// On Ctrl-C or SIGTERM the JVM halts once its shutdown hooks end: this one holds it until the
	// drained run's summary is printed.
	private static void awaitQuietly(CountDownLatch finished) {
		try {
			finished.await(SUMMARY_WAIT.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Outcome follow(FetchHandle handle, Collection<HikariDataSource> pools, PrintStream out,
			boolean terminal) throws InterruptedException {
		int total = handle.progress().total();
		out.println(TASK + ": " + total + " tickers to fetch, " + handle.upToDate() + " up to date (fetched today)");
		BatchReport<String> report;
		if (total == 0) {
			report = handle.await();
		}
		else {
			try (ConsoleProgress progress = ConsoleProgress.create(out, TASK, total, terminal)) {
				while ((report = handle.await(REFRESH)) == null) {
					progress.update(RunSnapshots.of(handle.progress(), pools));
				}
				progress.update(RunSnapshots.of(report.progress(), pools));
			}
		}
		return new Outcome(handle.getId(), report, handle.rowsWritten(), handle.upToDate());
	}

	// The command starts only what its run uses: the log goes to a file, web-only beans stay unmade and
	// JPA (the read API's) stays off, which halves the start-up that dominates a same-day rerun.
	private static Map<String, Object> commandDefaults(boolean verbose) {
		Map<String, Object> defaults = new LinkedHashMap<>();
		defaults.put("logging.file.name", defaultLogFile());
		defaults.put("spring.main.lazy-initialization", true);
		defaults.put("spring.autoconfigure.exclude",
				"org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration,"
						+ "org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration");
		if (!verbose) {
			defaults.put("logging.threshold.console", "ERROR");
			defaults.put("spring.main.banner-mode", "log");
		}
		return defaults;
	}

	private static String defaultLogFile() {
		return Path.of(System.getProperty("user.home"), ".poolguard-sample", "fetch-ward.log").toString();
	}

	private static int usage(PrintStream err, String message) {
		err.println(TASK + ": " + message);
		err.println(FetchCommand.USAGE);
		return USAGE;
	}

	static void printSummary(PrintStream out, Outcome outcome, String logFile) {
		BatchProgress progress = outcome.report().progress();
		out.printf("%s: run #%d %s in %s: %d tickers, ok=%d failed=%d not-run=%d up-to-date=%d; %,d daily rows written%n",
				TASK, outcome.runId(), progress.state().name().toLowerCase(Locale.ROOT), seconds(progress),
				progress.total() + outcome.upToDate(), progress.succeeded(), progress.failed(), progress.notRun(),
				outcome.upToDate(), outcome.rows());
		for (ItemFailure<String> failure : outcome.report().failures()) {
			out.println("  failed " + failure.item() + ": " + failure.cause().getMessage());
		}
		List<String> notRun = outcome.report().notRun();
		if (!notRun.isEmpty()) {
			String listed = String.join(" ", notRun.subList(0, Math.min(notRun.size(), LISTED_NOT_RUN)));
			String more = (notRun.size() > LISTED_NOT_RUN) ? " … and " + (notRun.size() - LISTED_NOT_RUN) + " more" : "";
			out.println("  not run (rerun to fetch them): " + listed + more);
		}
		out.println("  log: " + logFile);
	}

	private static String seconds(BatchProgress progress) {
		return String.format(Locale.ROOT, "%.1fs", progress.elapsed().toMillis() / 1000.0);
	}

	record Outcome(long runId, BatchReport<String> report, long rows, int upToDate) {
	}

}
