package io.github.poolguard.autoconfigure;

import io.github.poolguard.routing.BackgroundWork;
import io.github.poolguard.routing.BackgroundWorkAdvisor;
import io.github.poolguard.routing.Workload;
import io.github.poolguard.routing.WorkloadTaskDecorator;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Wiring of {@link PoolGuardSchedulingAutoConfiguration}, with no database and no other
 * auto-configuration: {@code @BackgroundWork} applies even where Boot's AOP auto-configuration
 * is absent.
 */
class PoolGuardSchedulingAutoConfigurationTests {

	private final ApplicationContextRunner runner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(PoolGuardSchedulingAutoConfiguration.class))
		.withUserConfiguration(Reports.class);

	@Test
	void backgroundWorkOnAMethodRunsItAsBackgroundAndOnlyIt() {
		this.runner.run((context) -> {
			Report report = context.getBean(Report.class);
			assertThat(report.declared()).isEqualTo(Workload.BACKGROUND);
			assertThat(report.plain()).isEqualTo(Workload.APP);
			assertThat(Workload.current()).isEqualTo(Workload.APP);
			assertThat(context).hasSingleBean(WorkloadTaskDecorator.class);
		});
	}

	@Test
	void backgroundWorkOnAClassAppliesToEveryMethod() {
		this.runner.run((context) -> assertThat(context.getBean(NightlyReport.class).plain())
			.isEqualTo(Workload.BACKGROUND));
	}

	@Test
	void disabledPoolGuardLeavesThreadsAlone() {
		this.runner.withPropertyValues("poolguard.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(BackgroundWorkAdvisor.class)
				.doesNotHaveBean(WorkloadTaskDecorator.class);
			assertThat(context.getBean(Report.class).declared()).isEqualTo(Workload.APP);
		});
	}

	static class Report {

		@BackgroundWork
		public Workload declared() {
			return Workload.current();
		}

		public Workload plain() {
			return Workload.current();
		}

	}

	@BackgroundWork
	static class NightlyReport {

		public Workload plain() {
			return Workload.current();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class Reports {

		@Bean
		Report report() {
			return new Report();
		}

		@Bean
		NightlyReport nightlyReport() {
			return new NightlyReport();
		}

	}

}
