package io.github.poolguard.internal.leak;

import java.time.Duration;
import java.sql.Array;
import java.sql.Blob;
import java.sql.CallableStatement;
import java.sql.Clob;
import java.sql.Connection;
import java.sql.DatabaseMetaData;
import java.sql.NClob;
import java.sql.PreparedStatement;
import java.sql.SQLClientInfoException;
import java.sql.SQLException;
import java.sql.SQLWarning;
import java.sql.SQLXML;
import java.sql.Savepoint;
import java.sql.Statement;
import java.sql.Struct;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Executor;

import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

/**
 * A borrowed connection whose holder is tracked until it is closed. Every call goes straight to
 * the pool's connection; {@link #close()} ends the tracking first.
 */
final class TrackedConnection implements Connection {

	private final Connection delegate;

	private final ConnectionHolders holders;

	final String pool;

	final String thread;

	// when the borrower asked for it (the wait for the pool counts, as the borrower felt it), from
	// ConnectionHolders.requestTime: the coarse clock, or a precise reading tagged odd for an app
	// borrow to be timed
	final long borrowedNanos;

	final Workload workload;

	final boolean scheduled;

	final Duration threshold;

	final @Nullable Throwable stack;

	volatile boolean reported;

	// where HeldConnections keeps it; written once, by the borrowing thread, before it is handed out
	int slot = -1;

	// a second close() must not count the borrow twice; close() runs on the holding thread
	private boolean released;

	TrackedConnection(Connection delegate, ConnectionHolders holders, String pool, String thread, long borrowedNanos,
			Workload workload, boolean scheduled, Duration threshold, @Nullable Throwable stack) {
		this.delegate = delegate;
		this.holders = holders;
		this.pool = pool;
		this.thread = thread;
		this.borrowedNanos = borrowedNanos;
		this.workload = workload;
		this.scheduled = scheduled;
		this.threshold = threshold;
		this.stack = stack;
	}

	Connection getDelegate() {
		return this.delegate;
	}

	@Override
	public void close() throws SQLException {
		if (!this.released) {
			this.released = true;
			this.holders.release(this);
		}
		this.delegate.close();
	}

	@Override
	public boolean isClosed() throws SQLException {
		return this.delegate.isClosed();
	}

	@Override
	@SuppressWarnings("unchecked")
	public <T> T unwrap(Class<T> iface) throws SQLException {
		return iface.isInstance(this) ? (T) this : this.delegate.unwrap(iface);
	}

	@Override
	public boolean isWrapperFor(Class<?> iface) throws SQLException {
		return iface.isInstance(this) || this.delegate.isWrapperFor(iface);
	}

	// Identity equality and hash: only the rare borrow that overflows HeldConnections' table is
	// hashed (the borrow time would not do: coarse, it is the same for many connections).

	@Override
	public String toString() {
		return "Tracked[" + this.delegate + "]";
	}

	@Override
	public Statement createStatement() throws SQLException {
		return this.delegate.createStatement();
	}

	@Override
	public PreparedStatement prepareStatement(String arg0) throws SQLException {
		return this.delegate.prepareStatement(arg0);
	}

	@Override
	public CallableStatement prepareCall(String arg0) throws SQLException {
		return this.delegate.prepareCall(arg0);
	}

	@Override
	public String nativeSQL(String arg0) throws SQLException {
		return this.delegate.nativeSQL(arg0);
	}

	@Override
	public void setAutoCommit(boolean arg0) throws SQLException {
		this.delegate.setAutoCommit(arg0);
	}

	@Override
	public boolean getAutoCommit() throws SQLException {
		return this.delegate.getAutoCommit();
	}

	@Override
	public void commit() throws SQLException {
		this.delegate.commit();
	}

	@Override
	public void rollback() throws SQLException {
		this.delegate.rollback();
	}

	@Override
	public DatabaseMetaData getMetaData() throws SQLException {
		return this.delegate.getMetaData();
	}

	@Override
	public void setReadOnly(boolean arg0) throws SQLException {
		this.delegate.setReadOnly(arg0);
	}

	@Override
	public boolean isReadOnly() throws SQLException {
		return this.delegate.isReadOnly();
	}

	@Override
	public void setCatalog(String arg0) throws SQLException {
		this.delegate.setCatalog(arg0);
	}

	@Override
	public String getCatalog() throws SQLException {
		return this.delegate.getCatalog();
	}

	@Override
	public void setTransactionIsolation(int arg0) throws SQLException {
		this.delegate.setTransactionIsolation(arg0);
	}

	@Override
	public int getTransactionIsolation() throws SQLException {
		return this.delegate.getTransactionIsolation();
	}

	@Override
	public SQLWarning getWarnings() throws SQLException {
		return this.delegate.getWarnings();
	}

