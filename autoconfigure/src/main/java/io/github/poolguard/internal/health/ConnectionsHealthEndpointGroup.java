package io.github.poolguard.internal.health;

import java.util.Collections;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import io.github.poolguard.health.ConnectionsHealthIndicator;
import org.jspecify.annotations.Nullable;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.web.AdditionalPathsMapper;
import org.springframework.boot.actuate.endpoint.web.WebServerNamespace;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.SimpleStatusAggregator;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Status;

/**
 * The {@code connections} health group, served at {@code /actuator/health/connections}: its
 * status answers everyone, as a group's does with Spring Boot's defaults, and it shows
 * components and details exactly when the application's health endpoint would
 * ({@code management.endpoint.health.show-components} and {@code show-details}). Its status
 * order ranks {@link ConnectionsHealthIndicator#WARNING} between DOWN and UP, without touching
 * the application's own order.
 */
public final class ConnectionsHealthEndpointGroup implements HealthEndpointGroup {

	/**
	 * The group's name, and so its path under {@code /actuator/health}.
	 */
	public static final String NAME = "connections";

	/**
	 * The group's status order.
	 */
	public static final List<String> STATUS_ORDER = List.of(Status.DOWN.getCode(), Status.OUT_OF_SERVICE.getCode(),
			ConnectionsHealthIndicator.WARNING.getCode(), Status.UP.getCode(), Status.UNKNOWN.getCode());

	private final HealthEndpointGroup primary;

	private final String member;

	// The public constructor, not StatusAggregator.of(List): that factory is new in Boot 4.1 and
	// Boot 4.0 applications fail to start on it (NoSuchMethodError in healthEndpointGroups).
	private final StatusAggregator statusAggregator = new SimpleStatusAggregator(STATUS_ORDER);

	private ConnectionsHealthEndpointGroup(HealthEndpointGroup primary, String member) {
		this.primary = primary;
		this.member = member;
	}

	/**
	 * Return the groups with a {@code connections} group added, unless the application
	 * configured one of that name itself.
	 * @param groups the groups
	 * @param member the name of PoolGuard's health contributor
	 * @return the groups, with the {@code connections} group
	 */
	public static HealthEndpointGroups addTo(HealthEndpointGroups groups, String member) {
		if (groups.get(NAME) != null) {
			return groups;
		}
		return new WithConnections(groups, new ConnectionsHealthEndpointGroup(groups.getPrimary(), member));
	}

	@Override
	public boolean isMember(String name) {
		return this.member.equals(name);
	}

	@Override
	public boolean showComponents(SecurityContext securityContext) {
		return this.primary.showComponents(securityContext);
	}

	@Override
	public boolean showDetails(SecurityContext securityContext) {
		return this.primary.showDetails(securityContext);
	}

	@Override
	public StatusAggregator getStatusAggregator() {
		return this.statusAggregator;
	}

	@Override
	public HttpCodeStatusMapper getHttpCodeStatusMapper() {
		return this.primary.getHttpCodeStatusMapper();
	}

	@Override
	public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
		return null;
	}

	/**
	 * The application's groups plus the {@code connections} group; additional paths (such as
	 * the probes' {@code /livez}) stay mapped.
	 */
	private static final class WithConnections implements HealthEndpointGroups, AdditionalPathsMapper {

		private final HealthEndpointGroups groups;

		private final HealthEndpointGroup connections;

		private final Set<String> names;

		WithConnections(HealthEndpointGroups groups, HealthEndpointGroup connections) {
			this.groups = groups;
			this.connections = connections;
			Set<String> names = new TreeSet<>(groups.getNames());
			names.add(NAME);
			this.names = Collections.unmodifiableSet(names);
		}

		@Override
		public HealthEndpointGroup getPrimary() {
			return this.groups.getPrimary();
		}

		@Override
		public Set<String> getNames() {
			return this.names;
		}

		@Override
		public @Nullable HealthEndpointGroup get(String name) {
			return NAME.equals(name) ? this.connections : this.groups.get(name);
		}

		@Override
		public @Nullable List<String> getAdditionalPaths(EndpointId endpointId, WebServerNamespace namespace) {
			return (this.groups instanceof AdditionalPathsMapper mapper) ? mapper.getAdditionalPaths(endpointId, namespace)
					: null;
		}

	}

}
