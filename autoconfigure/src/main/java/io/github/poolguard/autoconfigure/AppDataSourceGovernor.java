package io.github.poolguard.autoconfigure;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.GuardedLogins;
import io.github.poolguard.internal.pool.HikariGovernance;
import io.github.poolguard.internal.pool.LoginGuard;
import io.github.poolguard.internal.pool.PoolDerivation;
import io.github.poolguard.internal.pool.ServerLimits;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.internal.routing.GovernedRoutingDataSource;
import io.github.poolguard.routing.WorkloadRoutingDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.BeanDefinition;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.AbstractBeanDefinition;
import org.springframework.boot.jdbc.metadata.CompositeDataSourcePoolMetadataProvider;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadata;
import org.springframework.boot.jdbc.metadata.DataSourcePoolMetadataProvider;
import org.springframework.core.Ordered;
import org.springframework.util.Assert;

/**
 * Governs the application's {@code DataSource} (the one Spring Boot or the application built,
 * the single or primary candidate) the way Spring Boot's own small post-processors add behaviour
 * to it: a HikariCP pool that has not started gets PoolGuard's connection name, server-side
 * limits and keepalive once binding and connection details are done; then the bean is wrapped
 * in a {@link WorkloadRoutingDataSource} whose background pool is derived from it. The
 * background pool is named by {@link BackgroundPoolGovernor}.
 */
final class AppDataSourceGovernor implements BeanPostProcessor, BeanFactoryAware, Ordered {

	private final ObjectProvider<PoolGuardProperties> properties;

	private final ObjectProvider<DataSourcePoolMetadataProvider> metadataProviders;

	private final ObjectProvider<ConnectionNaming> naming;

	private @Nullable ConfigurableListableBeanFactory beanFactory;

	private @Nullable String applicationDataSource;

	private boolean resolved;

	private @Nullable HikariDataSource settings;

	private @Nullable ServerLimits limits;

	private @Nullable String notApplied;

	private @Nullable GovernedAppPool governed;

	private final Supplier<List<LoginGuard>> loginGuards;

	AppDataSourceGovernor(ObjectProvider<PoolGuardProperties> properties,
			ObjectProvider<DataSourcePoolMetadataProvider> metadataProviders, ObjectProvider<ConnectionNaming> naming,
			Supplier<List<LoginGuard>> loginGuards) {
		this.properties = properties;
		this.metadataProviders = metadataProviders;
		this.naming = naming;
		this.loginGuards = loginGuards;
	}

	/**
	 * Run after Boot has bound {@code spring.datasource.hikari.*} and applied its connection
	 * details (both {@code PriorityOrdered}), and after any other ordered post-processor that
	 * may still change the pool, so the settings PoolGuard reads and sets are final.
	 * @return the lowest precedence
	 */
	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void setBeanFactory(BeanFactory beanFactory) {
		this.beanFactory = (ConfigurableListableBeanFactory) beanFactory;
	}

