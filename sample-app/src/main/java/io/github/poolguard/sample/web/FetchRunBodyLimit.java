package io.github.poolguard.sample.web;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;

import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the body of {@code POST /api/fetch-runs}: a body that says it is larger than
 * {@link #MAX_BYTES} is answered 413 before it is read, and one sent without a length (chunked)
 * stops being read there, so a caller cannot make the process hold megabytes of tickers.
 */
@Component
class FetchRunBodyLimit extends OncePerRequestFilter {

	/**
	 * The largest body accepted: {@link FetchRunController#MAX_TICKERS} tickers take about a
	 * sixth of it.
	 */
	static final int MAX_BYTES = 64 * 1024;

	static final String DETAIL = "The request body is larger than " + MAX_BYTES + " bytes; name at most "
			+ FetchRunController.MAX_TICKERS + " tickers, or none for the whole universe";

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !("POST".equals(request.getMethod()) && "/api/fetch-runs".equals(request.getRequestURI()));
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > MAX_BYTES) {
			response.setStatus(HttpStatus.CONTENT_TOO_LARGE.value());
			response.setContentType(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			response.getWriter()
				.write("{\"type\":\"about:blank\",\"title\":\"Content Too Large\",\"status\":413,\"detail\":\"" + DETAIL
						+ "\",\"instance\":\"/api/fetch-runs\"}");
			return;
		}
		chain.doFilter(new BoundedRequest(request), response);
	}

	/**
	 * Thrown when a body without a length passes the limit; {@link ApiErrors} answers it 413.
	 */
	static final class BodyTooLargeException extends IOException {

		BodyTooLargeException() {
			super(DETAIL);
		}

	}

	private static final class BoundedRequest extends HttpServletRequestWrapper {

		private ServletInputStream bounded;

		BoundedRequest(HttpServletRequest request) {
			super(request);
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.bounded == null) {
				this.bounded = new BoundedInputStream(super.getInputStream());
			}
			return this.bounded;
		}

	}

	private static final class BoundedInputStream extends ServletInputStream {

		private final ServletInputStream body;

		private long read;

		BoundedInputStream(ServletInputStream body) {
			this.body = body;
		}

		@Override
		public int read() throws IOException {
			int next = this.body.read();
			if (next >= 0) {
				count(1);
			}
			return next;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int count = this.body.read(buffer, offset, length);
			if (count > 0) {
				count(count);
			}
			return count;
		}

		private void count(int bytes) throws BodyTooLargeException {
			this.read += bytes;
			if (this.read > MAX_BYTES) {
				throw new BodyTooLargeException();
			}
		}

		@Override
		public boolean isFinished() {
			return this.body.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.body.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.body.setReadListener(listener);
		}

	}

}
