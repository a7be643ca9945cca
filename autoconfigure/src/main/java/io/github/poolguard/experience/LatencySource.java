package io.github.poolguard.experience;

/**
 * Something the application does repeatedly whose duration it feels, summed since start: app
 * connection borrows (wait plus hold), HTTP requests. Must answer from memory, at once.
 */
public interface LatencySource {

	/**
	 * Return what is measured, for the sentence that reports a slowdown.
	 * @return a plain name such as "app connection wait and hold"
	 */
	String name();

	/**
	 * Return the totals so far; two totals taken some time apart give the mean duration of
	 * what finished in between.
	 * @return the totals
	 */
	LatencyTotals totals();

}
