package io.github.poolguard.internal.pool;

import org.jspecify.annotations.Nullable;

/**
 * The one source of this application's connection names: it knows the application name, the
 * instance id and every role, and every PoolGuard connection (app and background pools, monitor,
 * startup check, PgBouncer console, batch claims) takes its {@code application_name} from here.
 */
public final class ConnectionNaming {

	private final String application;

	private final @Nullable String instanceId;

	private final String monitorInstance;

	/**
	 * Create the naming of one application instance.
	 * @param application the application name ({@code spring.application.name})
	 * @param instanceId the instance id the pools' names carry, or {@code null} for two-part
	 * names of a single instance
	 * @param monitorInstance the instance id of the monitor's connection, which always carries
	 * one so that every instance sees the others
	 */
	public ConnectionNaming(String application, @Nullable String instanceId, String monitorInstance) {
		this.application = application;
		this.instanceId = instanceId;
		this.monitorInstance = monitorInstance;
	}

	/**
	 * Return the name of the connections of a role, with this instance's id when names carry one.
	 * @param role the role, one of the {@link ConnectionNames} role constants
	 * @return the {@code application_name}
	 */
	public String of(String role) {
		return ConnectionNames.of(this.application, role, this.instanceId);
	}

	/**
	 * Return the name of the app pool's connections.
	 * @return the {@code application_name}
	 */
	public String app() {
		return of(ConnectionNames.APP);
	}

	/**
	 * Return the name of the background pool's connections.
	 * @return the {@code application_name}
	 */
	public String background() {
		return of(ConnectionNames.BACKGROUND);
	}

	/**
	 * Return the name of the monitor's connection; it always carries an instance id.
	 * @return the {@code application_name}
	 */
	public String monitor() {
		return ConnectionNames.of(this.application, ConnectionNames.MONITOR, this.monitorInstance);
	}

	/**
	 * Return the part every name of this application starts with, as the server shows it, so
	 * the monitor recognises its application's connections.
	 * @return the application part, without the separator
	 */
	public String applicationPart() {
		return ConnectionNames.applicationPart(this.application);
	}

	/**
	 * Return the application name as configured.
	 * @return the application name
	 */
	public String application() {
		return this.application;
	}

	/**
	 * Return the instance id the monitor's connection carries: this instance's id on the server.
	 * @return the id
	 */
	public String monitorInstance() {
		return this.monitorInstance;
	}

	/**
	 * Return the instance id the pools' names carry.
	 * @return the id, or {@code null} for two-part names
	 */
	public @Nullable String instanceId() {
		return this.instanceId;
	}

}
