package io.github.poolguard.batch;

import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.CannotAcquireLockException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;

import static org.assertj.core.api.Assertions.assertThat;

class TransientFailuresTests {

	@Test
	void connectionFailuresAndServerRestartsAreTransient() {
		assertThat(TransientFailures.isTransient(new SQLException("I/O error", "08006"))).isTrue();
		assertThat(TransientFailures.isTransient(new SQLException("admin shutdown", "57P01"))).isTrue();
		assertThat(TransientFailures.isTransient(new SQLException("crash shutdown", "57P02"))).isTrue();
		assertThat(TransientFailures.isTransient(new SQLException("starting up", "57P03"))).isTrue();
	}

	@Test
	void serializationFailuresAndDeadlocksAreTransientEvenWhenWrapped() {
		assertThat(TransientFailures.isTransient(new UncategorizedSQLException("update", "UPDATE t",
				new SQLException("could not serialize", "40001"))))
			.isTrue();
		assertThat(TransientFailures.isTransient(new CannotAcquireLockException("deadlock",
				new SQLException("deadlock detected", "40P01"))))
			.isTrue();
	}

	@Test
	void poolAcquisitionTimeoutIsTransient() {
		SQLTransientConnectionException timeout = new SQLTransientConnectionException(
				"background - Connection is not available, request timed out after 20000ms");
		assertThat(TransientFailures.isTransient(new CannotGetJdbcConnectionException("no connection", timeout)))
			.isTrue();
	}

	@Test
	void rollbackOnAConnectionThePoolEvictedIsTransient() {
		SQLException closed = new SQLException("Connection is closed");
		assertThat(TransientFailures.isTransient(new IllegalStateException("Unable to rollback against JDBC Connection",
				closed)))
			.isTrue();
		assertThat(TransientFailures.isTransient(new SQLException("Connection is closed", "42000"))).isFalse();
	}

	@Test
	void constraintViolationsSyntaxErrorsAndPlainBugsAreNot() {
		assertThat(TransientFailures.isTransient(new SQLException("duplicate key", "23505"))).isFalse();
		assertThat(TransientFailures.isTransient(new SQLException("syntax error", "42601"))).isFalse();
		assertThat(TransientFailures.isTransient(new SQLException("statement timeout", "57014"))).isFalse();
		assertThat(TransientFailures.isTransient(new IllegalArgumentException("bad ticker"))).isFalse();
	}

}
