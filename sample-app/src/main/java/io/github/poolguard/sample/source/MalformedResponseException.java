package io.github.poolguard.sample.source;

/**
 * The source answered with a body that cannot be read. Not retried.
 */
public class MalformedResponseException extends SourceException {

	public MalformedResponseException(String message, Throwable cause) {
		super(message, cause);
	}

}
