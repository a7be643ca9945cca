package io.github.poolguard.internal.console;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ConsolePageTests {

	private final ConsolePage page = new ConsolePage();

	@Test
	void carriesTheEndpointPathAndTheThresholdsAndNothingElse() {
		String html = this.page.render("/shop/manage/poolguard", true, 0.8, 0.95);
		assertThat(html).contains("data-endpoint=\"/shop/manage/poolguard\"", "data-write=\"true\"",
				"data-warning=\"0.8\"", "data-critical=\"0.95\"")
			.doesNotContain("{{");
		assertThat(this.page.render("/actuator/poolguard", false, 0.8, 0.95)).contains("data-write=\"false\"");
		assertThat(this.page.render("/actuator/poolguard", false, 0.8, 0.95, "orders\"x")).as("escaped too")
			.contains("data-application=\"orders&quot;x\"");
	}

	@Test
	void thePathCannotBreakOutOfItsAttribute() {
		assertThat(this.page.render("/a\"><script>alert(1)</script>", false, 0.8, 0.95))
			.contains("data-endpoint=\"/a&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;\"");
	}

	@Test
	void isSelfContainedAndSmall() {
		String html = this.page.render("/actuator/poolguard", false, 0.8, 0.95);
		assertThat(html).doesNotContain("http://", "https://", "src=", "<link");
		assertThat(html.getBytes(StandardCharsets.UTF_8).length).isLessThan(24 * 1024);
	}

	@Test
	void thePolicyAllowsThePageOwnScriptAndStyleOnly() throws Exception {
		String html = this.page.render("/actuator/poolguard", false, 0.8, 0.95);
		String script = html.substring(html.indexOf("<script>") + 8, html.indexOf("</script>"));
		String style = html.substring(html.indexOf("<style>") + 7, html.indexOf("</style>"));
		assertThat(this.page.contentSecurityPolicy()).startsWith("default-src 'none';")
			.contains("script-src '" + sha256(script) + "';", "style-src '" + sha256(style) + "';",
					"connect-src 'self';")
			.doesNotContain("unsafe");
	}

	private static String sha256(String text) throws Exception {
		return "sha256-" + Base64.getEncoder()
			.encodeToString(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
	}

}
