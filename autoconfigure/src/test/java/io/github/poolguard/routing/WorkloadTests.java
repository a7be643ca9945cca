package io.github.poolguard.routing;

import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class WorkloadTests {

	@Test
	void threadsStartAsApp() {
		assertThat(Workload.current()).isEqualTo(Workload.APP);
	}

	@Test
	void scopesNestAndRestore() throws Exception {
		AtomicReference<Workload> inner = new AtomicReference<>();
		Workload seen = Workload.BACKGROUND.call(() -> {
			Workload.APP.run(() -> inner.set(Workload.current()));
			return Workload.current();
		});
		assertThat(inner).hasValue(Workload.APP);
		assertThat(seen).isEqualTo(Workload.BACKGROUND);
		assertThat(Workload.current()).isEqualTo(Workload.APP);
	}

	@Test
	void scopeIsRestoredWhenTheActionThrows() {
		assertThatIllegalStateException().isThrownBy(() -> Workload.BACKGROUND.run(() -> {
			throw new IllegalStateException("boom");
		}));
		assertThat(Workload.current()).isEqualTo(Workload.APP);
	}

}
