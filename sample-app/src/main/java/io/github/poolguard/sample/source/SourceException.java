package io.github.poolguard.sample.source;

/**
 * A market data source could not give what was asked for one ticker.
 */
public class SourceException extends RuntimeException {

	public SourceException(String message) {
		super(message);
	}

	public SourceException(String message, Throwable cause) {
		super(message, cause);
	}

}