	@Override
	public void clearWarnings() throws SQLException {
		this.delegate.clearWarnings();
	}

	@Override
	public Statement createStatement(int arg0, int arg1) throws SQLException {
		return this.delegate.createStatement(arg0, arg1);
	}

	@Override
	public PreparedStatement prepareStatement(String arg0, int arg1, int arg2) throws SQLException {
		return this.delegate.prepareStatement(arg0, arg1, arg2);
	}

	@Override
	public CallableStatement prepareCall(String arg0, int arg1, int arg2) throws SQLException {
		return this.delegate.prepareCall(arg0, arg1, arg2);
	}

	@Override
	public Map<String, Class<?>> getTypeMap() throws SQLException {
		return this.delegate.getTypeMap();
	}

	@Override
	public void setTypeMap(Map<String, Class<?>> map) throws SQLException {
		this.delegate.setTypeMap(map);
	}

	@Override
	public void setHoldability(int arg0) throws SQLException {
		this.delegate.setHoldability(arg0);
	}

	@Override
	public int getHoldability() throws SQLException {
		return this.delegate.getHoldability();
	}

	@Override
	public Savepoint setSavepoint() throws SQLException {
		return this.delegate.setSavepoint();
	}

	@Override
	public Savepoint setSavepoint(String arg0) throws SQLException {
		return this.delegate.setSavepoint(arg0);
	}

	@Override
	public void rollback(Savepoint arg0) throws SQLException {
		this.delegate.rollback(arg0);
	}

	@Override
	public void releaseSavepoint(Savepoint arg0) throws SQLException {
		this.delegate.releaseSavepoint(arg0);
	}

	@Override
	public Statement createStatement(int arg0, int arg1, int arg2) throws SQLException {
		return this.delegate.createStatement(arg0, arg1, arg2);
	}

	@Override
	public PreparedStatement prepareStatement(String arg0, int arg1, int arg2, int arg3) throws SQLException {
		return this.delegate.prepareStatement(arg0, arg1, arg2, arg3);
	}

	@Override
	public CallableStatement prepareCall(String arg0, int arg1, int arg2, int arg3) throws SQLException {
		return this.delegate.prepareCall(arg0, arg1, arg2, arg3);
	}

	@Override
	public PreparedStatement prepareStatement(String arg0, int arg1) throws SQLException {
		return this.delegate.prepareStatement(arg0, arg1);
	}

	@Override
	public PreparedStatement prepareStatement(String arg0, int[] arg1) throws SQLException {
		return this.delegate.prepareStatement(arg0, arg1);
	}

	@Override
	public PreparedStatement prepareStatement(String arg0, String[] arg1) throws SQLException {
		return this.delegate.prepareStatement(arg0, arg1);
	}

	@Override
	public Clob createClob() throws SQLException {
		return this.delegate.createClob();
	}

	@Override
	public Blob createBlob() throws SQLException {
		return this.delegate.createBlob();
	}

	@Override
	public NClob createNClob() throws SQLException {
		return this.delegate.createNClob();
	}

	@Override
	public SQLXML createSQLXML() throws SQLException {
		return this.delegate.createSQLXML();
	}

	@Override
	public boolean isValid(int arg0) throws SQLException {
		return this.delegate.isValid(arg0);
	}

	@Override
	public void setClientInfo(String arg0, String arg1) throws SQLClientInfoException {
		this.delegate.setClientInfo(arg0, arg1);
	}

	@Override
	public void setClientInfo(Properties arg0) throws SQLClientInfoException {
		this.delegate.setClientInfo(arg0);
	}

	@Override
	public String getClientInfo(String arg0) throws SQLException {
		return this.delegate.getClientInfo(arg0);
	}

	@Override
	public Properties getClientInfo() throws SQLException {
		return this.delegate.getClientInfo();
	}

	@Override
	public Array createArrayOf(String arg0, Object[] arg1) throws SQLException {
		return this.delegate.createArrayOf(arg0, arg1);
	}

	@Override
	public Struct createStruct(String arg0, Object[] arg1) throws SQLException {
		return this.delegate.createStruct(arg0, arg1);
	}

	@Override
	public void setSchema(String arg0) throws SQLException {
		this.delegate.setSchema(arg0);
	}

	@Override
	public String getSchema() throws SQLException {
		return this.delegate.getSchema();
	}

	@Override
	public void abort(Executor arg0) throws SQLException {
		this.delegate.abort(arg0);
	}

	@Override
	public void setNetworkTimeout(Executor arg0, int arg1) throws SQLException {
		this.delegate.setNetworkTimeout(arg0, arg1);
	}

	@Override
	public int getNetworkTimeout() throws SQLException {
		return this.delegate.getNetworkTimeout();
	}

}
