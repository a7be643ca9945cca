package io.github.poolguard.internal.console;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Locale;

/**
 * The operator console page: HTML, CSS and JavaScript in one file that fetches
 * {@code /actuator/poolguard} from the browser and draws it. The page is rendered with the
 * endpoint's path, whether its write operation is there, and the usage thresholds; never with
 * a reading, so it shows nothing to someone the endpoint would refuse.
 */
public final class ConsolePage {

	private static final String TEMPLATE = "console.html";

	private final String template;

	private final String contentSecurityPolicy;

	/**
	 * Load the page from the jar.
	 */
	public ConsolePage() {
		try (InputStream in = ConsolePage.class.getResourceAsStream(TEMPLATE)) {
			if (in == null) {
				throw new IllegalStateException(TEMPLATE + " is missing next to " + ConsolePage.class.getName());
			}
			this.template = new String(in.readAllBytes(), StandardCharsets.UTF_8);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		// the page's own script and style, by hash: nothing else runs, and it talks to its own origin only
		this.contentSecurityPolicy = "default-src 'none'; script-src '" + hash(between("<script>", "</script>"))
				+ "'; style-src '" + hash(between("<style>", "</style>"))
				+ "'; connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none';"
				+ " frame-ancestors 'self'";
	}

	/**
	 * Render the page.
	 * @param endpointPath the path the browser fetches the endpoint at, such as
	 * {@code /actuator/poolguard} (with the servlet context path)
	 * @param writable whether the endpoint's write operation (pause, resume, cancel) is exposed
	 * @param warningThreshold the usage share marked as the warning level
	 * @param criticalThreshold the usage share marked as the critical level
	 * @return the HTML
	 */
	public String render(String endpointPath, boolean writable, double warningThreshold, double criticalThreshold) {
		return render(endpointPath, writable, warningThreshold, criticalThreshold, "");
	}

	/**
	 * Render the page for this application.
	 * @param endpointPath the path the browser fetches the endpoint at
	 * @param writable whether the endpoint's write operation (pause, resume, cancel) is exposed
	 * @param warningThreshold the usage share marked as the warning level
	 * @param criticalThreshold the usage share marked as the critical level
	 * @param application the part every connection name of this application starts with (its
	 * {@code spring.application.name} as the server shows it), so that the bar tells its
	 * connections from another PoolGuard application's on the same server; empty: every
	 * application with a PoolGuard monitor on the server is drawn as this one
	 * @return the HTML
	 */
	public String render(String endpointPath, boolean writable, double warningThreshold, double criticalThreshold,
			String application) {
		return this.template.replace("{{endpoint}}", escape(endpointPath))
			.replace("{{write}}", String.valueOf(writable))
			.replace("{{warning}}", number(warningThreshold))
			.replace("{{critical}}", number(criticalThreshold))
			.replace("{{application}}", escape(application));
	}

	/**
	 * Return the {@code Content-Security-Policy} the page is served with: its own script and
	 * style only, requests to its own origin only.
	 * @return the header value
	 */
	public String contentSecurityPolicy() {
		return this.contentSecurityPolicy;
	}

	private String between(String start, String end) {
		int from = this.template.indexOf(start) + start.length();
		return this.template.substring(from, this.template.indexOf(end, from));
	}

	private static String hash(String text) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
			return "sha256-" + Base64.getEncoder().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String number(double value) {
		return String.format(Locale.ROOT, "%s", value);
	}

	private static String escape(String text) {
		StringBuilder escaped = new StringBuilder(text.length());
		for (char c : text.toCharArray()) {
			switch (c) {
				case '&' -> escaped.append("&amp;");
				case '<' -> escaped.append("&lt;");
				case '>' -> escaped.append("&gt;");
				case '"' -> escaped.append("&quot;");
				case '\'' -> escaped.append("&#39;");
				default -> escaped.append(c);
			}
		}
		return escaped.toString();
	}

}
