package io.github.poolguard.internal.monitor;

import java.sql.Connection;

/**
 * Reads something more on the monitor's connection, at every successful sample, on the
 * monitor's thread and within its query timeout. Added with
 * {@link ServerMonitor#addConnectionReader(MonitorConnectionReader)}.
 */
@FunctionalInterface
public interface MonitorConnectionReader {

	/**
	 * Read, on the monitor's connection. Must not keep the connection and should not throw: a
	 * failure is the reader's to record. Every statement must start with {@code note}, since the
	 * other instances of the application read this connection's query text.
	 * @param connection the monitor's connection, in auto-commit mode
	 * @param note the comment to put before every statement (may be empty)
	 */
	void read(Connection connection, String note);

}
