package io.github.poolguard.integration;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.IntStream;

import javax.sql.DataSource;

import com.jayway.jsonpath.JsonPath;
import io.github.poolguard.batch.BatchRun;
import io.github.poolguard.batch.BatchState;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.test.HeadlessChromium;
import io.github.poolguard.test.PostgresServer;
import io.github.poolguard.test.QueryLoad;
import io.github.poolguard.test.TestPostgres;
import jakarta.servlet.Filter;
import jakarta.servlet.http.HttpServletResponse;
import org.awaitility.core.ConditionFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.NoSuchElementException;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import static io.github.poolguard.test.HttpGet.get;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The operator console in headless Chromium, against an application on a real server while a
 * batch runs: the server bar shows the counts {@code /actuator/poolguard} reports, the run's
 * progress moves, pause greys the run, and the buttons are there only when the endpoint's write
 * operation is. A screenshot is kept as {@code target/poolguard-console.png}.
 */
class ConsoleBrowserIntegrationTests {

	private static final PostgresServer server = TestPostgres.shared();

	private static final String APP = "console-test";

	private static final List<String> KINDS = List.of("app", "background", "monitor", "poolguard", "other", "free",
			"reserved");

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

	// a small server, as a managed plan has, with another client on it: every part of the bar shows
	@Test
	void drawsTheServerAndARunThatAnOperatorPauses() throws Exception {
		try (PostgresServer small = TestPostgres.start(Map.of("max_connections", "30"));
				OtherClient reporting = new OtherClient(small, "reporting-tool", 4);
				// another PoolGuard application on the same server: its pools and monitor are not this one's
				OtherClient billingApp = new OtherClient(small, "billing:app", 2);
				OtherClient billingMonitor = new OtherClient(small, "billing:monitor:b1ll1n", 1);
				ConfigurableApplicationContext context = start(small, "console_write",
						"management.endpoint.poolguard.access=unrestricted");
				QueryLoad requests = new QueryLoad(context.getBean(DataSource.class), "SELECT pg_sleep(0.005)")
					.start(2)) {
			String base = baseUrl(context);
			// the app's experience has a baseline before the batch starts (it is frozen while one runs)
			await().atMost(Duration.ofSeconds(30))
				.ignoreExceptions()
				.until(() -> JsonPath.<Map<String, Object>>read(get(base + "/actuator/poolguard").body(),
						"$.experience.latency"), (latency) -> !latency.isEmpty());
			BatchRun<Integer> run = slowRun(context, "console-import");
			this.browser.get(base + "/poolguard-console");

			onThePage().untilAsserted(() -> {
				WebElement box = runElement();
				assertThat(box.getAttribute("data-run")).isEqualTo("console-import");
				assertThat(box.findElements(By.cssSelector("button[data-action='pause']"))).hasSize(1);
				assertThat(box.findElements(By.cssSelector("button[data-action='cancel']"))).hasSize(1);
			});

			assertThat(assertServerBarMatchesTheEndpoint(base).get("other")).as("the reporting tool and billing")
				.isGreaterThanOrEqualTo(7);
			onThePage().untilAsserted(() -> assertThat(this.browser.findElement(By.id("experience-table")).getText())
				.contains("ms", "baseline"));

			long doneBefore = onThePage().until(() -> Long.valueOf(runElement().getAttribute("data-done")), (done) -> true);
			onThePage().until(() -> Long.parseLong(runElement().getAttribute("data-done")) > doneBefore);
			keepScreenshot("poolguard-console.png");

			click("[data-run] button[data-action='pause']");
			onThePage().untilAsserted(() -> {
				WebElement paused = runElement();
				assertThat(paused.getAttribute("data-state")).isEqualTo("PAUSED");
				assertThat(paused.getAttribute("class")).contains("paused");
				assertThat(paused.getCssValue("filter")).isEqualTo("grayscale(1)");
				assertThat(paused.findElements(By.cssSelector("button[data-action='resume']"))).hasSize(1);
				assertThat(paused.findElements(By.cssSelector("button[data-action='pause']"))).isEmpty();
			});
			assertThat(JsonPath.<String>read(get(base + "/actuator/poolguard").body(), "$.batches[0].state"))
				.isEqualTo("PAUSED");
			assertThat(run.progress().state()).isEqualTo(BatchState.PAUSED);
			keepScreenshot("poolguard-console-paused.png");

			click("[data-run] button[data-action='cancel']");
			assertThat(run.await(Duration.ofSeconds(30)).progress().state()).isEqualTo(BatchState.CANCELLED);
			onThePage().untilAsserted(() -> {
				assertThat(runElement().getAttribute("data-state")).isEqualTo("CANCELLED");
				assertThat(runElement().findElements(By.tagName("button"))).isEmpty();
			});
		}
	}

