package io.github.poolguard.autoconfigure;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Consumer;

import com.zaxxer.hikari.HikariDataSource;
import io.github.poolguard.internal.assessment.MonitoredConnectionsAssessment;
import io.github.poolguard.internal.budget.BudgetedPool;
import io.github.poolguard.internal.budget.ConnectionBudget;
import io.github.poolguard.internal.fleet.FleetAdmission;
import io.github.poolguard.internal.fleet.FleetSizing;
import io.github.poolguard.internal.fleet.FleetView;
import io.github.poolguard.internal.fleet.InstanceDemand;
import io.github.poolguard.internal.fleet.PoolResizer;
import io.github.poolguard.internal.monitor.ServerMonitor;
import io.github.poolguard.internal.monitor.ServerSample;
import io.github.poolguard.internal.monitor.ServerSampler;
import io.github.poolguard.internal.pool.ConnectionNames;
import io.github.poolguard.internal.pool.ConnectionNaming;
import io.github.poolguard.internal.routing.ConnectionGate;
import io.github.poolguard.internal.routing.GovernedRoutingDataSource;
import io.github.poolguard.internal.springbatch.ChunkGate;
import io.github.poolguard.pgbouncer.PgBouncerMode;
import io.github.poolguard.routing.BackgroundPool;
import io.github.poolguard.routing.Workload;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ListableBeanFactory;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.availability.ApplicationAvailability;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.ApplicationListener;
import org.springframework.context.annotation.Bean;
import org.springframework.util.ClassUtils;

/**
 * Auto-configuration of fleet sharing: the instances of the application divide the server's
 * usable connections among themselves and resize their running pools to their share
 * ({@code poolguard.fleet.*}). Applies to direct connections to PostgreSQL with HikariCP pools;
 * behind a transaction-pooling PgBouncer, PgBouncer's pool is the budget and the fleet is only
 * reported.
 */
@AutoConfiguration(after = PoolGuardMonitorAutoConfiguration.class)
@ConditionalOnBooleanProperty(name = "poolguard.fleet.sharing", matchIfMissing = true)
@ConditionalOnBean({ GovernedAppPool.class, ServerMonitor.class })
public final class PoolGuardFleetAutoConfiguration {

	private static final String[] SPRING_BATCH_WORK = { "org.springframework.batch.core.job.Job",
			"org.springframework.batch.core.step.Step" };

	@Bean
	static FleetGatePostProcessor poolGuardFleetGatePostProcessor(ObjectProvider<FleetAdmission> admission) {
		return new FleetGatePostProcessor(admission);
	}

	@Bean
	FleetReadiness poolGuardFleetReadiness(ApplicationEventPublisher eventPublisher,
			ObjectProvider<ApplicationAvailability> availability) {
		// created first, the application's availability hears of "ready" before this listener
		availability.getIfAvailable();
		return new FleetReadiness(eventPublisher, availability);
	}

	@Bean
	@Nullable FleetSizing poolGuardFleetSizing(PoolGuardProperties properties, ConnectionNaming naming,
			GovernedAppPool governedAppPool, @BackgroundPool HikariDataSource backgroundPool, ServerMonitor monitor,
			PoolGuardStartupCheck startupCheck, FleetReadiness readiness,
			ObjectProvider<MonitoredConnectionsAssessment> assessment, ObjectProvider<ChunkGate> springBatch,
			ListableBeanFactory beans) {
		HikariDataSource appPool = GovernedAppPool.unwrapHikari(governedAppPool.pool());
		if (appPool == null || monitor.getOffReason() != null
				|| properties.getPgbouncer().getMode() == PgBouncerMode.TRANSACTION) {
			return null;
		}
		int backgroundFloor = (springBatch.getIfAvailable() != null && hasSpringBatchJobs(beans)) ? 2 : 1;
		InstanceDemand demand = new InstanceDemand(appPool.getMaximumPoolSize(), properties.getFleet().getMinAppPool(),
				backgroundPool.getMaximumPoolSize(), backgroundFloor, fixedConnections(startupCheck.getBudget()));
		FleetSizing sizing = new FleetSizing(naming.monitorInstance(), demand,
				new PoolResizer(appPool, ConnectionNames.APP), new PoolResizer(backgroundPool, ConnectionNames.BACKGROUND),
				readiness, properties.getFleet().getJoinTimeout());
		int keptFree = properties.getBudget().getReservedConnections();
		monitor.addSampleListener((sample) -> sizing.update(view(sample, keptFree)));
		monitor.publishPoolsMax(sizing::poolsMax);
		assessment.ifAvailable((connections) -> connections.showShare(sizing::getShare));
		return sizing;
	}

	@Bean
	@Nullable FleetAdmission poolGuardFleetAdmission(ObjectProvider<FleetSizing> sizing, ServerMonitor monitor,
			ConnectionNaming naming, PoolGuardProperties properties) {
		FleetSizing fleetSizing = sizing.getIfAvailable();
		if (fleetSizing == null) {
			return null;
		}
		ServerSampler sampler = new ServerSampler(naming.applicationPart(), monitor.getQueryTimeout(), monitor.getIdleLimit(),
				Clock.systemUTC());
		int keptFree = properties.getBudget().getReservedConnections();
		Duration poll = (monitor.getInterval().compareTo(Duration.ofMillis(250)) < 0) ? monitor.getInterval()
				: Duration.ofMillis(250);
		return new FleetAdmission(fleetSizing, () -> monitor.getConnector().connect(),
				(connection) -> view(sampler.sample(connection, 0), keptFree), monitor::adopt,
				properties.getFleet().getJoinTimeout(), poll, naming.applicationPart());
	}

