package io.github.poolguard.sample.console;

import java.io.PrintStream;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;

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

	private final ProgressBar bar;

	private volatile @Nullable Duration eta;

	ProgressBarConsole(PrintStream out, String task, int total) {
		this.bar = new ProgressBarBuilder().setTaskName(task)
			.setInitialMax(total)
			.setStyle(ProgressBarStyle.UNICODE_BLOCK)
			.setConsumer(new ConsoleProgressBarConsumer(out))
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

}
