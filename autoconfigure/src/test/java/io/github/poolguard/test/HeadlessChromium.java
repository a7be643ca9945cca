package io.github.poolguard.test;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.opentest4j.TestAbortedException;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;

/**
 * Starts the machine's Chromium, headless, through its ChromeDriver (Debian's {@code chromium}
 * and {@code chromium-driver}; {@code .ci/run} installs them). Nothing is downloaded: where
 * either is missing the test is skipped with the reason, and fails instead when {@code CI=true}.
 */
public final class HeadlessChromium {

	private static final List<String> BROWSERS = List.of("/usr/bin/chromium", "/usr/bin/chromium-browser",
			"/usr/bin/google-chrome");

	private static final List<String> DRIVERS = List.of("/usr/bin/chromedriver", "/usr/lib/chromium/chromedriver");

	private HeadlessChromium() {
	}

	/**
	 * Start a headless browser with a window large enough for the whole console.
	 * @return the driver; the caller quits it
	 */
	public static ChromeDriver start() {
		Path browser = find(BROWSERS, "chromium");
		Path driver = find(DRIVERS, "chromedriver");
		ChromeOptions options = new ChromeOptions();
		options.setBinary(browser.toFile());
		// --no-sandbox: CI runs as root, where Chromium refuses its sandbox
		options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
				"--window-size=1200,1250", "--no-first-run", "--disable-extensions");
		ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
			.usingAnyFreePort()
			.build();
		return new ChromeDriver(service, options);
	}

	private static Path find(List<String> locations, String name) {
		for (String location : locations) {
			Path path = Path.of(location);
			if (Files.isExecutable(path)) {
				return path;
			}
		}
		String pathVariable = System.getenv("PATH");
		if (pathVariable != null) {
			for (String entry : pathVariable.split(File.pathSeparator)) {
				Path path = Path.of(entry, name);
				if (Files.isExecutable(path)) {
					return path;
				}
			}
		}
		String missing = "No headless browser: " + name + " is not installed (looked in " + locations
				+ " and on PATH); install Debian's 'chromium' and 'chromium-driver' (.ci/run does) to run this test";
		if ("true".equalsIgnoreCase(System.getenv("CI"))) {
			throw new IllegalStateException("CI=true: a browser is required. " + missing);
		}
		throw new TestAbortedException(missing);
	}

}
