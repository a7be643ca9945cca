package io.github.poolguard.sample.source;

import java.time.Duration;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import io.github.poolguard.sample.SampleProperties;
import org.springframework.http.HttpHeaders;
import org.springframework.web.client.HttpClientErrorException;
import org.springframework.web.client.HttpServerErrorException;
import org.springframework.web.client.ResourceAccessException;
import org.springframework.web.client.RestClientException;

/**
 * The HTTP behaviour every source shares: 404 means the ticker is unknown (no retry); 429 waits
 * for {@code Retry-After} and retries; 5xx and timeouts retry with exponential backoff; a body
 * that cannot be read fails the ticker with a clear message.
 */
public class HttpCalls {

	private static final Log logger = LogFactory.getLog(HttpCalls.class);

	private final String source;

	private final SampleProperties.Source settings;

	/**
	 * Create the call policy of one source.
	 * @param source the source's name, for messages
	 * @param settings its settings
	 */
	public HttpCalls(String source, SampleProperties.Source settings) {
		this.source = source;
		this.settings = settings;
	}

	/**
	 * Make a call for one ticker under this policy.
	 * @param <T> the result type
	 * @param ticker the ticker, for messages
	 * @param call the call
	 * @return the result
	 */
	public <T> T call(String ticker, Supplier<T> call) {
		Duration backoff = this.settings.getInitialBackoff();
		int maxAttempts = Math.max(1, this.settings.getMaxAttempts());
		for (int attempt = 1;; attempt++) {
			try {
				return call.get();
			}
			catch (HttpClientErrorException.NotFound ex) {
				throw new UnknownTickerException(this.source, ticker);
			}
			catch (HttpClientErrorException.TooManyRequests ex) {
				Duration wait = retryAfter(ex.getResponseHeaders(), backoff);
				if (wait.compareTo(this.settings.getMaxRetryAfter()) > 0 || attempt >= maxAttempts) {
					throw new SourceException(this.source + " is rate limiting requests for " + ticker + " (attempt "
							+ attempt + ", Retry-After " + wait.toSeconds() + " s)", ex);
				}
				logger.info(this.source + " asked to slow down for " + ticker + "; retrying in " + wait.toMillis() + " ms");
				sleep(wait);
			}
			catch (HttpServerErrorException | ResourceAccessException ex) {
				if (attempt >= maxAttempts) {
					throw new SourceException(this.source + " failed for " + ticker + " after " + attempt + " attempts: "
							+ ex.getMessage(), ex);
				}
				logger.info(this.source + " failed for " + ticker + " (" + ex.getMessage() + "); retrying in "
						+ backoff.toMillis() + " ms");
				sleep(backoff);
				backoff = backoff.multipliedBy(2);
			}
			catch (HttpClientErrorException ex) {
				throw new SourceException(this.source + " refused the request for " + ticker + ": " + ex.getStatusCode());
			}
			catch (RestClientException ex) {
				throw new MalformedResponseException(this.source + " sent an unreadable answer for " + ticker + ": "
						+ ex.getMostSpecificCause().getMessage(), ex);
			}
		}
	}

	/**
	 * Fail the ticker when the answer is missing what the application needs.
	 * @param ok whether the answer is complete
	 * @param ticker the ticker
	 * @param what what is missing
	 */
	public void require(boolean ok, String ticker, String what) {
		if (!ok) {
			throw new MalformedResponseException(this.source + " sent an incomplete answer for " + ticker + ": " + what,
					null);
		}
	}

	private static Duration retryAfter(HttpHeaders headers, Duration fallback) {
		String value = (headers != null) ? headers.getFirst(HttpHeaders.RETRY_AFTER) : null;
		if (value != null) {
			try {
				return Duration.ofSeconds(Long.parseLong(value.trim()));
			}
			catch (NumberFormatException ex) {
				// an HTTP date: fall back to our own backoff
			}
		}
		return fallback;
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new SourceException("Interrupted while waiting to retry", ex);
		}
	}

}
