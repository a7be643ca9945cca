package io.github.poolguard.autoconfigure;

import java.nio.charset.StandardCharsets;

import io.github.poolguard.internal.console.ConsolePage;
import io.github.poolguard.internal.pool.ConnectionNaming;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.endpoint.EndpointId;
import org.springframework.boot.actuate.endpoint.ExposableEndpoint;
import org.springframework.boot.actuate.endpoint.OperationType;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoint;
import org.springframework.boot.actuate.endpoint.web.PathMappedEndpoints;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.http.MediaType;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.RouterFunctions;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * Auto-configuration for the operator console ({@code poolguard.console.enabled}, off by
 * default): one page at {@code poolguard.console.path} that the browser fills from the
 * {@code poolguard} endpoint. When it is off, nothing is registered.
 */
@AutoConfiguration(afterName = "org.springframework.boot.actuate.autoconfigure.endpoint.web.WebEndpointAutoConfiguration")
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnBooleanProperty(name = "poolguard.console.enabled")
@ConditionalOnWebApplication(type = ConditionalOnWebApplication.Type.SERVLET)
@ConditionalOnClass({ RouterFunction.class, PathMappedEndpoints.class })
@EnableConfigurationProperties(PoolGuardProperties.class)
public final class PoolGuardConsoleAutoConfiguration {

	private static final EndpointId ENDPOINT = EndpointId.of("poolguard");

	@Bean
	@ConditionalOnMissingBean(name = "poolGuardConsoleRoute")
	RouterFunction<ServerResponse> poolGuardConsoleRoute(PoolGuardProperties properties,
			ObjectProvider<PathMappedEndpoints> endpoints, ObjectProvider<ConnectionNaming> naming) {
		ConsolePage page = new ConsolePage();
		PoolGuardProperties.Health health = properties.getHealth();
		return RouterFunctions.route()
			.GET(properties.getConsole().getPath(), (request) -> {
				PathMappedEndpoints mapped = endpoints.getIfAvailable();
				ConnectionNaming names = naming.getIfAvailable();
				String html = page.render(endpointPath(request, mapped), writable(mapped),
						health.getWarningThreshold(), health.getCriticalThreshold(),
						(names != null) ? names.applicationPart() : "");
				return ServerResponse.ok()
					.contentType(new MediaType(MediaType.TEXT_HTML, StandardCharsets.UTF_8))
					.header("Content-Security-Policy", page.contentSecurityPolicy())
					.header("Cache-Control", "no-store")
					.header("X-Content-Type-Options", "nosniff")
					.body(html);
			})
			.build();
	}

	// where the browser finds the endpoint: the context path, the actuator's base path and any
	// path mapping; the page reports a 404 itself when the endpoint is not exposed
	private static String endpointPath(ServerRequest request, @Nullable PathMappedEndpoints mapped) {
		String contextPath = request.requestPath().contextPath().value();
		if (mapped == null) {
			return contextPath + "/actuator/poolguard";
		}
		String path = mapped.getPath(ENDPOINT);
		return contextPath + ((path != null) ? path : mapped.getBasePath() + "/poolguard");
	}

	// the write operation is discovered only when management.endpoint.poolguard.access allows it
	private static boolean writable(@Nullable PathMappedEndpoints mapped) {
		PathMappedEndpoint endpoint = (mapped != null) ? mapped.getEndpoint(ENDPOINT) : null;
		return endpoint instanceof ExposableEndpoint<?> exposable
				&& exposable.getOperations().stream().anyMatch((operation) -> operation.getType() == OperationType.WRITE);
	}

}
