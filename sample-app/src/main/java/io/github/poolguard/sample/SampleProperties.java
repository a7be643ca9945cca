package io.github.poolguard.sample;

import java.nio.file.Path;
import java.time.Duration;

import org.springframework.boot.context.properties.ConfigurationProperties;

/**
 * Settings of the sample application, under {@code sample}.
 */
@ConfigurationProperties("sample")
public class SampleProperties {

	private final Universe universe = new Universe();

	private final Fetch fetch = new Fetch();

	private final Sources sources = new Sources();

	private final Admin admin = new Admin();

	private final Embedded embedded = new Embedded();

	public Universe getUniverse() {
		return this.universe;
	}

	public Fetch getFetch() {
		return this.fetch;
	}

	public Sources getSources() {
		return this.sources;
	}

	public Admin getAdmin() {
		return this.admin;
	}

	public Embedded getEmbedded() {
		return this.embedded;
	}

	/**
	 * The embedded PostgreSQL server started when no datasource is configured.
	 */
	public static class Embedded {

		/**
		 * Data directory of the embedded server, kept between runs (default
		 * ~/.poolguard-sample/pgdata); delete it to start over.
		 */
		private String dataDir = Path.of(System.getProperty("user.home"), ".poolguard-sample", "pgdata").toString();

		public String getDataDir() {
			return this.dataDir;
		}

		public void setDataDir(String dataDir) {
			this.dataDir = dataDir;
		}

	}

	/**
	 * The tickers fetched when none are named.
	 */
	public static class Universe {

		/**
		 * How many tickers: the well-known B3 tickers first, then generated ones.
		 */
		private int size = 300;

		public int getSize() {
			return this.size;
		}

		public void setSize(int size) {
			this.size = size;
		}

	}

	/**
	 * The fetch job.
	 */
	public static class Fetch {

		/**
		 * Cron expression of the scheduled fetch in web mode; "-" (the default) turns it off.
		 */
		private String cron = "-";

		/**
		 * Calendar days of history fetched for a ticker with none stored, or with --force-full.
		 */
		private int historyDays = 365;

		/**
		 * How the web app's fetch runs: "guarded" (the default: PoolGuard's throttling
		 * executor, one short transaction per ticker after the network calls) or "naive", the
		 * anti-pattern kept only for the benchmarks: a plain thread pool of naive-threads on the
		 * app pool, each ticker in a transaction that spans its source calls. Use "naive" with
		 * poolguard.enabled=false; the fetch-ward command always runs guarded.
		 */
		private String mode = "guarded";

		/**
		 * Threads of the naive fetch (sample.fetch.mode=naive).
		 */
		private int naiveThreads = 16;

		public String getCron() {
			return this.cron;
		}

		public void setCron(String cron) {
			this.cron = cron;
		}

		public int getHistoryDays() {
			return this.historyDays;
		}

		public void setHistoryDays(int historyDays) {
			this.historyDays = historyDays;
		}

		public String getMode() {
			return this.mode;
		}

		public void setMode(String mode) {
			this.mode = mode;
		}

		public int getNaiveThreads() {
			return this.naiveThreads;
		}

		public void setNaiveThreads(int naiveThreads) {
			this.naiveThreads = naiveThreads;
		}

	}

	/**
	 * The market data sources.
	 */
	public static class Sources {

		private final Source ward = new Source("http://localhost:8089");

		private final Source brapi = new Source("https://brapi.dev");

		/**
		 * Simulated latency of each call to an offline simulator.
		 */
		private Duration simulatorLatency = Duration.ofMillis(20);

		public Source getWard() {
			return this.ward;
		}

		public Source getBrapi() {
			return this.brapi;
		}

		public Duration getSimulatorLatency() {
			return this.simulatorLatency;
		}

		public void setSimulatorLatency(Duration simulatorLatency) {
			this.simulatorLatency = simulatorLatency;
		}

	}

	/**
	 * One market data source.
	 */
	public static class Source {

		/**
		 * Whether to call the source over HTTP ("http") or use its deterministic offline
		 * simulator ("simulator").
		 */
		private String mode = "simulator";

		/**
		 * Base URL of the source's HTTP API.
		 */
		private String baseUrl;

		/**
		 * API token, sent as a bearer token; never logged.
		 */
		private String token;

		/**
		 * Longest wait to connect to the source.
		 */
		private Duration connectTimeout = Duration.ofSeconds(2);

		/**
		 * Longest wait for the source's answer.
		 */
		private Duration readTimeout = Duration.ofSeconds(10);

		/**
		 * Attempts per call when the source answers 429 or 5xx, or times out.
		 */
		private int maxAttempts = 4;

		/**
		 * Wait before the first retry of a 5xx or timeout, doubled for each further one.
		 */
		private Duration initialBackoff = Duration.ofMillis(500);

		/**
		 * Longest Retry-After honoured on a 429; a longer one fails the call.
		 */
		private Duration maxRetryAfter = Duration.ofSeconds(30);

		Source(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public String getMode() {
			return this.mode;
		}

		public void setMode(String mode) {
			this.mode = mode;
		}

		public boolean isHttp() {
			return "http".equalsIgnoreCase(this.mode);
		}

		public String getBaseUrl() {
			return this.baseUrl;
		}

		public void setBaseUrl(String baseUrl) {
			this.baseUrl = baseUrl;
		}

		public String getToken() {
			return this.token;
		}

		public void setToken(String token) {
			this.token = token;
		}

		public Duration getConnectTimeout() {
			return this.connectTimeout;
		}

		public void setConnectTimeout(Duration connectTimeout) {
			this.connectTimeout = connectTimeout;
		}

		public Duration getReadTimeout() {
			return this.readTimeout;
		}

		public void setReadTimeout(Duration readTimeout) {
			this.readTimeout = readTimeout;
		}

		public int getMaxAttempts() {
			return this.maxAttempts;
		}

		public void setMaxAttempts(int maxAttempts) {
			this.maxAttempts = maxAttempts;
		}

		public Duration getInitialBackoff() {
			return this.initialBackoff;
		}

		public void setInitialBackoff(Duration initialBackoff) {
			this.initialBackoff = initialBackoff;
		}

		public Duration getMaxRetryAfter() {
			return this.maxRetryAfter;
		}

		public void setMaxRetryAfter(Duration maxRetryAfter) {
			this.maxRetryAfter = maxRetryAfter;
		}

	}

	/**
	 * The one user allowed to see health details and the poolguard endpoint, and to start
	 * runs over HTTP. With no password set, nobody is.
	 */
	public static class Admin {

		/**
		 * User name of the administrator.
		 */
		private String username = "admin";

		/**
		 * Password of the administrator (e.g. from SAMPLE_ADMIN_PASSWORD); never logged.
		 */
		private String password;

		public String getUsername() {
			return this.username;
		}

		public void setUsername(String username) {
			this.username = username;
		}

		public String getPassword() {
			return this.password;
		}

		public void setPassword(String password) {
			this.password = password;
		}

	}

}
