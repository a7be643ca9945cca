package io.github.poolguard.sample.fetch;

/**
 * Thrown when a fetch is asked for while another runs.
 */
public class FetchAlreadyRunningException extends RuntimeException {

	private final long runningId;

	public FetchAlreadyRunningException(long runningId) {
		super("Fetch run " + runningId + " is still running");
		this.runningId = runningId;
	}

	public long getRunningId() {
		return this.runningId;
	}

}
