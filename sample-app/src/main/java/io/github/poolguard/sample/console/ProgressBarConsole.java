package io.github.poolguard.sample.console;

import java.io.File;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import me.tongfei.progressbar.ConsoleProgressBarConsumer;
import me.tongfei.progressbar.ProgressBar;
import me.tongfei.progressbar.ProgressBarBuilder;
import me.tongfei.progressbar.ProgressBarStyle;
import org.jspecify.annotations.Nullable;

/**
 * One live progress bar on a terminal (me.tongfei:progressbar), redrawn in place: done/total,
 * rate, ETA, then ok/failed and the connections in use per pool.
 */
final class ProgressBarConsole implements ConsoleProgress {

	private static final int DEFAULT_WIDTH = 120;

	private final ProgressBar bar;

	private volatile @Nullable Duration eta;

	ProgressBarConsole(PrintStream out, String task, int total) {
		this.bar = new ProgressBarBuilder().setTaskName(task)
			.setInitialMax(total)
			.setStyle(ProgressBarStyle.UNICODE_BLOCK)
			.setConsumer(new ConsoleProgressBarConsumer(out, terminalWidth() - 1))
			.setUpdateIntervalMillis(250)
			.showSpeed(new DecimalFormat("0.0", DecimalFormatSymbols.getInstance(Locale.ROOT)))
			.setEtaFunction((state) -> Optional.ofNullable(this.eta))
			.build();
	}

	@Override
	public void update(RunSnapshot snapshot) {
		this.eta = snapshot.eta();
		this.bar.maxHint(snapshot.total());
		this.bar.stepTo(snapshot.done());
		this.bar.setExtraMessage(snapshot.counts());
	}

	@Override
	public void close() {
		this.bar.close();
	}

	// Given a width, the library never opens a JLine terminal, whose default signal handling would
	// replace the JVM's: Ctrl-C would kill the process instead of draining the run.
	private static int terminalWidth() {
		try {
			Process stty = new ProcessBuilder("stty", "size").redirectInput(new File("/dev/tty"))
				.redirectError(ProcessBuilder.Redirect.DISCARD)
				.start();
			String size = new String(stty.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim();
			if (stty.waitFor(2, TimeUnit.SECONDS) && stty.exitValue() == 0 && size.matches("\\d+ \\d+")) {
				return Math.max(40, Integer.parseInt(size.substring(size.indexOf(' ') + 1)));
			}
		}
		catch (IOException ex) {
			// no stty (Windows): the default width
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return DEFAULT_WIDTH;
	}

}