	@Test
	void withoutWriteAccessThePageHasNoButtons() throws Exception {
		try (ConfigurableApplicationContext context = start("console_read")) {
			String base = baseUrl(context);
			BatchRun<Integer> run = slowRun(context, "read-only-import");
			this.browser.get(base + "/poolguard-console");
			onThePage().until(() -> "read-only-import".equals(runElement().getAttribute("data-run")));
			assertServerBarMatchesTheEndpoint(base);
			assertThat(this.browser.findElements(By.tagName("button"))).isEmpty();
			assertThat(this.browser.findElement(By.tagName("body")).getAttribute("data-write")).isEqualTo("false");
			run.cancel("test");
			run.await(Duration.ofSeconds(30));
		}
	}

	@Test
	void saysPlainlyWhenTheEndpointIsNotExposed() throws Exception {
		try (ConfigurableApplicationContext context = start("console_hidden",
				"management.endpoints.web.exposure.include=health")) {
			this.browser.get(baseUrl(context) + "/poolguard-console");
			WebElement problem = this.browser.findElement(By.id("problem"));
			await().atMost(Duration.ofSeconds(20)).until(problem::isDisplayed);
			assertThat(problem.getText()).contains("404", "not exposed", "management.endpoints.web.exposure.include");
			assertThat(this.browser.findElements(By.cssSelector("#bar .seg"))).isEmpty();
		}
	}

	@Test
	void saysPlainlyWhenAccessIsDenied() throws Exception {
		try (ConfigurableApplicationContext context = start("console_denied",
				"spring.main.sources=" + DeniedEndpoint.class.getName())) {
			this.browser.get(baseUrl(context) + "/poolguard-console");
			WebElement problem = this.browser.findElement(By.id("problem"));
			await().atMost(Duration.ofSeconds(20)).until(problem::isDisplayed);
			assertThat(problem.getText()).contains("403", "access denied");
			assertThat(this.browser.findElements(By.cssSelector("#bar .seg"))).isEmpty();
		}
	}

	// the page and the endpoint agree once the page shows the sample the endpoint reports
	private Map<String, Integer> assertServerBarMatchesTheEndpoint(String base) {
		AtomicReference<Map<String, Integer>> onPage = new AtomicReference<>();
		AtomicReference<Map<String, Integer>> fromEndpoint = new AtomicReference<>();
		onThePage().until(() -> {
			String json = get(base + "/actuator/poolguard").body();
			WebElement bar = this.browser.findElement(By.id("bar"));
			String pageSample = bar.getAttribute("data-sampled-at");
			if (pageSample == null || !pageSample.equals(JsonPath.read(json, "$.server.sampledAt"))) {
				return false;
			}
			Map<String, Integer> page = new LinkedHashMap<>();
			page.put("max", Integer.valueOf(bar.getAttribute("data-max")));
			page.put("inUse", Integer.valueOf(bar.getAttribute("data-in-use")));
			for (String kind : KINDS) {
				int segments = bar.findElements(By.cssSelector(".seg[data-kind='" + kind + "']"))
					.stream()
					.mapToInt((segment) -> Integer.parseInt(segment.getAttribute("data-count")))
					.sum();
				page.put(kind, segments);
			}
			onPage.set(page);
			fromEndpoint.set(expectedBar(json));
			return true;
		});
		assertThat(onPage.get()).isEqualTo(fromEndpoint.get());
		assertThat(onPage.get().get("app")).as("the app pool's connections are drawn").isPositive();
		assertThat(onPage.get().get("monitor")).isEqualTo(1);
		assertThat(this.browser.findElements(By.cssSelector("#bar .mark"))).hasSize(2);
		return onPage.get();
	}

