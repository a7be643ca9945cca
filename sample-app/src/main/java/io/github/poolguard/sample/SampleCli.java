package io.github.poolguard.sample;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import io.github.poolguard.batch.BatchProgress;
import io.github.poolguard.batch.BatchReport;
import io.github.poolguard.batch.ItemFailure;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.sample.fetch.FetchRequest;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Runs {@code fetch-ward} without a web server: parses the command line, runs the batch, prints
 * a summary and returns the exit code (0 all stored, 1 some tickers failed or did not run, 2 bad
 * usage).
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

	private SampleCli() {
	}

	/**
	 * Run {@code fetch-ward} with the arguments that follow it.
	 * @param args the arguments after {@code fetch-ward}
	 * @param out where the summary goes
	 * @param err where usage errors go
	 * @return the exit code
	 */
	public static int run(String[] args, PrintStream out, PrintStream err) {
		List<String> springArgs = new ArrayList<>();
		FetchRequest request;
		try {
			request = FetchCommand.parse(Arrays.asList(args), springArgs);
		}
		catch (FetchCommand.UsageException ex) {
			err.println("fetch-ward: " + ex.getMessage());
			err.println(FetchCommand.USAGE);
			return USAGE;
		}
		String[] settings = springArgs.toArray(String[]::new);
		EmbeddedDatabase.startIfNoDatasourceConfigured(settings);
		SpringApplication application = new SpringApplication(SampleApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		try (ConfigurableApplicationContext context = application.run(settings)) {
			FetchHandle handle;
			try {
				handle = context.getBean(FetchJob.class).start(request);
			}
			catch (IllegalArgumentException ex) {
				err.println("fetch-ward: " + ex.getMessage());
				err.println(FetchCommand.USAGE);
				return USAGE;
			}
			BatchReport<String> report = handle.await();
			printSummary(out, handle.getId(), report, handle.rowsWritten());
			return report.isSuccessful() ? OK : SOME_FAILED;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			err.println("fetch-ward: interrupted");
			return SOME_FAILED;
		}
	}

	static void printSummary(PrintStream out, long runId, BatchReport<String> report, long rows) {
		BatchProgress progress = report.progress();
		out.printf("fetch-ward: run #%d %s in %s: %d tickers, ok=%d failed=%d not-run=%d; %,d daily rows written%n",
				runId, progress.state().name().toLowerCase(java.util.Locale.ROOT), seconds(progress), progress.total(),
				progress.succeeded(), progress.failed(), progress.notRun(), rows);
		for (ItemFailure<String> failure : report.failures()) {
			out.println("  failed " + failure.item() + ": " + failure.cause().getMessage());
		}
		if (!report.notRun().isEmpty()) {
			out.println("  not run (rerun to fetch them): " + String.join(" ", report.notRun()));
		}
	}

	private static String seconds(BatchProgress progress) {
		return String.format(java.util.Locale.ROOT, "%.1fs", progress.elapsed().toMillis() / 1000.0);
	}

}
