package io.github.poolguard.sample.console;

import java.io.PrintStream;

import org.jspecify.annotations.Nullable;

/**
 * Plain progress lines for output nobody watches live (CI logs, pipes, files): one line each
 * time another tenth of the run is done, so a run of any size prints at most ten.
 */
final class ProgressLineConsole implements ConsoleProgress {

	private final PrintStream out;

	private final String task;

	private int lastTenth;

	private @Nullable RunSnapshot last;

	ProgressLineConsole(PrintStream out, String task) {
		this.out = out;
		this.task = task;
	}

	@Override
	public void update(RunSnapshot snapshot) {
		this.last = snapshot;
		int tenth = (snapshot.total() > 0) ? (int) (10L * snapshot.done() / snapshot.total()) : 10;
		if (tenth > this.lastTenth && tenth < 10) {
			this.lastTenth = tenth;
			this.out.println(this.task + ": " + snapshot.toLine());
		}
	}

	@Override
	public void close() {
		if (this.last != null && this.last.total() > 0) {
			this.out.println(this.task + ": " + this.last.toLine());
		}
	}

}
