package io.github.poolguard.sample;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Base64;

import io.github.poolguard.batch.BatchState;
import io.github.poolguard.sample.fetch.FetchHandle;
import io.github.poolguard.sample.fetch.FetchJob;
import io.github.poolguard.test.HeadlessChromium;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.TestPostgres;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The sample's console in headless Chromium behind the sample's Spring Security: the
 * administrator's login opens the page and its own requests to {@code /actuator/poolguard},
 * the fetch shows up, and pausing it from the page pauses it (a POST through the same login).
 * A screenshot is kept as {@code target/sample-console.png}.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
		properties = { "sample.universe.size=120", "sample.sources.simulator-latency=40ms",
				"sample.fetch.history-days=30", "sample.admin.password=Wq9-console-admin-secret",
				"poolguard.monitor.interval=1s", "poolguard.batch.max-concurrency=2" })
class SampleConsoleBrowserTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String ADMIN = "Basic "
			+ Base64.getEncoder().encodeToString("admin:Wq9-console-admin-secret".getBytes(StandardCharsets.UTF_8));

	@DynamicPropertySource
	static void database(DynamicPropertyRegistry registry) {
		server.registerFreshDatabase(registry, "console");
	}

	@LocalServerPort
	private int port;

	@Autowired
	private FetchJob job;

	private ChromeDriver browser;

	@BeforeEach
	void startBrowser() {
		this.browser = HeadlessChromium.start();
	}

	@AfterEach
	void quitBrowser() {
		if (this.browser != null) {
			this.browser.quit();
		}
	}

	@Test
	void theAdministratorSeesTheFetchAndPausesItFromThePage() throws Exception {
		assertThat(new SampleHttp(this.port).send("POST", "/api/fetch-runs", ADMIN).statusCode()).isEqualTo(202);
		FetchHandle handle = this.job.current();
		await().atMost(Duration.ofSeconds(30)).until(() -> handle.progress().done() >= 3);

		// the login goes into the browser's HTTP authentication cache on a first visit; the page
		// itself is opened without credentials in its URL, as fetch() refuses URLs that carry them
		this.browser.get("http://admin:Wq9-console-admin-secret@localhost:" + this.port + "/actuator/poolguard");
		this.browser.get("http://localhost:" + this.port + "/poolguard-console");

		onThePage().untilAsserted(() -> {
			assertThat(this.browser.findElement(By.tagName("body")).getAttribute("data-loaded")).isEqualTo("true");
			assertThat(this.browser.findElements(By.cssSelector("[data-run='fetch-ward'] button[data-action='pause']")))
				.hasSize(1);
			assertThat(this.browser.findElements(By.cssSelector("#bar .seg[data-kind='app']"))).isNotEmpty();
			assertThat(this.browser.findElements(By.cssSelector("#bar .seg[data-kind='monitor']"))).hasSize(1);
		});
		assertThat(this.browser.findElement(By.tagName("body")).getAttribute("data-error")).isNull();
		keepScreenshot();

		click("[data-run='fetch-ward'] button[data-action='pause']");
		onThePage().until(() -> this.browser.findElement(By.cssSelector("[data-run='fetch-ward']")).getAttribute("data-state"),
				"PAUSED"::equals);
		assertThat(handle.progress().state()).isEqualTo(BatchState.PAUSED);
		assertThat(this.browser.findElement(By.id("problem")).getText()).doesNotContain("Not allowed");

		click("[data-run='fetch-ward'] button[data-action='cancel']");
		await().atMost(Duration.ofSeconds(30)).until(() -> handle.progress().state().isFinished());
	}

	// the page redraws every few seconds: an element read while it is replaced is read again
	private ConditionFactory onThePage() {
		return await().atMost(Duration.ofSeconds(30))
			.ignoreExceptionsMatching((ex) -> ex instanceof StaleElementReferenceException
					|| ex instanceof NoSuchElementException);
	}

	private void click(String selector) {
		onThePage().until(() -> {
			this.browser.findElement(By.cssSelector(selector)).click();
			return true;
		});
	}

	private void keepScreenshot() throws Exception {
		Path target = Path.of("target", "sample-console.png");
		Files.createDirectories(target.getParent());
		Files.copy(this.browser.getScreenshotAs(OutputType.FILE).toPath(), target, StandardCopyOption.REPLACE_EXISTING);
	}

}