	@Override
	public Object postProcessBeforeInitialization(Object bean, String beanName) {
		if (bean instanceof HikariDataSource pool && beanName.equals(applicationDataSource())) {
			governAppPool(pool, beanName);
		}
		return bean;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof DataSource dataSource && !(bean instanceof WorkloadRoutingDataSource)
				&& beanName.equals(applicationDataSource())) {
			return wrap(dataSource, beanName);
		}
		return bean;
	}

	/**
	 * Return the application's {@code DataSource} as governed.
	 * @return the governed pool
	 * @throws IllegalStateException before the application's {@code DataSource} was created
	 */
	GovernedAppPool governed() {
		Assert.state(this.governed != null, "The application's DataSource has not been created yet");
		return this.governed;
	}

	/**
	 * Return the name of the application's {@code DataSource} bean: the only default candidate,
	 * else the primary one.
	 * @return the bean name, or {@code null} when there is no single candidate
	 */
	@Nullable String applicationDataSource() {
		if (!this.resolved) {
			Assert.state(this.beanFactory != null, "No bean factory");
			this.applicationDataSource = findApplicationDataSource(this.beanFactory);
			this.resolved = true;
		}
		return this.applicationDataSource;
	}

	private void governAppPool(HikariDataSource pool, String beanName) {
		if (pool.getHikariPoolMXBean() != null || pool.isClosed()) {
			this.notApplied = "HikariCP pool '" + beanName + "' had already started, so its connections carry no"
					+ " PoolGuard name, server-side limits or keepalive (define it without starting it to get them)";
			return;
		}
		this.settings = PoolDerivation.settingsOf(pool);
		PoolGuardAutoConfiguration.checkUrl(
				"dataSource".equals(beanName) ? "spring.datasource.url" : "the URL of DataSource bean '" + beanName + "'",
				pool.getJdbcUrl());
		this.limits = PoolGuardAutoConfiguration.limits(pool.getJdbcUrl(), this.properties.getObject().getApp());
		HikariGovernance.apply(pool, this.naming.getObject().app(), this.limits,
				this.properties.getObject().getPgbouncer().getMode() == PgBouncerMode.TRANSACTION);
		GuardedLogins.install(pool, ConnectionNames.APP, this.loginGuards);
	}

	private DataSource wrap(DataSource dataSource, String beanName) {
		HikariDataSource settings = this.settings;
		String notApplied = this.notApplied;
		if (GovernedAppPool.unwrapHikari(dataSource) == null) {
			settings = PoolDerivation.settingsOf(dataSource);
			notApplied = "'" + beanName + "' is of type " + dataSource.getClass().getSimpleName()
					+ ", not a HikariCP pool: its connections carry no PoolGuard name or server-side limits, and its"
					+ " live counts are not read";
			if (settings == null) {
				notApplied += "; its connection settings cannot be read, so the background pool opens its"
						+ " connections through it and the monitor and budget check are off";
			}
			else if (!sizeFromMetadata(settings, dataSource)) {
				notApplied += "; its size is not known, so the budget counts it as "
						+ settings.getMaximumPoolSize() + " connections";
			}
		}
		else if (settings == null) {
			settings = PoolDerivation.settingsOf(dataSource);
		}
		this.governed = new GovernedAppPool(beanName, dataSource, settings,
				(notApplied == null) ? this.limits : null, notApplied);
		ConfigurableListableBeanFactory beanFactory = this.beanFactory;
		Assert.state(beanFactory != null, "No bean factory");
		return new GovernedRoutingDataSource(dataSource,
				() -> beanFactory.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME, DataSource.class));
	}

	private boolean sizeFromMetadata(HikariDataSource settings, DataSource dataSource) {
		DataSourcePoolMetadata metadata = new CompositeDataSourcePoolMetadataProvider(
				this.metadataProviders.orderedStream().toList())
			.getDataSourcePoolMetadata(dataSource);
		Integer max = (metadata != null) ? metadata.getMax() : null;
		if (max != null && max > 0) {
			settings.setMaximumPoolSize(max);
			return true;
		}
		return false;
	}

	static @Nullable String findApplicationDataSource(ConfigurableListableBeanFactory beanFactory) {
		List<String> candidates = new ArrayList<>();
		for (String name : beanFactory.getBeanNamesForType(DataSource.class, true, false)) {
			if (beanFactory.containsBeanDefinition(name)) {
				BeanDefinition definition = beanFactory.getMergedBeanDefinition(name);
				if (definition.isAutowireCandidate()
						&& (!(definition instanceof AbstractBeanDefinition abstractDefinition)
								|| abstractDefinition.isDefaultCandidate())) {
					candidates.add(name);
				}
			}
		}
		if (candidates.size() == 1) {
			return candidates.get(0);
		}
		List<String> primary = candidates.stream()
			.filter((name) -> beanFactory.getMergedBeanDefinition(name).isPrimary())
			.toList();
		return (primary.size() == 1) ? primary.get(0) : null;
	}

}
