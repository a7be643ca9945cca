package io.github.poolguard.batch;

/**
 * An item that failed, with the last failure and how many attempts were made.
 *
 * @param <T> the item type
 * @param item the item
 * @param cause the last failure
 * @param attempts the attempts made
 */
public record ItemFailure<T>(T item, Throwable cause, int attempts) {

	/**
	 * Return the failure in one line.
	 * @return item, attempts and message
	 */
	public String describe() {
		return this.item + ": " + this.cause.getClass().getSimpleName() + ": " + this.cause.getMessage() + " (after "
				+ this.attempts + " attempt(s))";
	}

}
