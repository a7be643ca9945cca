package io.github.poolguard.autoconfigure;

import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.web.servlet.function.RouterFunction;

import static org.assertj.core.api.Assertions.assertThat;

class PoolGuardConsoleAutoConfigurationTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class, WebEndpointAutoConfiguration.class,
				PoolGuardConsoleAutoConfiguration.class));

	@Test
	void whenNotEnabledThereIsNoRoute() {
		this.runner.run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(RouterFunction.class);
			assertThat(context).doesNotHaveBean(PoolGuardConsoleAutoConfiguration.class);
		});
	}

	@Test
	void whenEnabledTheConsoleHasItsRoute() {
		this.runner.withPropertyValues("poolguard.console.enabled=true")
			.run((context) -> assertThat(context).hasSingleBean(RouterFunction.class)
				.hasBean("poolGuardConsoleRoute"));
	}

	@Test
	void whenPoolGuardIsOffTheConsoleIsToo() {
		this.runner.withPropertyValues("poolguard.console.enabled=true", "poolguard.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(RouterFunction.class));
	}

	@Test
	void outsideAServletApplicationThereIsNoRoute() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class,
					PoolGuardConsoleAutoConfiguration.class))
			.withPropertyValues("poolguard.console.enabled=true")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(RouterFunction.class));
	}

	@Test
	void aPathThatIsNotAPathIsRefused() {
		this.runner.withPropertyValues("poolguard.console.enabled=true", "poolguard.console.path=console/")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("poolguard.console.path must start with '/'"));
	}

}
