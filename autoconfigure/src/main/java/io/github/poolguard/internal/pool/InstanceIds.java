package io.github.poolguard.internal.pool;

import java.security.SecureRandom;
import java.util.regex.Pattern;

/**
 * The short id that tells one instance (process) of an application from the others sharing a
 * server, carried as the third part of its connections' {@code application_name}.
 * <p>
 * The default is drawn at random once per process: six base-36 characters (over two billion
 * values) cannot realistically collide in a fleet, need no coordination, and stay short enough to
 * leave the application name room within 63 bytes. Host names and process ids were not used:
 * in containers every process id is 1, and host names are long and can repeat across clusters.
 */
public final class InstanceIds {

	/**
	 * Longest instance id accepted.
	 */
	public static final int MAX_LENGTH = 20;

	private static final Pattern VALID = Pattern.compile("[A-Za-z0-9._-]{1," + MAX_LENGTH + "}");

	private static final String ALPHABET = "0123456789abcdefghijklmnopqrstuvwxyz";

	private static final SecureRandom RANDOM = new SecureRandom();

	private static final String PROCESS_ID = generate(RANDOM);

	private InstanceIds() {
	}

	/**
	 * Return this process's id, the same for every caller in the process.
	 * @return six lower-case letters and digits
	 */
	public static String ofProcess() {
		return PROCESS_ID;
	}

	/**
	 * Return a new random id, for an instance whose connections need no id except the
	 * monitor's: unlike {@link #ofProcess()}, two application contexts in one process get two
	 * ids, as they are two instances to the server.
	 * @return six lower-case letters and digits
	 */
	public static String random() {
		return generate(RANDOM);
	}

	/**
	 * Return whether an id can be used: 1 to {@link #MAX_LENGTH} letters, digits, '.', '_' or
	 * '-' (no ':', which separates the parts of a connection name).
	 * @param id the candidate
	 * @return {@code true} when valid
	 */
	public static boolean isValid(String id) {
		return VALID.matcher(id).matches();
	}

	static String generate(SecureRandom random) {
		StringBuilder id = new StringBuilder(6);
		for (int i = 0; i < 6; i++) {
			id.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
		}
		return id.toString();
	}

}
