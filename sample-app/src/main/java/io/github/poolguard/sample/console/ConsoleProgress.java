package io.github.poolguard.sample.console;

import java.io.PrintStream;

/**
 * Shows a run's progress on the console; {@link #close()} leaves the last state shown and the
 * cursor on a new line, so what is printed next starts cleanly.
 */
public interface ConsoleProgress extends AutoCloseable {

	/**
	 * Show the progress now.
	 * @param snapshot the progress
	 */
	void update(RunSnapshot snapshot);

	/**
	 * Show the final progress and release the console.
	 */
	@Override
	void close();

	/**
	 * Return a live progress bar when the output is a terminal, plain lines otherwise.
	 * @param out where progress goes
	 * @param task the name shown before the progress
	 * @param total tickers in the run
	 * @param terminal whether {@code out} is a terminal a person watches
	 * @return the progress display
	 */
	static ConsoleProgress create(PrintStream out, String task, int total, boolean terminal) {
		return terminal ? new ProgressBarConsole(out, task, total) : new ProgressLineConsole(out, task);
	}

	/**
	 * Return whether this process writes to an interactive terminal (not a pipe, file or CI log).
	 * @return {@code true} on a terminal
	 */
	static boolean isTerminal() {
		java.io.Console console = System.console();
		if (console == null) {
			return false;
		}
		try {
			// Java 22+ returns a console even when redirected; isTerminal() then tells.
			return (Boolean) java.io.Console.class.getMethod("isTerminal").invoke(console);
		}
		catch (ReflectiveOperationException ex) {
			return true;
		}
	}

}
