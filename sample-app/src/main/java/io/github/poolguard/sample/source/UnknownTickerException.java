package io.github.poolguard.sample.source;

/**
 * The source does not know the ticker (HTTP 404). Not retried.
 */
public class UnknownTickerException extends SourceException {

	public UnknownTickerException(String source, String ticker) {
		super(source + " does not know ticker " + ticker);
	}

}
