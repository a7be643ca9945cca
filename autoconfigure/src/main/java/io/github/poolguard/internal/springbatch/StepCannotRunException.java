package io.github.poolguard.internal.springbatch;

import org.springframework.transaction.CannotCreateTransactionException;

/**
 * Thrown before a Spring Batch chunk's transaction begins when its step cannot run in what the
 * background pool gives: it would wait for connections only it holds. The message names the
 * setting and the arithmetic.
 */
public class StepCannotRunException extends CannotCreateTransactionException {

	/**
	 * Create an exception.
	 * @param message what the step holds, what the pool may have and what to change
	 */
	public StepCannotRunException(String message) {
		super(message);
	}

}
