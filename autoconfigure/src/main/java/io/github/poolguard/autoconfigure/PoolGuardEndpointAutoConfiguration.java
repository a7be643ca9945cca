package io.github.poolguard.autoconfigure;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.poolguard.actuate.BatchRunControls;
import io.github.poolguard.actuate.BatchRuns;
import io.github.poolguard.actuate.PoolGuardEndpoint;
import io.github.poolguard.assessment.ConnectionsAssessment;
import io.github.poolguard.internal.leak.ConnectionHolder;
import io.github.poolguard.internal.leak.ConnectionHolders;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.actuate.autoconfigure.endpoint.condition.ConditionalOnAvailableEndpoint;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;

/**
 * Auto-configuration for the {@code poolguard} endpoint: the assessment, the holders and the
 * batch runs, with the batch controls as its write operation.
 */
@AutoConfiguration(after = { PoolGuardMonitorAutoConfiguration.class, PoolGuardLeakAutoConfiguration.class,
		PoolGuardBatchAutoConfiguration.class })
@ConditionalOnBooleanProperty(name = "poolguard.enabled", matchIfMissing = true)
@ConditionalOnClass({ Endpoint.class, ConditionalOnAvailableEndpoint.class })
@ConditionalOnBean(GovernedAppPool.class)
@ConditionalOnAvailableEndpoint(PoolGuardEndpoint.class)
public final class PoolGuardEndpointAutoConfiguration {

	@Bean
	@ConditionalOnMissingBean
	PoolGuardEndpoint poolGuardEndpoint(ObjectProvider<ConnectionsAssessment> overview,
			ObjectProvider<ConnectionHolders> holders, ObjectProvider<BatchRuns> batchRuns,
			ObjectProvider<BatchRunControls> batchControls) {
		List<BatchRuns> sources = new ArrayList<>(batchRuns.orderedStream().toList());
		ConnectionHolders tracker = holders.getIfAvailable();
		return new PoolGuardEndpoint(overview.getIfAvailable(), (tracker != null) ? () -> holderDetails(tracker) : null,
				sources, batchControls.orderedStream().toList());
	}

	// who holds connections now, then how many were reported as leaked
	private static Map<String, Object> holderDetails(ConnectionHolders holders) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("holders", holders.getHolders().stream().map(ConnectionHolder::toDetails).toList());
		details.put("leaks", holders.getLeakCount());
		return details;
	}

}
