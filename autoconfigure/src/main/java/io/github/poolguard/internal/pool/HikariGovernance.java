package io.github.poolguard.internal.pool;

import java.util.Properties;

import com.zaxxer.hikari.HikariConfig;
import org.jspecify.annotations.Nullable;

/**
 * Gives a HikariCP pool that has not started PoolGuard's connection settings: its
 * {@code application_name}, its server-side limits as startup options, TCP keepalive and a
 * socket timeout that matches the statement timeout. Applied after binding and connection
 * details, and only where the user set nothing, so an explicit {@code data-source-properties}
 * entry (or URL parameter) always wins.
 */
public final class HikariGovernance {

	private HikariGovernance() {
	}

	/**
	 * Apply the settings to a pool's configuration.
	 * @param config the pool's configuration; it must not have started
	 * @param connectionName the {@code application_name} of its connections, also the pool name
	 * unless one is set
	 * @param limits the server-side limits to send, or {@code null} for none
	 * @param transactionPooling whether connections go through PgBouncer in transaction mode:
	 * then no startup options are sent (PgBouncer refuses them) and pgjdbc's
	 * {@code prepareThreshold} is set to 0, because a named server-side prepared statement may be
	 * looked up on another server connection than the one it was prepared on
	 */
	public static void apply(HikariConfig config, String connectionName, @Nullable ServerLimits limits,
			boolean transactionPooling) {
		if (config.getPoolName() == null) {
			config.setPoolName(connectionName);
		}
		String url = config.getJdbcUrl();
		if (!JdbcUrls.isPostgres(url)) {
			return;
		}
		Properties properties = config.getDataSourceProperties();
		if (!properties.containsKey("ApplicationName") && !url.contains("ApplicationName=")) {
			properties.setProperty("ApplicationName", connectionName);
		}
		properties.putIfAbsent("tcpKeepAlive", "true");
		if (transactionPooling && !url.contains("prepareThreshold=")) {
			properties.putIfAbsent("prepareThreshold", "0");
		}
		if (limits != null) {
			if (!transactionPooling) {
				properties.setProperty("options", limits.toStartupOptions(properties.getProperty("options")));
			}
			if (!url.contains("socketTimeout=")) {
				properties.putIfAbsent("socketTimeout", Long.toString(limits.socketTimeoutSeconds()));
			}
		}
	}

}
