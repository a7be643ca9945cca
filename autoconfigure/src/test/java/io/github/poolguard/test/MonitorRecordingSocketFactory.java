package io.github.poolguard.test;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.lang.management.MonitorInfo;
import java.lang.management.ThreadInfo;
import java.net.InetAddress;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

import javax.net.SocketFactory;

/**
 * A pgjdbc socket factory ({@code ?socketFactory=} + this class's name in a JDBC URL) that
 * records, for every write a connection makes to the server, which object monitors the writing
 * thread holds: the structural check behind "no {@code synchronized} around blocking I/O", which
 * JDK 21 reports as {@code jdk.VirtualThreadPinned} and JDK 24+ no longer does. Records are
 * shared by every connection in the JVM; tests clear them before the step they check.
 */
public class MonitorRecordingSocketFactory extends SocketFactory {

	/**
	 * One write to a server: the thread and the classes of the monitors it held.
	 * @param thread the thread's name
	 * @param monitors the class names of the monitors it held, innermost first
	 */
	public record Write(String thread, List<String> monitors) {
	}

	private static final Queue<Write> writes = new ConcurrentLinkedQueue<>();

	/**
	 * Return the writes recorded since the last {@link #clear()}.
	 * @return the writes
	 */
	public static List<Write> writes() {
		return new ArrayList<>(writes);
	}

	/**
	 * Forget the writes recorded so far.
	 */
	public static void clear() {
		writes.clear();
	}

	/**
	 * Return the URL parameter that makes pgjdbc open its sockets here.
	 * @return the parameter, without {@code ?} or {@code &}
	 */
	public static String urlParameter() {
		return "socketFactory=" + MonitorRecordingSocketFactory.class.getName();
	}

	@Override
	public Socket createSocket() {
		return new RecordingSocket();
	}

	@Override
	public Socket createSocket(String host, int port) throws IOException {
		throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
	}

	@Override
	public Socket createSocket(String host, int port, InetAddress localHost, int localPort) {
		throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
	}

	@Override
	public Socket createSocket(InetAddress host, int port) {
		throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
	}

	@Override
	public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort) {
		throw new UnsupportedOperationException("pgjdbc connects an unconnected socket");
	}

	@SuppressWarnings("deprecation") // Thread.threadId() is JDK 19+; the build targets 17
	private static void record() {
		Thread thread = Thread.currentThread();
		ThreadInfo info = ManagementFactory.getThreadMXBean().getThreadInfo(new long[] { thread.getId() }, true,
				false)[0];
		List<String> monitors = new ArrayList<>();
		if (info == null) {
			// a virtual thread: the platform MXBean does not describe it
			monitors.add("<unknown: virtual thread>");
		}
		else {
			for (MonitorInfo monitor : info.getLockedMonitors()) {
				monitors.add(monitor.getClassName());
			}
		}
		writes.add(new Write(thread.getName(), monitors));
	}

	private static final class RecordingSocket extends Socket {

		@Override
		public OutputStream getOutputStream() throws IOException {
			return new FilterOutputStream(super.getOutputStream()) {

				@Override
				public void write(int b) throws IOException {
					record();
					this.out.write(b);
				}

				@Override
				public void write(byte[] b, int off, int len) throws IOException {
					record();
					this.out.write(b, off, len);
				}

			};
		}

	}

}
