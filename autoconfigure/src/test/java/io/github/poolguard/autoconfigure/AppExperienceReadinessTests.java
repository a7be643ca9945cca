package io.github.poolguard.autoconfigure;

import java.time.Duration;

import io.github.poolguard.internal.experience.AppExperienceSampler;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.DefaultApplicationArguments;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sampler's baselines start learning when the application is ready: at
 * {@link ApplicationReadyEvent} in a context a {@code SpringApplication} runs (after its
 * runners), at the refresh in one nothing else will announce.
 */
class AppExperienceReadinessTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withBean(AppExperienceSampler.class,
				() -> new AppExperienceSampler(java.util.List.of(), () -> false, Duration.ofSeconds(1)))
		.withUserConfiguration(Readiness.class);

	@Test
	void aContextNoSpringApplicationRunsIsReadyWhenRefreshed() {
		this.runner.run((context) -> {
			AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
			sampler.sample();
			assertThat(sampler.getLatest().ready()).isTrue();
		});
	}

	@Test
	void aContextASpringApplicationRunsIsReadyAtTheReadyEventNotBefore() {
		this.runner.withBean("springApplicationArguments", DefaultApplicationArguments.class,
				() -> new DefaultApplicationArguments())
			.run((context) -> {
				AppExperienceSampler sampler = context.getBean(AppExperienceSampler.class);
				sampler.sample();
				assertThat(sampler.getLatest().ready()).as("refreshed, runners still to run").isFalse();
				context.publishEvent(new ApplicationReadyEvent(new SpringApplication(), new String[0],
						(ConfigurableApplicationContext) context.getSourceApplicationContext(), Duration.ZERO));
				sampler.sample();
				assertThat(sampler.getLatest().ready()).isTrue();
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class Readiness {

		@Bean
		static ApplicationListener<ApplicationEvent> poolGuardAppExperienceReadiness(
				ObjectProvider<AppExperienceSampler> sampler) {
			return PoolGuardAppExperienceAutoConfiguration.poolGuardAppExperienceReadiness(sampler);
		}

	}

}
