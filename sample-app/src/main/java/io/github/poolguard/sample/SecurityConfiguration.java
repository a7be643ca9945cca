package io.github.poolguard.sample;

import java.util.ArrayList;
import java.util.List;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetails;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.util.StringUtils;

/**
 * Health status, the read API and its error answers are public; health details, {@code /actuator/poolguard}
 * and the operator console that draws it ({@code /poolguard-console}: the page's own requests to the
 * endpoint carry the same login), metrics and starting a fetch need the administrator, whose password comes from configuration
 * ({@code sample.admin.password}, e.g. the SAMPLE_ADMIN_PASSWORD variable). Without one, nobody
 * can log in: no password is made up, and none is logged.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnWebApplication
class SecurityConfiguration {

	private static final Log logger = LogFactory.getLog(SecurityConfiguration.class);

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests
			.requestMatchers("/actuator/health", "/actuator/health/**", "/actuator/prometheus")
			.permitAll()
			.requestMatchers(HttpMethod.GET, "/api/**")
			.permitAll()
			.requestMatchers("/error")
			.permitAll()
			.requestMatchers("/poolguard-console", "/actuator/poolguard", "/actuator/poolguard/**")
			.hasRole("ADMIN")
			.anyRequest()
			.authenticated())
			.httpBasic(Customizer.withDefaults())
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS));
		return http.build();
	}

	@Bean
	InMemoryUserDetailsManager userDetailsService(SampleProperties properties) {
		SampleProperties.Admin admin = properties.getAdmin();
		List<UserDetails> users = new ArrayList<>();
		PasswordEncoder encoder = PasswordEncoderFactories.createDelegatingPasswordEncoder();
		if (StringUtils.hasText(admin.getPassword())) {
			users.add(User.withUsername(admin.getUsername())
				.password(encoder.encode(admin.getPassword()))
				.roles("ADMIN")
				.build());
		}
		else {
			logger.info("No sample.admin.password set (SAMPLE_ADMIN_PASSWORD): health details and /actuator/poolguard"
					+ " stay closed");
		}
		return new InMemoryUserDetailsManager(users);
	}

}
