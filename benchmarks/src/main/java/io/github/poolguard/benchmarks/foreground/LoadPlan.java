package io.github.poolguard.benchmarks.foreground;

/**
 * Which load a suite drives the read API with, the same in every phase of every round.
 */
interface LoadPlan {

	/**
	 * Return a new load (not started) for one phase.
	 * @param mix the requests to send
	 * @return the load
	 */
	Load create(ReadApiMix mix);

	/**
	 * Called in every round after the warm-up, before the idle baseline: a plan may measure the
	 * app here (at most once).
	 * @param round the round
	 * @param mix the requests to send
	 * @throws InterruptedException if interrupted
	 */
	default void calibrate(Round round, ReadApiMix mix) throws InterruptedException {
	}

	/**
	 * Return the load in words, for the report and the chart's title.
	 * @return e.g. "32 closed-loop clients"
	 */
	String describe();

	/**
	 * Return the plan's figures as JSON members (each followed by a comma and a new line).
	 * @return the members, or an empty string
	 */
	default String jsonMembers() {
		return "";
	}

	/**
	 * A closed loop of a fixed number of clients.
	 * @param clients how many
	 * @return the plan
	 */
	static LoadPlan closedLoop(int clients) {
		return new LoadPlan() {

			@Override
			public Load create(ReadApiMix mix) {
				return new ClosedLoopLoad(mix, clients);
			}

			@Override
			public String describe() {
				return clients + " closed-loop clients";
			}

			@Override
			public String jsonMembers() {
				return "  \"clients\": " + clients + ",\n";
			}

		};
	}

}
