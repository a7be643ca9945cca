package io.github.poolguard.autoconfigure;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.batch.ThrottlingExecutor;
import io.github.poolguard.internal.leak.ConnectionHolders;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.pool.JdbcUrls;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.SmartInitializingSingleton;

/**
 * Logs one INFO line once the context is up: what PoolGuard governs, monitors and counts, what
 * it could not apply, or, when it governs nothing, why and what stays on. PoolGuard is never
 * switched off silently.
 */
final class PoolGuardStartupReport implements SmartInitializingSingleton {

	private static final Log logger = LogFactory.getLog(PoolGuardStartupReport.class);

	private final ListableBeanFactory beanFactory;

	PoolGuardStartupReport(ListableBeanFactory beanFactory) {
		this.beanFactory = beanFactory;
	}

	@Override
	public void afterSingletonsInstantiated() {
		logger.info(describe());
	}

	String describe() {
		GovernedAppPool app = this.beanFactory.getBeanProvider(GovernedAppPool.class).getIfAvailable();
		if (app == null) {
			return describeBackOff();
		}
		HikariDataSource appPool = app.hikari();
		HikariDataSource background = this.beanFactory.getBean(PoolGuardAutoConfiguration.BACKGROUND_POOL_BEAN_NAME,
				HikariDataSource.class);
		StringBuilder line = new StringBuilder("PoolGuard governs DataSource '").append(app.beanName())
			.append("' (")
			.append(app.pool().getClass().getSimpleName());
		if (app.isHikari()) {
			line.append(" '").append(appPool.getPoolName()).append("'");
		}
		line.append(", max ").append(appPool.getMaximumPoolSize()).append("): workload routing");
		if (app.notApplied() == null && JdbcUrls.isPostgres(appPool.getJdbcUrl())) {
			line.append(", connection names").append((app.limits() != null) ? ", server-side limits" : "");
		}
		if (has(ConnectionHolders.class)) {
			line.append(", holder tracking");
		}
		line.append("; background pool '").append(background.getPoolName()).append("' (max ")
			.append(background.getMaximumPoolSize())
			.append((app.settings() != null) ? ") derived from it" : ") opening its connections through it");
		if (has(ThrottlingExecutor.class)) {
			line.append(", batch executor on it");
		}
		ServerMonitor monitor = this.beanFactory.getBeanProvider(ServerMonitor.class).getIfAvailable();
		line.append("; monitor ").append(monitorState(monitor));
		PoolGuardStartupCheck check = this.beanFactory.getBeanProvider(PoolGuardStartupCheck.class).getIfAvailable();
		line.append("; budget ")
			.append((check != null && check.getBudget() != null) ? "counts app " + appPool.getMaximumPoolSize()
					+ " + background " + background.getMaximumPoolSize() + " + monitor "
					+ PoolGuardStartupCheck.MONITOR_CONNECTIONS : "not checked");
		line.append(".");
		if (app.notApplied() != null) {
			line.append(" Not applied: ").append(app.notApplied()).append(".");
		}
		return line.toString();
	}

	private String describeBackOff() {
		List<String> dataSources = new ArrayList<>(
				Arrays.asList(this.beanFactory.getBeanNamesForType(DataSource.class, true, false)));
		String why = dataSources.isEmpty()
				? "the context has no DataSource (DataSourceAutoConfiguration excluded, no database configured, or a"
						+ " test slice without JDBC), and PoolGuard adds none and connects to no server"
				: "the context has DataSources " + dataSources + " and none is the single or @Primary candidate; mark"
						+ " the application's one @Primary to have it governed";
		return "PoolGuard governs no DataSource: " + why + ". Still on: the extra-pool guard.";
	}

	private static String monitorState(@Nullable ServerMonitor monitor) {
		if (monitor == null) {
			return "off (poolguard.monitor.enabled=false)";
		}
		return (monitor.getOffReason() != null) ? "off (" + monitor.getOffReason() + ")" : "on";
	}

	private boolean has(Class<?> type) {
		return this.beanFactory.getBeanNamesForType(type, true, false).length > 0;
	}

}
