package io.github.poolguard.pool;

import java.util.Properties;

import com.zaxxer.hikari.HikariDataSource;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;

/**
 * A HikariCP pool whose connections carry PoolGuard's {@code application_name} and server-side
 * limits. Settings are bound onto it like any {@link HikariDataSource}; once binding is done,
 * {@link #afterPropertiesSet()} adds the name and limits wherever the user set none, so an
 * explicit {@code data-source-properties} entry always wins.
 */
public class GovernedHikariDataSource extends HikariDataSource implements InitializingBean {

	private final String connectionName;

	private final @Nullable ServerLimits limits;

	private boolean transactionPooling;

	/**
	 * Create a pool.
	 * @param connectionName the {@code application_name} of its connections, also used as the
	 * pool name unless one is set
	 * @param limits the server-side limits to send, or {@code null} when the database is not
	 * PostgreSQL or takes no startup options (PgBouncer in transaction mode)
	 */
	public GovernedHikariDataSource(String connectionName, @Nullable ServerLimits limits) {
		this.connectionName = connectionName;
		this.limits = limits;
	}

	/**
	 * Return the {@code application_name} this pool's connections carry.
	 * @return the connection name
	 */
	public String getConnectionName() {
		return this.connectionName;
	}

	/**
	 * Return the server-side limits this pool sends.
	 * @return the limits, or {@code null} when none are sent
	 */
	public @Nullable ServerLimits getLimits() {
		return this.limits;
	}

	/**
	 * Declare that connections go through PgBouncer in transaction mode: then no startup options
	 * are sent (PgBouncer refuses them, and session settings would not survive between
	 * transactions anyway) and pgjdbc's {@code prepareThreshold} is set to 0, because a named
	 * server-side prepared statement may be looked up on another server connection than the
	 * one it was prepared on.
	 * Not a bean property, so that nothing under {@code spring.datasource.hikari.*} binds it:
	 * {@code poolguard.pgbouncer.mode} decides.
	 */
	public void enableTransactionPooling() {
		this.transactionPooling = true;
	}

	/**
	 * Return whether connections go through PgBouncer in transaction mode.
	 * @return {@code true} when they do
	 */
	public boolean isTransactionPooling() {
		return this.transactionPooling;
	}

	@Override
	public void afterPropertiesSet() {
		if (getPoolName() == null) {
			setPoolName(this.connectionName);
		}
		if (!JdbcUrls.isPostgres(getJdbcUrl())) {
			return;
		}
		Properties properties = getDataSourceProperties();
		String url = getJdbcUrl();
		if (!properties.containsKey("ApplicationName") && !url.contains("ApplicationName=")) {
			addDataSourceProperty("ApplicationName", this.connectionName);
		}
		properties.putIfAbsent("tcpKeepAlive", "true");
		if (this.transactionPooling && !url.contains("prepareThreshold=")) {
			properties.putIfAbsent("prepareThreshold", "0");
		}
		if (this.limits != null) {
			if (!this.transactionPooling) {
				addDataSourceProperty("options", this.limits.toStartupOptions(properties.getProperty("options")));
			}
			if (!url.contains("socketTimeout=")) {
				properties.putIfAbsent("socketTimeout", Long.toString(this.limits.socketTimeoutSeconds()));
			}
		}
	}

}
