package io.github.poolguard.test;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * Sends a GET to an application under test, as a user's HTTP client would. The timeout only
 * guards against a hang.
 */
public final class HttpGet {

	private static final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private HttpGet() {
	}

	/**
	 * Send a GET request.
	 * @param url the full URL
	 * @return the response with its body as text
	 * @throws Exception when the request fails
	 */
	public static HttpResponse<String> get(String url) throws Exception {
		return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(10)).build(),
				HttpResponse.BodyHandlers.ofString());
	}

}