	@Bean
	ApplicationListener<ApplicationReadyEvent> poolGuardFleetStartupEnd(ObjectProvider<FleetSizing> sizing,
			ServerMonitor monitor) {
		// the startup work of an instance without a share is over: its turn passes to the next
		return (event) -> sizing.ifAvailable((fleetSizing) -> {
			fleetSizing.endStartup();
			monitor.releaseAdvisoryLocks();
		});
	}

	@Bean
	SmartInitializingSingleton poolGuardFleetJoin(ObjectProvider<FleetAdmission> admission) {
		// an application that used no connection while starting joins before it serves
		return () -> admission.ifAvailable(FleetAdmission::join);
	}

	private static FleetView view(ServerSample sample, int keptFree) {
		return new FleetView(sample.usable() - keptFree, sample.inUse(), sample.otherClients(), sample.instances(),
				sample.published());
	}

	// A Spring Batch step's cursor reader holds one background connection for the whole step while
	// each chunk's transaction needs another. Read from the bean definitions: the jobs may not
	// have been created yet.
	private static boolean hasSpringBatchJobs(ListableBeanFactory beans) {
		for (String type : SPRING_BATCH_WORK) {
			if (ClassUtils.isPresent(type, null)
					&& beans.getBeanNamesForType(ClassUtils.resolveClassName(type, null), true, false).length > 0) {
				return true;
			}
		}
		return false;
	}

	// the monitor, and any pool PoolGuard does not size, are held whatever the share
	private static int fixedConnections(@Nullable ConnectionBudget budget) {
		int others = (budget != null) ? budget.pools()
			.stream()
			.filter((pool) -> !pool.governed())
			.mapToInt(BudgetedPool::connections)
			.sum() : 0;
		return PoolGuardStartupCheck.MONITOR_CONNECTIONS + others;
	}

	/**
	 * Has every request for a connection pass the fleet's admission first, resolved on the first
	 * request (a connection may be asked for while the application's beans are still being
	 * created, as JPA does).
	 */
	static final class FleetGatePostProcessor implements BeanPostProcessor {

		private final ObjectProvider<FleetAdmission> admission;

		FleetGatePostProcessor(ObjectProvider<FleetAdmission> admission) {
			this.admission = admission;
		}

		@Override
		public Object postProcessAfterInitialization(Object bean, String beanName) {
			if (bean instanceof GovernedRoutingDataSource routing) {
				routing.setConnectionGate(new LazyGate(this.admission));
			}
			return bean;
		}

	}

	private static final class LazyGate implements ConnectionGate {

		private final ObjectProvider<FleetAdmission> provider;

		private volatile @Nullable ConnectionGate gate;

		LazyGate(ObjectProvider<FleetAdmission> provider) {
			this.provider = provider;
		}

		@Override
		public void pass(Workload workload) throws SQLException {
			ConnectionGate gate = this.gate;
			if (gate == null) {
				FleetAdmission admission = this.provider.getIfAvailable();
				gate = (admission != null) ? admission : (ignored) -> {
				};
				this.gate = gate;
			}
			gate.pass(workload);
		}

	}

	/**
	 * Takes the instance out of service (readiness refuses traffic) while the fleet has no room
	 * for it, and back once it has; never overrides a readiness state it did not set, except the
	 * application's own "ready" while this instance has no share: Spring Boot announces readiness
	 * once the context has started, after the instance was refused, and that must not open it to
	 * traffic until the next sample.
	 */
	static final class FleetReadiness
			implements Consumer<Boolean>, ApplicationListener<AvailabilityChangeEvent<ReadinessState>> {

		private static final Duration ANNOUNCEMENT_WAIT = Duration.ofSeconds(5);

		private final ApplicationEventPublisher publisher;

		private final ObjectProvider<ApplicationAvailability> availability;

		private volatile boolean serving = true;

		private volatile boolean refusing;

		FleetReadiness(ApplicationEventPublisher publisher, ObjectProvider<ApplicationAvailability> availability) {
			this.publisher = publisher;
			this.availability = availability;
		}

		@Override
		public void accept(Boolean serving) {
			this.serving = serving;
			ReadinessState state = state();
			if (!serving && state != ReadinessState.REFUSING_TRAFFIC) {
				refuse();
			}
			else if (serving && this.refusing) {
				this.refusing = false;
				AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.ACCEPTING_TRAFFIC);
			}
		}

		@Override
		public void onApplicationEvent(AvailabilityChangeEvent<ReadinessState> event) {
			if (event.getSource() == this || event.getState() != ReadinessState.ACCEPTING_TRAFFIC || this.serving) {
				return;
			}
			if (state() == ReadinessState.ACCEPTING_TRAFFIC) {
				refuse();
				return;
			}
			// Listeners of one order run in registration order: when this one runs before the
			// application's availability has recorded "ready", refuse once it has.
			Thread waiter = new Thread(this::refuseOnceAnnounced, "poolguard-fleet-readiness");
			waiter.setDaemon(true);
			waiter.start();
		}

		private void refuseOnceAnnounced() {
			long deadline = System.nanoTime() + ANNOUNCEMENT_WAIT.toNanos();
			try {
				while (state() != ReadinessState.ACCEPTING_TRAFFIC && System.nanoTime() - deadline < 0) {
					Thread.sleep(5);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return;
			}
			if (!this.serving && state() == ReadinessState.ACCEPTING_TRAFFIC) {
				refuse();
			}
		}

		private void refuse() {
			this.refusing = true;
			AvailabilityChangeEvent.publish(this.publisher, this, ReadinessState.REFUSING_TRAFFIC);
		}

		private @Nullable ReadinessState state() {
			ApplicationAvailability current = this.availability.getIfAvailable();
			return (current != null) ? current.getReadinessState() : null;
		}

	}

}
