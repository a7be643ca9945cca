package io.github.poolguard.sample.web;

import java.time.LocalDate;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.TypeMismatchException;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.HttpStatusCode;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.http.converter.HttpMessageNotReadableException;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.WebRequest;
import org.springframework.web.method.annotation.MethodArgumentTypeMismatchException;
import org.springframework.web.servlet.mvc.method.annotation.ResponseEntityExceptionHandler;

/**
 * Answers the API's errors as RFC 9457 problem details in the response itself, with a message
 * that says what to change, for every caller (anonymous ones too: the error never goes through
 * the {@code /error} page, which sits behind the login).
 */
@RestControllerAdvice
class ApiErrors extends ResponseEntityExceptionHandler {

	@Override
	protected @Nullable ResponseEntity<Object> handleHttpMessageNotReadable(HttpMessageNotReadableException ex,
			HttpHeaders headers, HttpStatusCode status, WebRequest request) {
		Throwable cause = NestedExceptionUtils.getMostSpecificCause(ex);
		if (cause instanceof FetchRunBodyLimit.BodyTooLargeException) {
			ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.CONTENT_TOO_LARGE, cause.getMessage());
			return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.CONTENT_TOO_LARGE, request);
		}
		String reason = (cause.getMessage() != null) ? cause.getMessage().lines().findFirst().orElse("") : "";
		return badRequest(ex, "The request body is not valid JSON for this request: " + reason, request);
	}

	@Override
	protected @Nullable ResponseEntity<Object> handleTypeMismatch(TypeMismatchException ex, HttpHeaders headers,
			HttpStatusCode status, WebRequest request) {
		String name = (ex instanceof MethodArgumentTypeMismatchException mismatch) ? mismatch.getName()
				: ex.getPropertyName();
		String expected = (ex.getRequiredType() == LocalDate.class) ? "a date like 2026-01-31"
				: "a " + ((ex.getRequiredType() != null) ? ex.getRequiredType().getSimpleName() : "value");
		return badRequest(ex, "'" + name + "' must be " + expected + ", not '" + ex.getValue() + "'", request);
	}

	private ResponseEntity<Object> badRequest(Exception ex, String detail, WebRequest request) {
		ProblemDetail body = ProblemDetail.forStatusAndDetail(HttpStatus.BAD_REQUEST, detail);
		return handleExceptionInternal(ex, body, new HttpHeaders(), HttpStatus.BAD_REQUEST, request);
	}

}
