package io.github.poolguard.benchmarks.foreground;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * The requests both loads send: 2 in 10 the company list, 4 in 10 one company, 4 in 10 a month of
 * quotes, over the tickers stored; and how an answer or a failure is counted.
 */
final class ReadApiMix {

	private final String baseUrl;

	private final List<String> tickers;

	private final Duration requestTimeout;

	ReadApiMix(String baseUrl, List<String> tickers, Duration requestTimeout) {
		this.baseUrl = baseUrl;
		this.tickers = tickers;
		this.requestTimeout = requestTimeout;
	}

	static HttpClient client() {
		return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
	}

	Duration requestTimeout() {
		return this.requestTimeout;
	}

	/**
	 * Return the {@code n}th request of the mix.
	 * @param n a sequence number
	 * @return the request
	 */
	HttpRequest request(long n) {
		return HttpRequest.newBuilder(URI.create(this.baseUrl + path(n))).timeout(this.requestTimeout).GET().build();
	}

	private String path(long n) {
		String ticker = this.tickers.get((int) ((n * 31) % this.tickers.size()));
		int kind = (int) (n % 10);
		if (kind < 2) {
			return "/api/companies";
		}
		if (kind < 6) {
			return "/api/companies/" + ticker;
		}
		return "/api/companies/" + ticker + "/quotes";
	}

	static Load.Outcome outcome(int status) {
		return (status >= 500) ? Load.Outcome.HTTP_5XX : (status >= 400) ? Load.Outcome.HTTP_4XX : Load.Outcome.OK;
	}

	static Load.Outcome outcome(Throwable failure) {
		Throwable cause = (failure instanceof CompletionException && failure.getCause() != null) ? failure.getCause()
				: failure;
		if (cause instanceof HttpTimeoutException) {
			return Load.Outcome.CLIENT_TIMEOUT;
		}
		return Load.Outcome.IO_ERROR;
	}

}