	private static Map<String, Integer> expectedBar(String json) {
		Map<String, Object> server = JsonPath.read(json, "$.server");
		int max = (Integer) server.get("maxConnections");
		int usable = (Integer) server.get("usable");
		int inUse = (Integer) server.get("inUse");
		@SuppressWarnings("unchecked")
		Map<String, Integer> byApplication = (Map<String, Integer>) server.get("byApplication");
		Map<String, Integer> expected = new LinkedHashMap<>();
		expected.put("max", max);
		expected.put("inUse", inUse);
		for (String kind : List.of("app", "background", "monitor", "poolguard")) {
			expected.put(kind, 0);
		}
		int ours = 0;
		for (Map.Entry<String, Integer> entry : byApplication.entrySet()) {
			String[] parts = entry.getKey().split(":");
			if (parts[0].equals(APP) && parts.length >= 2) {
				String kind = List.of("app", "background", "monitor").contains(parts[1]) ? parts[1] : "poolguard";
				expected.merge(kind, entry.getValue(), Integer::sum);
				ours += entry.getValue();
			}
		}
		expected.put("other", inUse - ours);
		expected.put("free", usable - inUse);
		expected.put("reserved", max - usable);
		return expected;
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

	private WebElement runElement() {
		return this.browser.findElement(By.cssSelector("[data-run]"));
	}

	private void keepScreenshot(String name) throws Exception {
		Path shot = this.browser.getScreenshotAs(OutputType.FILE).toPath();
		Path target = Path.of("target", name);
		Files.createDirectories(target.getParent());
		Files.copy(shot, target, StandardCopyOption.REPLACE_EXISTING);
		assertThat(Files.size(target)).isPositive();
	}

	private static BatchRun<Integer> slowRun(ConfigurableApplicationContext context, String name) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		BatchRun<Integer> run = context.getBean(ThrottlingExecutor.class)
			.run(name, IntStream.range(0, 20_000).boxed().toList(),
					(item) -> jdbc.queryForObject("SELECT pg_sleep(0.02)", Object.class));
		await().atMost(Duration.ofSeconds(20)).until(() -> run.progress().succeeded() >= 3);
		return run;
	}

	private static String baseUrl(ConfigurableApplicationContext context) {
		return "http://localhost:" + ((WebServerApplicationContext) context).getWebServer().getPort();
	}

	private static ConfigurableApplicationContext start(String database, String... properties) {
		return start(server, database, properties);
	}

	private static ConfigurableApplicationContext start(PostgresServer server, String database,
			String... properties) {
		String url = server.createDatabase(database);
		return new SpringApplicationBuilder(WebApp.class).properties("server.port=0", "spring.application.name=" + APP,
				"spring.datasource.url=" + url, "spring.datasource.username=" + server.username(),
				"spring.datasource.password=" + server.password(), "poolguard.console.enabled=true",
				"poolguard.monitor.interval=1s", "poolguard.batch.max-concurrency=2",
				"management.endpoints.web.exposure.include=poolguard",
				"spring.autoconfigure.exclude=org.springframework.boot.hibernate.autoconfigure.HibernateJpaAutoConfiguration,"
						+ "org.springframework.boot.data.jpa.autoconfigure.DataJpaRepositoriesAutoConfiguration")
			.properties(properties)
			.run();
	}

	@SpringBootConfiguration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class WebApp {

	}

	// sessions of another application on the same server
	private static final class OtherClient implements AutoCloseable {

		private final List<Connection> connections = new ArrayList<>();

		OtherClient(PostgresServer server, String name, int sessions) throws SQLException {
			for (int i = 0; i < sessions; i++) {
				this.connections.add(server.connect(name));
			}
		}

		@Override
		public void close() throws SQLException {
			for (Connection connection : this.connections) {
				connection.close();
			}
		}

	}

	// what a security filter does to a user who may not read the actuator
	@Configuration(proxyBeanMethods = false)
	static class DeniedEndpoint {

		@Bean
		FilterRegistrationBean<Filter> denyPoolGuardEndpoint() {
			FilterRegistrationBean<Filter> registration = new FilterRegistrationBean<>(
					(request, response, chain) -> ((HttpServletResponse) response).sendError(403));
			registration.addUrlPatterns("/actuator/poolguard", "/actuator/poolguard/*");
			return registration;
		}

	}

}
